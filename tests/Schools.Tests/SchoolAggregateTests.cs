using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.Schools.Register;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>A school's own rules, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class SchoolAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly AcceptedOn = new(2026, 11, 30);

    private static readonly SchoolDetails Details =
        new(" 90101 ", " Grundschule Am Lindener Berg ", SchoolType.GS, " Am Lindener Berge 1 ", " 30449 ", " Hannover ", " Linden-Limmer ");

    private static ProgrammeParticipation Programmes(MepStandardParticipation standard, bool pilot = false) =>
        new(new MepPilotParticipation(pilot, pilot ? new DateOnly(2016, 8, 1) : null), standard, new OfferParticipation(false, null),
            new OfferParticipation(false, null));

    private static readonly MepStandardParticipation NotPlanned = new(MepStandardStatus.None, null, null, null);
    private static readonly MepStandardParticipation PlannedFor2026 = new(MepStandardStatus.Planned, 2, 2026, null);

    private static School Registered() => School.Register(Details, Now);

    private static School Planned()
    {
        var school = Registered();
        school.ChangeProgrammes(Programmes(PlannedFor2026), Now);
        return school;
    }

    private static School Accepted()
    {
        var school = Planned();
        school.AcceptIntoMepStandard(AcceptedOn, Now);
        return school;
    }

    [Fact]
    public void A_school_keeps_its_details_without_surrounding_spaces()
    {
        var school = Registered();

        Assert.Equal(("90101", "Grundschule Am Lindener Berg", "Am Lindener Berge 1", "30449", "Hannover", "Linden-Limmer"),
            (school.Number, school.Name, school.Street, school.PostalCode, school.City, school.District));
    }

    [Fact]
    public void A_new_school_is_not_planned_for_the_mep_standard()
    {
        Assert.Equal(MepStandardStatus.None, Registered().MepStandard);
    }

    [Fact]
    public void Programmes_are_taken_as_a_whole()
    {
        var school = Registered();

        school.ChangeProgrammes(Programmes(PlannedFor2026, pilot: true), Now);

        Assert.Equal(Programmes(PlannedFor2026, pilot: true), school.Programmes);
    }

    [Fact]
    public void A_school_does_not_join_the_mep_standard_by_an_edit_of_its_programmes()
    {
        var school = Planned();

        var refused = Assert.Throws<DomainRuleException>(() =>
            school.ChangeProgrammes(Programmes(new MepStandardParticipation(MepStandardStatus.Joined, 2, 2026, AcceptedOn)), Now));

        Assert.Equal("mep-standard-joined-through-acceptance", refused.Rule);
    }

    [Fact]
    public void An_edit_does_not_undo_an_acceptance_into_the_mep_standard()
    {
        var school = Accepted();

        var refused = Assert.Throws<DomainRuleException>(() => school.ChangeProgrammes(Programmes(PlannedFor2026), Now));

        Assert.Equal("mep-standard-acceptance-stands", refused.Rule);
    }

    [Fact]
    public void An_edit_of_other_programmes_keeps_an_accepted_schools_joining_day()
    {
        var school = Accepted();

        school.ChangeProgrammes(Programmes(new MepStandardParticipation(MepStandardStatus.Joined, 2, 2026, AcceptedOn), pilot: true), Now);

        Assert.Equal((MepStandardStatus.Joined, AcceptedOn, true), (school.MepStandard, school.MepStandardJoinedOn, school.MepPilot));
    }

    [Fact]
    public void An_edit_breaking_a_programme_rule_is_refused_with_that_rule()
    {
        var school = Registered();

        var refused = Assert.Throws<DomainRuleException>(() =>
            school.ChangeProgrammes(Programmes(new MepStandardParticipation(MepStandardStatus.Planned, 2, null, null)), Now));

        Assert.Equal("mep-standard-planned-needs-target-year", refused.Rule);
    }

    [Fact]
    public void A_planned_school_joins_the_mep_standard_on_the_day_it_is_accepted()
    {
        var school = Accepted();

        Assert.Equal((MepStandardStatus.Joined, AcceptedOn), (school.MepStandard, school.MepStandardJoinedOn));
    }

    [Fact]
    public void An_accepted_school_is_not_accepted_again()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Accepted().AcceptIntoMepStandard(AcceptedOn, Now));

        Assert.Equal(("already-accepted", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void A_school_not_in_the_mep_standard_plan_is_not_accepted()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Registered().AcceptIntoMepStandard(AcceptedOn, Now));

        Assert.Equal(("not-in-mep-plan", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void A_media_concept_is_recorded_with_the_day_it_was_handed_in()
    {
        var school = Registered();

        school.RecordMediaConcept(MediaConceptStatus.FullConcept, new DateOnly(2026, 6, 1), Now);

        Assert.Equal((MediaConceptStatus.FullConcept, new DateOnly(2026, 6, 1)), (school.MediaConcept, school.MediaConceptDated));
    }

    [Fact]
    public void A_school_without_a_media_concept_has_no_concept_date()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Registered().RecordMediaConcept(MediaConceptStatus.None, new DateOnly(2026, 6, 1), Now));

        Assert.Equal("media-concept-none-has-no-date", refused.Rule);
    }

    [Fact]
    public void A_media_concept_needs_the_day_it_was_handed_in()
    {
        var refused = Assert.Throws<DomainRuleException>(() => Registered().RecordMediaConcept(MediaConceptStatus.RequirementProfile, null, Now));

        Assert.Equal("media-concept-needs-date", refused.Rule);
    }

    [Fact]
    public void A_media_concept_is_not_dated_in_the_future()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            Registered().RecordMediaConcept(MediaConceptStatus.FullConcept, DateOnly.FromDateTime(Now.UtcDateTime).AddDays(2), Now));

        Assert.Equal("media-concept-date-in-future", refused.Rule);
    }
}
