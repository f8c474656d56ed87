using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Staffing.Counts;

/// <param name="Number">The school's number (also as schoolNumber, the name every row that refers to a school uses).</param>
/// <param name="Name">The school's name (also as schoolName).</param>
public sealed record SchoolCountsResponse(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string Number, [MaxLength(SchoolFields.MaxName)] string Name,
    [MaxLength(SchoolFields.MaxTypeCode)] string SchoolType, [MaxLength(SchoolFields.MaxDistrict)] string District, bool AtMepStandard,
    DeviceCounts Counts)
{
    [MaxLength(SchoolFields.NumberLength)]
    public string SchoolNumber => Number;

    [MaxLength(SchoolFields.MaxName)]
    public string SchoolName => Name;
}

public sealed record CountsQuery([MaxLength(SchoolFields.MaxDistrict)] string? District, bool? AtMepStandard, [PageNumber] int? Page, [PageSize] int? PageSize)
    : IValidatableRequest;

/// <summary>How much of the inventory the replica holds, to follow a rebuild.</summary>
public sealed record ReplicaState(long Devices, long DevicesCounted, long BoardSystems, int SchoolsWithCounts, int SchoolsKnown, int SchoolYears);

public sealed record RebuildStarted(Guid RequestId, [MaxLength(500)] string Detail);

public sealed record RecountResult(int Schools, double Milliseconds);
