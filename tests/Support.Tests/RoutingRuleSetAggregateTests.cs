using Mep.Contracts.Assets;
using Mep.Support.Routing;

namespace Mep.Support.Tests;

/// <summary>How a set of routing rules chooses where a new ticket starts, on the domain types alone: no database, no HTTP.</summary>
public sealed class RoutingRuleSetAggregateTests
{
    private static readonly RoutingContext ParentTabletAtBasicSchool = new("tablet", TabletOwnership.ParentFinancedPupil, SchoolAtMepStandard: false,
        OnSite: false);

    private static RoutingRule Rule(int position, string group, int level = 1, string? category = null, TabletOwnership? ownership = null,
        bool? atMepStandard = null, bool? onSite = null) => new()
    {
        Version = 4, Position = position, Category = category, Ownership = ownership, SchoolAtMepStandard = atMepStandard, OnSite = onSite, Level = level,
        GroupCode = group,
    };

    private static RoutingRuleSet Set(params RoutingRule[] rules) => new() { Version = 4, Rules = [.. rules] };

    [Fact]
    public void A_rule_without_conditions_matches_every_ticket()
    {
        Assert.True(Rule(1, "service-desk").Matches(ParentTabletAtBasicSchool));
    }

    [Fact]
    public void A_rule_matches_when_every_condition_it_sets_matches()
    {
        Assert.True(Rule(1, "provider", category: "tablet", ownership: TabletOwnership.ParentFinancedPupil, atMepStandard: false)
            .Matches(ParentTabletAtBasicSchool));
    }

    [Fact]
    public void A_rule_with_one_condition_not_met_does_not_match()
    {
        Assert.False(Rule(1, "provider", category: "tablet", onSite: true).Matches(ParentTabletAtBasicSchool));
    }

    [Fact]
    public void The_first_matching_rule_by_position_chooses_the_route()
    {
        var rules = Set(Rule(3, "service-desk"), Rule(2, "provider", level: 3, ownership: TabletOwnership.ParentFinancedPupil), Rule(1, "contractor", onSite: true));

        Assert.Equal(new TicketRoute(3, "provider", 4, 2), TicketRoute.Choose(rules, ParentTabletAtBasicSchool));
    }

    [Fact]
    public void A_set_without_a_rule_for_the_ticket_is_a_fault_of_the_rules_not_of_the_ticket()
    {
        Assert.Throws<InvalidOperationException>(() => TicketRoute.Choose(Set(Rule(1, "contractor", onSite: true)), ParentTabletAtBasicSchool));
    }
}
