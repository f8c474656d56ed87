using System.Text.Json.Serialization;

namespace Mep.Contracts.Assets;

/// <summary>Who borrows a loan device. Both appear only as pseudonymous references, never by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BorrowerKind>))]
public enum BorrowerKind
{
    Pupil,
    Teacher,
}

/// <summary>How a lent device was lost to the school.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LossKind>))]
public enum LossKind
{
    Lost,
    Stolen,
}

/// <summary>
/// Devices were handed out by one school in one call (a single loan, a class set, a cart, or a replacement while a device is away
/// for repair). One event per hand-out, not per device. Funding counts loan devices per programme for its proof of use from these.
/// </summary>
public sealed record DevicesLent(Guid SchoolId, IReadOnlyList<LentDevice> Loans, DateTimeOffset OccurredAt);

/// <param name="FundingSource">The programme that financed the device (it decides who may borrow it and until when).</param>
/// <param name="RepairCaseId">Set when the loan replaces a device that is away for repair (Support's repair case).</param>
public sealed record LentDevice(
    Guid LoanId, Guid DeviceId, FundingSource? FundingSource, BorrowerKind BorrowerKind, DateOnly LentOn, DateOnly DueBack, Guid? RepairCaseId);

/// <summary>Lent devices came back to one school in one call (a single return, or the end of the school year).</summary>
public sealed record DevicesReturned(Guid SchoolId, IReadOnlyList<ReturnedLoan> Returns, DateTimeOffset OccurredAt);

/// <param name="Damaged">The device came back damaged (its settlement follows the loan agreement).</param>
/// <param name="MissingAccessories">How many of the accessories handed out did not come back.</param>
public sealed record ReturnedLoan(Guid LoanId, Guid DeviceId, DateOnly ReturnedOn, bool Damaged, int MissingAccessories, Guid? RepairCaseId);

/// <summary>A lent device was reported lost or stolen; the device leaves the counts (its status becomes lost as well).</summary>
public sealed record LoanLost(Guid LoanId, Guid DeviceId, Guid SchoolId, LossKind Kind, DateOnly ReportedOn, DateTimeOffset OccurredAt);

/// <summary>
/// A borrower changed school and took the device along: the loan ends at <paramref name="FromSchoolId"/> and continues as
/// <paramref name="NewLoanId"/> at <paramref name="ToSchoolId"/> (each school sees only its part). The device's move is reported by
/// <see cref="DeviceMoved"/> as for any move.
/// </summary>
public sealed record LoanTransferred(
    Guid LoanId, Guid NewLoanId, Guid DeviceId, Guid FromSchoolId, Guid ToSchoolId, DateOnly TransferredOn, DateTimeOffset OccurredAt);

/// <summary>
/// A device went away for repair and its user needed a replacement, but the school had no free loan device of that kind. Support
/// shows it on the repair case; a later hand-out names the repair case when one is free.
/// </summary>
public sealed record ReplacementUnavailable(Guid RepairCaseId, Guid DeviceId, Guid SchoolId, DateTimeOffset OccurredAt);

/// <summary>
/// Who makes a device and until when its warranty runs, for repairs (the payer) and their reports (per model and vendor).
/// Added after the first device events: consumers read null as "not told".
/// </summary>
public sealed record DeviceMake(string Manufacturer, string Model, DateOnly? WarrantyEnd);
