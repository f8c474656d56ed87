using Mep.Schools.Register;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>The rules a school's programme participation keeps (measures 1-4), on the participation alone: no database, no HTTP.</summary>
public sealed class ProgrammeRulesTests
{
    private static readonly MepPilotParticipation NoPilot = new(false, null);
    private static readonly MepStandardParticipation NotPlanned = new(MepStandardStatus.None, null, null, null);
    private static readonly OfferParticipation NoOffer = new(false, null);

    private static ProgrammeParticipation With(MepPilotParticipation? pilot = null, MepStandardParticipation? standard = null,
        OfferParticipation? portal = null, OfferParticipation? mobileLearning = null) =>
        new(pilot ?? NoPilot, standard ?? NotPlanned, portal ?? NoOffer, mobileLearning ?? NoOffer);

    private static string RuleBrokenBy(ProgrammeParticipation programmes) =>
        Assert.Throws<DomainRuleException>(() => ProgrammeRules.Check(programmes)).Rule;

    [Fact]
    public void Every_measure_taken_up_with_its_dates_passes()
    {
        var everyMeasure = With(new MepPilotParticipation(true, new DateOnly(2016, 8, 1)),
            new MepStandardParticipation(MepStandardStatus.Joined, 1, 2018, new DateOnly(2020, 8, 1)),
            new OfferParticipation(true, ProgrammeRules.PortalOfferStart), new OfferParticipation(true, ProgrammeRules.MobileLearningStart));

        Assert.Null(Record.Exception(() => ProgrammeRules.Check(everyMeasure)));
    }

    [Fact]
    public void Only_a_pilot_school_has_a_pilot_start_date()
    {
        Assert.Equal("pilot-date-without-participation", RuleBrokenBy(With(pilot: new MepPilotParticipation(false, new DateOnly(2016, 8, 1)))));
    }

    [Fact]
    public void A_school_not_planned_for_the_mep_standard_has_no_wave()
    {
        Assert.Equal("mep-standard-none-has-no-plan", RuleBrokenBy(With(standard: new MepStandardParticipation(MepStandardStatus.None, 3, null, null))));
    }

    [Fact]
    public void A_school_planned_for_the_mep_standard_needs_a_target_year()
    {
        Assert.Equal("mep-standard-planned-needs-target-year",
            RuleBrokenBy(With(standard: new MepStandardParticipation(MepStandardStatus.Planned, 3, null, null))));
    }

    [Fact]
    public void A_school_still_planned_for_the_mep_standard_has_no_joining_day()
    {
        Assert.Equal("mep-standard-planned-not-joined",
            RuleBrokenBy(With(standard: new MepStandardParticipation(MepStandardStatus.Planned, 3, 2027, new DateOnly(2026, 1, 1)))));
    }

    [Fact]
    public void A_school_that_joined_the_mep_standard_needs_its_joining_day()
    {
        Assert.Equal("mep-standard-joined-needs-date", RuleBrokenBy(With(standard: new MepStandardParticipation(MepStandardStatus.Joined, 3, 2027, null))));
    }

    [Fact]
    public void Only_a_school_on_the_portal_has_an_onboarding_date()
    {
        Assert.Equal("portal-date-without-participation", RuleBrokenBy(With(portal: new OfferParticipation(false, new DateOnly(2021, 1, 1)))));
    }

    [Fact]
    public void No_school_joined_the_portal_before_it_was_offered()
    {
        Assert.Equal("portal-before-offer-start", RuleBrokenBy(With(portal: new OfferParticipation(true, ProgrammeRules.PortalOfferStart.AddDays(-1)))));
    }

    [Fact]
    public void Only_a_school_in_mobile_learning_has_an_mdm_enrolment_date()
    {
        Assert.Equal("mobile-learning-date-without-participation",
            RuleBrokenBy(With(mobileLearning: new OfferParticipation(false, new DateOnly(2021, 1, 1)))));
    }

    [Fact]
    public void No_school_enrolled_in_mobile_learning_before_it_was_offered()
    {
        Assert.Equal("mobile-learning-before-offer-start",
            RuleBrokenBy(With(mobileLearning: new OfferParticipation(true, ProgrammeRules.MobileLearningStart.AddDays(-1)))));
    }
}
