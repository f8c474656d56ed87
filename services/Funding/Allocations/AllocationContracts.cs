using Mep.Contracts;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Allocations;

/// <summary>Which of a school's two pots money is moved between.</summary>
public enum AllocationPot
{
    Base,
    PerPupilShare,
}

public sealed record SchoolShare(Guid? SchoolId, decimal? Amount);

/// <summary>The whole per-pupil distribution of a programme: schools not named get 0.</summary>
public sealed record PerPupilDistributionRequest(IReadOnlyList<SchoolShare?>? Shares, string? Reason) : IValidatableRequest
{
    public const int MaxSchools = 10_000;

    public void Validate(ValidationErrors errors)
    {
        errors.Text("reason", Reason, 2000, required: false);
        if (!errors.Required("shares", Shares))
        {
            return;
        }

        if (Shares!.Count > MaxSchools)
        {
            errors.Add("shares", $"At most {MaxSchools:N0} schools.");
            return;
        }

        errors.NullElements("shares", Shares);
        var seen = new HashSet<Guid>();
        for (var i = 0; i < Shares.Count; i++)
        {
            if (Shares[i] is not { } share)
            {
                continue;
            }

            if (errors.Required($"shares[{i}].schoolId", share.SchoolId) && !seen.Add(share.SchoolId!.Value))
            {
                errors.Add($"shares[{i}].schoolId", "Each school once.");
            }

            if (errors.Required($"shares[{i}].amount", share.Amount))
            {
                errors.Money($"shares[{i}].amount", share.Amount, 100_000_000_000m);
            }
        }
    }
}

public sealed record AllocationTransferRequest(Guid? FromSchoolId, Guid? ToSchoolId, AllocationPot? Pot, decimal? Amount, string? Reason)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.Required("fromSchoolId", FromSchoolId);
        if (errors.Required("toSchoolId", ToSchoolId) && FromSchoolId is not null && FromSchoolId == ToSchoolId)
        {
            errors.Add("toSchoolId", "Another school than fromSchoolId.");
        }

        errors.Required("pot", Pot);
        if (errors.Required("amount", Amount) && errors.Money("amount", Amount, 100_000_000_000m) && Amount == 0)
        {
            errors.Add("amount", "More than 0.");
        }

        errors.Text("reason", Reason, 2000);
    }
}

/// <param name="BaseMissing">The programme has a base amount rule but the school has no pupils for its school year: no base.</param>
public sealed record SchoolAllocationRow(Guid SchoolId, string? Number, string? Name, SchoolType? Type, int? BasePupils, decimal BaseAmount,
    bool BaseMissing, decimal PerPupilShare, decimal Total)
{
    internal static SchoolAllocationRow From(Allocation? allocation, Guid schoolId, Mep.ServiceDefaults.SchoolDirectory.KnownSchool? school,
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
public sealed record PublishedFigureCheck(string Figure, decimal Printed, string Source, decimal? Configured, decimal? DifferenceToConfigured,
    decimal? Computed, decimal? DifferenceToComputed);

/// <param name="BaseTotal">The base amounts added up (99 schools with 60 or more pupils: 2,970,000.00).</param>
/// <param name="PerPupilShare">The distributed per-pupil shares against the rule's per-pupil pool.</param>
/// <param name="Programme">Base plus per-pupil shares against the programme's pool.</param>
public sealed record PoolCheck(int Schools, int SchoolsWithBase, IReadOnlyList<Guid> SchoolsMissingBase, decimal BaseTotal, PotCheck PerPupilShare,
    PotCheck Programme, IReadOnlyList<PublishedFigureCheck> PublishedFigures);

public sealed record ProgrammeAllocations(string ProgrammeCode, string ProgrammeName, int? BasePupilsOfStartYear, bool BaseBoundToSchool,
    IReadOnlyList<SchoolAllocationRow> Schools, AllocationTotals Totals, PoolCheck PoolCheck, DateTimeOffset UpdatedAt, string UpdatedBy, string ETag);

public sealed record SchoolProgrammeAllocation(string ProgrammeCode, string ProgrammeName, int? BasePupils, decimal BaseAmount, bool BaseMissing,
    bool BaseBoundToSchool, decimal PerPupilShare, decimal Total);

public sealed record SchoolAllocations(Guid SchoolId, string Number, string Name, SchoolType Type, IReadOnlyList<SchoolProgrammeAllocation> Programmes);

public sealed record ProposedShare(Guid SchoolId, string Number, SchoolType Type, int? Pupils, decimal Weight, decimal WeightedPupils, decimal Amount);

/// <summary>A per-pupil distribution computed from pupils and type weights, not stored: PUT <see cref="Shares"/> to apply it.</summary>
/// <param name="Difference">Total minus pool: 0.00 unless no school has pupils.</param>
public sealed record PerPupilShareProposal(string ProgrammeCode, decimal Pool, int PupilsOfStartYear, IReadOnlyList<ProposedShare> Schools,
    decimal Total, decimal Difference, IReadOnlyList<Guid> SchoolsWithoutFigures, IReadOnlyList<SchoolShare> Shares);

public sealed record AllocationTransferResult(string ProgrammeCode, AllocationPot Pot, decimal Amount, string Reason, SchoolAllocationRow From,
    SchoolAllocationRow To, string ETag);
