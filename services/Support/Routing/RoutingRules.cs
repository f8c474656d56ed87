using Mep.Contracts.Assets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Routing;

public sealed class RoutingRuleSet
{
    public int Version { get; internal set; }
    public DateTimeOffset CreatedAt { get; internal set; }
    public string CreatedBy { get; internal set; } = string.Empty;
    public string? Note { get; internal set; }
    public List<RoutingRule> Rules { get; internal set; } = [];

    /// <summary>The newest version with its rules: the one new tickets are routed by.</summary>
    public static Task<RoutingRuleSet> CurrentAsync(IQueryable<RoutingRuleSet> sets, CancellationToken cancellationToken) =>
        sets.Include(s => s.Rules).OrderByDescending(s => s.Version).FirstAsync(cancellationToken);
}

internal sealed class RoutingRuleSetConfiguration : IEntityTypeConfiguration<RoutingRuleSet>
{
    public void Configure(EntityTypeBuilder<RoutingRuleSet> set)
    {
        set.ToTable("routing_rule_sets");
        set.HasKey(s => s.Version);
        set.Property(s => s.Version).ValueGeneratedNever();
        set.HasMany(s => s.Rules).WithOne().HasForeignKey(r => r.Version);
    }
}

/// <summary>
/// One routing rule: when every condition that is set matches (a null condition matches anything), a new ticket starts at
/// <see cref="Level"/> with <see cref="GroupCode"/>. Rules are tried in <see cref="Position"/> order; the first match wins.
/// </summary>
public sealed class RoutingRule
{
    public int Version { get; internal set; }
    public int Position { get; internal set; }
    public string? Category { get; internal set; }

    /// <summary>The affected device's ownership, e.g. a parent-financed pupil tablet goes to the provider.</summary>
    public TabletOwnership? Ownership { get; internal set; }

    /// <summary>Whether the school is at MEP standard; schools with the basic offers only get on-site help from the contractor.</summary>
    public bool? SchoolAtMepStandard { get; internal set; }

    public bool? OnSite { get; internal set; }
    public int Level { get; internal set; }
    public string GroupCode { get; internal set; } = string.Empty;

    public bool Matches(RoutingContext context) =>
        (Category is null || Category == context.Category)
        && (Ownership is null || Ownership == context.Ownership)
        && (SchoolAtMepStandard is null || SchoolAtMepStandard == context.SchoolAtMepStandard)
        && (OnSite is null || OnSite == context.OnSite);
}

internal sealed class RoutingRuleConfiguration : IEntityTypeConfiguration<RoutingRule>
{
    public void Configure(EntityTypeBuilder<RoutingRule> rule)
    {
        rule.ToTable("routing_rules");
        rule.HasKey(r => new { r.Version, r.Position });
        rule.HasIndex(r => r.GroupCode);
        rule.HasOne<SupportGroup>().WithMany().HasForeignKey(r => r.GroupCode).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The facts of a new ticket the rules look at.</summary>
public sealed record RoutingContext(string Category, TabletOwnership? Ownership, bool SchoolAtMepStandard, bool OnSite);

/// <summary>Where a new ticket starts; <see cref="RuleVersion"/> null for a fault the school solved itself (level 0).</summary>
public sealed record TicketRoute(int Level, string GroupCode, int? RuleVersion, int? RulePosition)
{
    public const string SchoolGroup = "school";

    public static readonly TicketRoute SolvedBySchool = new(0, SchoolGroup, null, null);

    /// <summary>The first matching rule of the set; a set always ends in a catch-all, so every ticket has a route.</summary>
    public static TicketRoute Choose(RoutingRuleSet rules, RoutingContext context)
    {
        var rule = rules.Rules.OrderBy(r => r.Position).FirstOrDefault(r => r.Matches(context))
            ?? throw new InvalidOperationException($"Routing rules version {rules.Version} have no catch-all rule.");
        return new TicketRoute(rule.Level, rule.GroupCode, rules.Version, rule.Position);
    }
}
