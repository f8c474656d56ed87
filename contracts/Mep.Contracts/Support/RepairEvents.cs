using System.Text.Json.Serialization;

namespace Mep.Contracts.Support;

/// <summary>Who pays a repair: decided from the device's ownership, purchase date and warranty, the parents' contract and the school's budget.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RepairPayer>))]
public enum RepairPayer
{
    /// <summary>A parent-financed pupil tablet: the provider under the parents' contract, at no cost to the city.</summary>
    ParentsProvider,

    /// <summary>Within the manufacturer's warranty (per device or per model).</summary>
    ManufacturerWarranty,

    /// <summary>Within the seller's statutory liability for defects (Gewährleistung).</summary>
    SellerLiability,

    /// <summary>A paid repair through the contractor, charged to the school's system-support budget (Systembetreuungsmittel).</summary>
    SchoolSystemSupportBudget,

    /// <summary>A paid repair the city carries (no budget of the school's left, or not a contractor's job).</summary>
    City,
}

/// <summary>
/// Whose money a payer spends: the school authority's (the city's own, and the school's system-support budget that the Land and the city
/// give it) or others' (the parents' provider, a manufacturer's warranty, the seller's liability). Support's cases and reports and
/// Funding's repair costs must agree on it, so the rule is written here once.
/// </summary>
public static class RepairPayers
{
    public static bool IsCityMoney(RepairPayer payer) => payer is RepairPayer.City or RepairPayer.SchoolSystemSupportBudget;
}

[JsonConverter(typeof(JsonStringEnumConverter<RepairOutcome>))]
public enum RepairOutcome
{
    /// <summary>The device came back repaired and is in service again.</summary>
    Repaired,

    /// <summary>Not worth repairing or beyond repair: the device is retired.</summary>
    WrittenOff,
}

/// <summary>
/// A device left its school for repair (to the vendor or the contractor). Assets sets the device in repair and, when its user needs one
/// (<paramref name="ReplacementWanted"/>), lends a free loan device of the school as a replacement (<c>DevicesLent</c> naming this case),
/// or says none was free (<c>ReplacementUnavailable</c>).
/// </summary>
public sealed record DeviceSentForRepair(
    Guid RepairCaseId, Guid TicketId, Guid DeviceId, Guid SchoolId, RepairPayer Payer, DateOnly SentOn, bool ReplacementWanted,
    DateTimeOffset OccurredAt);

/// <summary>
/// A repair case ended: the device is back in service (<see cref="RepairOutcome.Repaired"/>) or written off (retired). Assets follows with
/// the device's status and takes back the replacement loan of the case.
/// </summary>
public sealed record RepairCaseClosed(
    Guid RepairCaseId, Guid DeviceId, Guid SchoolId, RepairOutcome Outcome, DateOnly ClosedOn, DateTimeOffset OccurredAt);

/// <summary>A cost of a repair was recorded against its payer; Funding reports repair costs per school and payer from these.</summary>
/// <param name="ContractorHours">Hours of the contractor when the cost is a contractor booking (charged to the school's budget), else null.</param>
public sealed record RepairCostRecorded(
    Guid CostId, Guid RepairCaseId, Guid SchoolId, Guid DeviceId, RepairPayer Payer, decimal Amount, decimal? ContractorHours,
    DateOnly IncurredOn, DateTimeOffset OccurredAt);
