using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Register;

/// <summary>A school's participation in the council paper's measures 1-4 (docs/domain.md).</summary>
/// <param name="MepPilot">Measure 1: one of the six pilot schools (2016-2018), continued in regular operation.</param>
/// <param name="MepStandard">Measures 1 and 4: built out to the MEP standard, planned in a wave and year.</param>
/// <param name="Portal">Measure 2: basic offer "schulen-hannover.de", opt-in from August 2020; date = onboarding.</param>
/// <param name="MobileLearning">Measure 3: basic offer "mobile learning" (city MDM) from school year 2020/21; date = MDM enrolment.</param>
public sealed record ProgrammeParticipation(
    MepPilotParticipation MepPilot,
    MepStandardParticipation MepStandard,
    OfferParticipation Portal,
    OfferParticipation MobileLearning);

public sealed record MepPilotParticipation(bool Participates, DateOnly? Since);

public sealed record MepStandardParticipation(MepStandardStatus Status, int? Wave, int? TargetYear, DateOnly? JoinedOn);

public sealed record OfferParticipation(bool Participates, DateOnly? Since);

/// <summary>The rules a programme participation must keep; each violation names itself.</summary>
public static class ProgrammeRules
{
    /// <summary>Measure 2 (portal) is offered from August 2020.</summary>
    public static readonly DateOnly PortalOfferStart = new(2020, 8, 1);

    /// <summary>Measure 3 (mobile learning) is offered from school year 2020/21, which starts in August 2020 in Lower Saxony.</summary>
    public static readonly DateOnly MobileLearningStart = new(2020, 8, 1);

    public static void Check(ProgrammeParticipation programmes)
    {
        var pilot = programmes.MepPilot;
        if (!pilot.Participates && pilot.Since is not null)
        {
            throw new DomainRuleException("pilot-date-without-participation", "Only a pilot school has a pilot start date.");
        }

        var standard = programmes.MepStandard;
        switch (standard.Status)
        {
            case MepStandardStatus.None when standard.Wave is not null || standard.TargetYear is not null || standard.JoinedOn is not null:
                throw new DomainRuleException("mep-standard-none-has-no-plan",
                    "A school not planned for the MEP standard has no wave, target year or joining date.");
            case MepStandardStatus.Planned when standard.TargetYear is null:
                throw new DomainRuleException("mep-standard-planned-needs-target-year", "A school planned for the MEP standard needs a target year.");
            case MepStandardStatus.Planned when standard.JoinedOn is not null:
                throw new DomainRuleException("mep-standard-planned-not-joined", "A school still planned for the MEP standard has no joining date.");
            case MepStandardStatus.Joined when standard.JoinedOn is null:
                throw new DomainRuleException("mep-standard-joined-needs-date", "A school that joined the MEP standard needs the date it joined.");
            default:
                break;
        }

        CheckOffer(programmes.Portal, PortalOfferStart, "portal",
            "The portal (measure 2) is offered from August 2020; an earlier onboarding date is not possible.");
        CheckOffer(programmes.MobileLearning, MobileLearningStart, "mobile-learning",
            "Mobile learning (measure 3) is offered from school year 2020/21; an earlier MDM enrolment date is not possible.");
    }

    private static void CheckOffer(OfferParticipation offer, DateOnly start, string name, string tooEarly)
    {
        if (!offer.Participates && offer.Since is not null)
        {
            throw new DomainRuleException($"{name}-date-without-participation", $"Only a participating school has a {name} date.");
        }

        if (offer.Since < start)
        {
            throw new DomainRuleException($"{name}-before-offer-start", tooEarly);
        }
    }
}
