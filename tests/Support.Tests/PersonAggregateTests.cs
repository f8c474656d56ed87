using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.Support.People;
using Mep.Support.Routing;

namespace Mep.Support.Tests;

/// <summary>A person of the people directory, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class PersonAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly SupportGroup ServiceDesk = new() { Code = "service-desk", Name = "Service desk", Level = 1, Kind = GroupKind.Internal };
    private static readonly SupportGroup Provider = new() { Code = "provider", Name = "Provider", Level = 3, Kind = GroupKind.Vendor };

    private static Person Agent() => Person.Create("agent-anna", "Anna Agent", null, [PlatformRoles.Agent], null, "admin-ada", Now);

    private static Person VendorPerson() => Person.Create("vendor-viktor", "Viktor Vendor", null, [PlatformRoles.Vendor], "provider-gmbh", "admin-ada", Now);

    private static Person Deactivated()
    {
        var person = Agent();
        person.Deactivate("admin-ada", Now);
        return person;
    }

    [Fact]
    public void Roles_are_kept_in_lower_case_once_each_and_only_staff_roles()
    {
        var person = Person.Create("agent-anna", "Anna Agent", null, [" Agent ", "agent", "ADMIN", "school", "gardener"], null, "admin-ada", Now);

        Assert.Equal([PlatformRoles.Admin, PlatformRoles.Agent], person.Roles);
    }

    [Fact]
    public void A_new_person_is_active()
    {
        Assert.True(Agent().Active);
    }

    [Fact]
    public void The_citys_agents_are_internal_staff()
    {
        Assert.True(Agent().IsInternalStaff);
    }

    [Fact]
    public void A_person_of_an_outside_organisation_is_not_internal_staff()
    {
        Assert.False(Person.Create("agent-olga", "Olga", null, [PlatformRoles.Agent], "provider-gmbh", "admin-ada", Now).IsInternalStaff);
    }

    [Fact]
    public void Deactivating_records_who_ended_the_persons_work_and_when()
    {
        var person = Deactivated();

        Assert.Equal((false, Now, "admin-ada"), (person.Active, person.DeactivatedAt, person.DeactivatedBy));
    }

    [Fact]
    public void A_deactivated_person_is_not_deactivated_again()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Deactivated().Deactivate("admin-ada", Now));

        Assert.Equal(("person-already-inactive", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Reactivating_clears_the_deactivation()
    {
        var person = Deactivated();

        person.Reactivate("admin-ada", Now.AddDays(1));

        Assert.Equal((true, (DateTimeOffset?)null, (string?)null), (person.Active, person.DeactivatedAt, person.DeactivatedBy));
    }

    [Fact]
    public void An_active_person_is_not_reactivated()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Agent().Reactivate("admin-ada", Now));

        Assert.Equal(("person-already-active", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void A_person_the_directory_does_not_know_is_refused_for_the_field_naming_them()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Person.RequireActive(null, "nobody", "assignee"));

        Assert.Equal(("person-unknown", "assignee"), (refused.Rule, refused.Field));
    }

    [Fact]
    public void A_deactivated_person_is_refused_for_the_field_naming_them()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Person.RequireActive(Deactivated(), "agent-anna", "assignee"));

        Assert.Equal(("person-inactive", "assignee"), (refused.Rule, refused.Field));
    }

    [Fact]
    public void A_member_of_a_group_may_work_on_it()
    {
        Assert.Null(Record.Exception(() => VendorPerson().EnsureMayWorkOn(Provider, isMember: true)));
    }

    [Fact]
    public void The_citys_staff_work_on_an_internal_group_without_being_members()
    {
        Assert.Null(Record.Exception(() => Agent().EnsureMayWorkOn(ServiceDesk, isMember: false)));
    }

    [Fact]
    public void The_citys_staff_work_on_a_vendors_group_only_as_members()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Agent().EnsureMayWorkOn(Provider, isMember: false));

        Assert.Equal(("assignee-not-in-group", "assignee"), (refused.Rule, refused.Field));
    }

    [Fact]
    public void A_vendors_person_does_not_work_on_an_internal_group_without_being_a_member()
    {
        var refused = Assert.Throws<DomainRuleException>(() => VendorPerson().EnsureMayWorkOn(ServiceDesk, isMember: false));

        Assert.Equal("assignee-not-in-group", refused.Rule);
    }
}
