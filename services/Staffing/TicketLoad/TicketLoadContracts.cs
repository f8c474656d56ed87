using Mep.Staffing.Models;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Validation;

namespace Mep.Staffing.TicketLoad;

/// <summary>
/// A month's ticket load next to the ratio-based need. Devices and need are those of the last snapshot in the month (the live
/// ones for a month without a snapshot yet); devices are physical devices in use (tablets of every ownership, computer-room
/// devices, board-system components, network devices). Per post: the current posts; per needed FTE: the model's exact need.
/// </summary>
public sealed record MonthLoad([MaxLength(TicketLoadQuery.MonthLength)] string Month, int Tickets, int SolvedBySchool, int Devices, decimal? TicketsPer1000Devices, decimal NeedFte,
    decimal? TicketsPerNeededFte, decimal CurrentPosts, decimal? TicketsPerPost, bool FromLiveCounts);

public sealed record TicketLoadReport(
    [MaxLength(CreateModelRequest.MaxCode)] string Model, Guid? SchoolId, [MaxLength(TicketLoadQuery.MaxMonths)] IReadOnlyList<MonthLoad> Months);

/// <param name="From">First month, yyyy-MM (default: eleven months before To).</param>
/// <param name="To">Last month, yyyy-MM (default: this month).</param>
/// <param name="SchoolId">Only this school.</param>
/// <param name="SchoolNumber">Only the school with this number (with schoolId, both must name the same school).</param>
public sealed record TicketLoadQuery(
    [MaxLength(TicketLoadQuery.MonthLength)] string? From, [MaxLength(TicketLoadQuery.MonthLength)] string? To,
    [MaxLength(CreateModelRequest.MaxCode)] string? Model, Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber) : IValidatableRequest
{
    /// <summary>A month as yyyy-MM.</summary>
    public const int MonthLength = 7;

    public void Validate(ValidationErrors errors)
    {
        if (From is not null && ParseMonth(From) is null)
        {
            errors.Add("from", "A month as yyyy-MM, 2000-01 to 2100-12.");
        }

        if (To is not null && ParseMonth(To) is null)
        {
            errors.Add("to", "A month as yyyy-MM, 2000-01 to 2100-12.");
        }
    }

    public const int MaxMonths = 120;

    public static DateOnly? ParseMonth(string? text) =>
        DateOnly.TryParseExact(text?.Trim() + "-01", "yyyy-MM-dd", out var month) && month.Year is >= 2000 and <= 2100 ? month : null;
}
