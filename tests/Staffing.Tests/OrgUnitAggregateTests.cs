using Mep.ServiceDefaults.Errors;
using Mep.Staffing.OrgUnits;

namespace Mep.Staffing.Tests;

/// <summary>An organisational unit's own rules, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class OrgUnitAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static OrgUnit Created() => OrgUnit.Create("OE-40.23", "Schul-IT", "admin-ada", Now).Unit;

    private static OrgUnit Retired()
    {
        var unit = Created();
        unit.Retire(0m, "merged into OE-40.24", "admin-ada", Now);
        return unit;
    }

    [Fact]
    public void Creating_a_unit_records_its_name()
    {
        var (_, change) = OrgUnit.Create("OE-40.23", "Schul-IT", "admin-ada", Now);

        Assert.Equal((OrgUnitChangeKind.Created, "OE-40.23", "Schul-IT", "admin-ada"), (change.Change, change.OrgUnit, change.NameAfter, change.ChangedBy));
    }

    [Fact]
    public void A_rename_records_the_name_before_and_after()
    {
        var unit = Created();

        var change = unit.Rename("Schul-IT Nord", "admin-ada", Now);

        Assert.Equal(("Schul-IT Nord", OrgUnitChangeKind.Renamed, "Schul-IT", "Schul-IT Nord"),
            (unit.Name, change!.Change, change.NameBefore, change.NameAfter));
    }

    [Fact]
    public void A_rename_to_the_same_name_records_nothing()
    {
        Assert.Null(Created().Rename("Schul-IT", "admin-ada", Now));
    }

    [Fact]
    public void Setting_posts_records_the_figure_before_and_after()
    {
        var unit = Created();

        var change = unit.SetPosts(2m, 2.5m, "finance-fritz", Now);

        Assert.Equal((OrgUnitChangeKind.PostsSet, (decimal?)2m, (decimal?)2.5m), (change!.Change, change.PostsBefore, change.PostsAfter));
    }

    [Fact]
    public void Setting_the_same_posts_again_records_nothing_but_marks_the_unit_used()
    {
        var unit = Created();

        var change = unit.SetPosts(2m, 2m, "finance-fritz", Now);

        Assert.Equal((null, Now), (change, unit.PostsSetAt));
    }

    [Fact]
    public void A_retired_unit_takes_no_posts()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Retired().SetPosts(0m, 1m, "finance-fritz", Now));

        Assert.Equal(("org-unit-retired", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void A_retired_unit_is_not_renamed()
    {
        Assert.Equal("org-unit-retired", Assert.Throws<DomainRuleException>(() => Retired().Rename("Neu", "admin-ada", Now)).Rule);
    }

    [Fact]
    public void A_retired_unit_is_not_retired_again()
    {
        Assert.Equal("org-unit-retired", Assert.Throws<DomainRuleException>(() => Retired().Retire(0m, null, "admin-ada", Now)).Rule);
    }

    [Fact]
    public void A_unit_with_posts_is_not_retired()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Created().Retire(1.5m, null, "admin-ada", Now));

        Assert.Equal(("org-unit-has-posts", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Retiring_records_who_retired_the_unit_and_why()
    {
        var unit = Created();

        var change = unit.Retire(0m, "merged into OE-40.24", "admin-ada", Now);

        Assert.Equal((true, "admin-ada", "merged into OE-40.24", OrgUnitChangeKind.Retired),
            (unit.IsRetired, unit.RetiredBy, unit.RetirementReason, change.Change));
    }

    [Fact]
    public void A_unit_whose_posts_were_never_set_may_be_deleted()
    {
        var change = Created().Delete("admin-ada", Now);

        Assert.Equal((OrgUnitChangeKind.Deleted, "Schul-IT"), (change.Change, change.NameBefore));
    }

    [Fact]
    public void A_unit_that_had_posts_is_not_deleted()
    {
        var unit = Created();
        unit.SetPosts(null, 0m, "finance-fritz", Now);

        var refused = Assert.Throws<DomainRuleException>(() => unit.Delete("admin-ada", Now));

        Assert.Equal(("org-unit-in-use", true), (refused.Rule, refused.IsStateConflict));
    }
}
