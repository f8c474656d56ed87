using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Validation;
using Mep.Staffing.Counts;
using Mep.Staffing.Models;

namespace Mep.Staffing.History;

/// <summary>
/// One day of history: the devices of the schools asked for, how many were at MEP standard, and the FTE under the model (the
/// sum of the schools' exact FTE, each under the version valid that day).
/// </summary>
public sealed record HistoryPoint(DateOnly TakenOn, int Schools, int SchoolsAtMepStandard, DeviceCounts Devices, decimal Fte);

/// <param name="From">First day (default: 365 days before To).</param>
/// <param name="To">Last day (default: today).</param>
/// <param name="SchoolId">Only this school.</param>
/// <param name="SchoolNumber">Only the school with this number (with schoolId, both must name the same school).</param>
/// <param name="District">Only schools of this district (as it is today).</param>
public sealed record HistoryQuery(
    [MaxLength(CreateModelRequest.MaxCode)] string? Model, DateOnly? From, DateOnly? To, Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber, [MaxLength(SchoolFields.MaxDistrict)] string? District)
    : IValidatableRequest
{
    public static readonly DateOnly Earliest = new(2000, 1, 1);
    public static readonly DateOnly Latest = new(2100, 12, 31);
    public const int MaxDays = 3660;

    public void Validate(ValidationErrors errors)
    {
        foreach (var (field, day) in new[] { ("from", From), ("to", To) })
        {
            if (day is { } d && (d < Earliest || d > Latest))
            {
                errors.Add(field, "A day from 2000-01-01 to 2100-12-31.");
            }
        }
    }
}
