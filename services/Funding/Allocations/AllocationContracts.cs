using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Auth;
using Mep.Funding.Programmes;
using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Allocations;

/// <summary>Which of a school's two pots money is moved between.</summary>
public enum AllocationPot
{
    Base,
    PerPupilShare,
}

public sealed record SchoolShare([Required] Guid? SchoolId, [Required, Money(ProgrammeFields.MaxPool)] decimal? Amount);

/// <summary>The whole per-pupil distribution of a programme: schools not named get 0.</summary>
public sealed record PerPupilDistributionRequest(
    [Required, MaxLength(PerPupilDistributionRequest.MaxSchools, ErrorMessage = "At most 10,000 schools.")] IReadOnlyList<SchoolShare?>? Shares,
    [MaxLength(ProgrammeFields.MaxNote)] string? Reason) : IValidatableRequest
{
    public const int MaxSchools = 10_000;

    public void Validate(ValidationErrors errors)
    {
        if (Shares is not { Count: <= MaxSchools })
        {
            return;
        }

        var seen = new HashSet<Guid>();
        for (var i = 0; i < Shares.Count; i++)
        {
            if (Shares[i] is { SchoolId: { } school } && !seen.Add(school))
            {
                errors.Add($"shares[{i}].schoolId", "Each school once.");
            }
        }
    }
}

public sealed record AllocationTransferRequest(
    [Required] Guid? FromSchoolId, [Required] Guid? ToSchoolId, [Required] AllocationPot? Pot,
    [Required, Money(ProgrammeFields.MaxPool, Positive = true)] decimal? Amount, [Required, MaxLength(ProgrammeFields.MaxNote)] string? Reason)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (FromSchoolId is not null && FromSchoolId == ToSchoolId)
        {
            errors.Add("toSchoolId", "Another school than fromSchoolId.");
        }
    }
}

/// <param name="Number">The school's number (also as schoolNumber, the name every row that refers to a school uses).</param>
/// <param name="Name">The school's name (also as schoolName).</param>
/// <param name="BaseMissing">The programme has a base amount rule but the school has no pupils for its school year: no base.</param>
public sealed record SchoolAllocationRow(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? Number, [MaxLength(SchoolFields.MaxName)] string? Name, SchoolType? Type, int? BasePupils, decimal BaseAmount,
    bool BaseMissing, decimal PerPupilShare, decimal Total)
{
    [MaxLength(SchoolFields.NumberLength)]
    public string? SchoolNumber => Number;

    [MaxLength(SchoolFields.MaxName)]
    public string? SchoolName => Name;

    internal static SchoolAllocationRow From(Allocation? allocation, Guid schoolId, Mep.SchoolDirectory.KnownSchool? school,
        bool hasBaseRule) =>
        new(schoolId, school?.Number, school?.Name, school?.Type, allocation?.BasePupils, allocation?.BaseAmount ?? 0m,
            hasBaseRule && allocation?.BasePupils is null, allocation?.PerPupilShare ?? 0m, allocation?.Total ?? 0m);
}

public sealed record AllocationTotals(decimal BaseAmount, decimal PerPupilShare, decimal Total);

/// <param name="Difference">Allocated minus pool, to the cent: -0.50 when half a euro of the pool is not distributed; null without a pool.</param>
public sealed record PotCheck(decimal? Pool, decimal Allocated, decimal? Difference)
{
    internal static PotCheck Of(decimal? pool, decimal allocated) => new(pool, allocated, pool is null ? null : allocated - pool);
}

/// <summary>
/// A figure as a source prints it, beside what the programme's rules configure and what the allocations add up to. Differences are
/// printed minus configured and printed minus computed: the council paper's 17,286,836 per-pupil share shows +70,000.00.
/// </summary>
public sealed record PublishedFigureCheck(
    [MaxLength(PublishedFigure.MaxFigure)] string Figure, decimal Printed, [MaxLength(PublishedFigure.MaxSource)] string Source, decimal? Configured, decimal? DifferenceToConfigured,
    decimal? Computed, decimal? DifferenceToComputed);

/// <param name="BaseTotal">The base amounts added up (99 schools with 60 or more pupils: 2,970,000.00).</param>
/// <param name="PerPupilShare">The distributed per-pupil shares against the rule's per-pupil pool.</param>
/// <param name="Programme">Base plus per-pupil shares against the programme's pool.</param>
public sealed record PoolCheck(int Schools, int SchoolsWithBase, IReadOnlyList<Guid> SchoolsMissingBase, decimal BaseTotal, PotCheck PerPupilShare,
    PotCheck Programme, [MaxLength(ProgrammeRules.MaxPublishedFigures)] IReadOnlyList<PublishedFigureCheck> PublishedFigures);

public sealed record ProgrammeAllocations(
    [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode, [MaxLength(ProgrammeFields.MaxName)] string ProgrammeName, int? BasePupilsOfStartYear,
    bool BaseBoundToSchool, IReadOnlyList<SchoolAllocationRow> Schools, AllocationTotals Totals, PoolCheck PoolCheck, DateTimeOffset UpdatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string UpdatedBy, [MaxLength(ETags.MaxLength)] string ETag);

public sealed record SchoolProgrammeAllocation([MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode, [MaxLength(ProgrammeFields.MaxName)] string ProgrammeName, int? BasePupils, decimal BaseAmount, bool BaseMissing,
    bool BaseBoundToSchool, decimal PerPupilShare, decimal Total);

public sealed record SchoolAllocations(Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string Number, [MaxLength(SchoolFields.MaxName)] string Name, SchoolType Type, IReadOnlyList<SchoolProgrammeAllocation> Programmes);

/// <param name="Number">The school's number (also as schoolNumber, the name every row that refers to a school uses).</param>
public sealed record ProposedShare(Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string Number, SchoolType Type, int? Pupils,
    decimal Weight, decimal WeightedPupils, decimal Amount, [MaxLength(SchoolFields.MaxName)] string SchoolName)
{
    [MaxLength(SchoolFields.NumberLength)]
    public string SchoolNumber => Number;
}

/// <summary>A per-pupil distribution computed from pupils and type weights, not stored: PUT <see cref="Shares"/> to apply it.</summary>
/// <param name="Difference">Total minus pool: 0.00 unless no school has pupils.</param>
public sealed record PerPupilShareProposal([MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode, decimal Pool, int PupilsOfStartYear, IReadOnlyList<ProposedShare> Schools,
    decimal Total, decimal Difference, IReadOnlyList<Guid> SchoolsWithoutFigures, IReadOnlyList<SchoolShare> Shares);

public sealed record AllocationTransferResult(
    [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode, AllocationPot Pot, [Money(ProgrammeFields.MaxPool)] decimal Amount,
    [MaxLength(ProgrammeFields.MaxNote)] string Reason, SchoolAllocationRow From, SchoolAllocationRow To, [MaxLength(ETags.MaxLength)] string ETag);
