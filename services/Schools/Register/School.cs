using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Schools.Register;

/// <summary>A school in the city's responsibility, with the programmes it takes part in (docs/domain.md, "The four measures of the council paper").</summary>
public sealed class School
{
    private School()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The Land's school number (Schulnummer); unique, stored trimmed.</summary>
    public string Number { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;
    public SchoolType Type { get; private set; }
    public string Street { get; private set; } = string.Empty;
    public string PostalCode { get; private set; } = string.Empty;
    public string City { get; private set; } = string.Empty;

    /// <summary>City district (Stadtbezirk); plan views group by it.</summary>
    public string District { get; private set; } = string.Empty;

    // Programme participation, stored flat; see <see cref="Programmes"/> for the whole.
    public bool MepPilot { get; private set; }
    public DateOnly? MepPilotSince { get; private set; }
    public MepStandardStatus MepStandard { get; private set; }
    public int? MepStandardWave { get; private set; }
    public int? MepStandardTargetYear { get; private set; }
    public DateOnly? MepStandardJoinedOn { get; private set; }
    public bool PortalOffer { get; private set; }
    public DateOnly? PortalOnboardedOn { get; private set; }
    public bool MobileLearning { get; private set; }
    public DateOnly? MdmEnrolledOn { get; private set; }

    public MediaConceptStatus MediaConcept { get; private set; }
    public DateOnly? MediaConceptDated { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>PostgreSQL row version (xmin), exposed as ETag.</summary>
    public uint Version { get; private set; }

    public ProgrammeParticipation Programmes => new(
        new MepPilotParticipation(MepPilot, MepPilotSince),
        new MepStandardParticipation(MepStandard, MepStandardWave, MepStandardTargetYear, MepStandardJoinedOn),
        new OfferParticipation(PortalOffer, PortalOnboardedOn),
        new OfferParticipation(MobileLearning, MdmEnrolledOn));

    public static School Register(SchoolDetails details, DateTimeOffset now)
    {
        var school = new School { Id = Guid.CreateVersion7(now), CreatedAt = now, MepStandard = MepStandardStatus.None };
        school.ChangeDetails(details, now);
        return school;
    }

    public void ChangeDetails(SchoolDetails details, DateTimeOffset now)
    {
        Number = details.Number.Trim();
        Name = details.Name.Trim();
        Type = details.Type;
        Street = details.Street.Trim();
        PostalCode = details.PostalCode.Trim();
        City = details.City.Trim();
        District = details.District.Trim();
        UpdatedAt = now;
    }

    /// <summary>Sets the school's programme participation as a whole, after checking the programmes' rules.</summary>
    public void ChangeProgrammes(ProgrammeParticipation programmes, DateTimeOffset now)
    {
        ProgrammeRules.Check(programmes);
        var joining = programmes.MepStandard.Status == MepStandardStatus.Joined;
        if (joining && (MepStandard != MepStandardStatus.Joined || programmes.MepStandard.JoinedOn != MepStandardJoinedOn))
        {
            throw new DomainRuleException("mep-standard-joined-through-acceptance",
                $"A school joins the MEP standard when its rollout is accepted (POST /api/schools/{Id}/rollout/acceptance), not by editing its programmes.");
        }

        if (!joining && MepStandard == MepStandardStatus.Joined)
        {
            throw new DomainRuleException("mep-standard-acceptance-stands",
                "The school was accepted into the MEP standard; that cannot be undone by editing its programmes.");
        }

        (MepPilot, MepPilotSince) = (programmes.MepPilot.Participates, programmes.MepPilot.Since);
        (MepStandard, MepStandardWave, MepStandardTargetYear, MepStandardJoinedOn) =
            (programmes.MepStandard.Status, programmes.MepStandard.Wave, programmes.MepStandard.TargetYear, programmes.MepStandard.JoinedOn);
        (PortalOffer, PortalOnboardedOn) = (programmes.Portal.Participates, programmes.Portal.Since);
        (MobileLearning, MdmEnrolledOn) = (programmes.MobileLearning.Participates, programmes.MobileLearning.Since);
        UpdatedAt = now;
    }

    /// <summary>Accepts the school into regular operation in the MEP standard; the rollout checks first that everything is done.</summary>
    public void AcceptIntoMepStandard(DateOnly on, DateTimeOffset now)
    {
        if (MepStandard != MepStandardStatus.Planned)
        {
            throw new DomainRuleException(MepStandard == MepStandardStatus.Joined ? "already-accepted" : "not-in-mep-plan",
                MepStandard == MepStandardStatus.Joined
                    ? $"The school was accepted into the MEP standard on {MepStandardJoinedOn:yyyy-MM-dd} already."
                    : "The school is not in the MEP-standard plan; give it a wave and target year first.")
            { IsStateConflict = true };
        }

        (MepStandard, MepStandardJoinedOn, UpdatedAt) = (MepStandardStatus.Joined, on, now);
    }

    /// <summary>Records the state of the school's media education concept (Medienbildungskonzept).</summary>
    public void RecordMediaConcept(MediaConceptStatus status, DateOnly? dated, DateTimeOffset now)
    {
        if (status == MediaConceptStatus.None && dated is not null)
        {
            throw new DomainRuleException("media-concept-none-has-no-date", "A school without a media education concept has no concept date.");
        }

        if (status != MediaConceptStatus.None && dated is null)
        {
            throw new DomainRuleException("media-concept-needs-date", "A requirement profile or full concept needs the date it was handed in.");
        }

        if (dated > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1))
        {
            throw new DomainRuleException("media-concept-date-in-future", "The concept date cannot lie in the future.");
        }

        (MediaConcept, MediaConceptDated) = (status, dated);
        UpdatedAt = now;
    }
}

/// <summary>The master data of a school, as registered or changed.</summary>
public sealed record SchoolDetails(string Number, string Name, SchoolType Type, string Street, string PostalCode, string City, string District);

public enum MepStandardStatus
{
    /// <summary>Not planned for the MEP standard yet.</summary>
    None,

    /// <summary>In a rollout wave with a target year.</summary>
    Planned,

    /// <summary>Fully built and accepted into regular operation in the MEP standard.</summary>
    Joined,
}

internal sealed class SchoolConfiguration : IEntityTypeConfiguration<School>
{
    public void Configure(EntityTypeBuilder<School> school)
    {
        school.ToTable("schools");
        school.HasKey(s => s.Id);
        school.Ignore(s => s.Programmes);
        school.HasIndex(s => s.Number).IsUnique();
        school.HasIndex(s => s.Name);
        school.HasIndex(s => s.Type);
        school.HasIndex(s => s.District);
    }
}
