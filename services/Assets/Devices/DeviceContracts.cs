using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.Devices;

/// <param name="SchoolNumber">The school's number, from the school directory (null only while the directory does not know the school yet).</param>
/// <param name="SchoolName">The school's name, from the school directory.</param>
public sealed record DeviceResponse(
    Guid Id,
    Guid SchoolId,
    [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    [MaxLength(SerialNumber.MaxLength)] string SerialNumber,
    DeviceStatus Status,
    DateTimeOffset StatusChangedAt,
    DeviceKind Kind,
    [MaxLength(DeviceRow.MaxText)] string Manufacturer,
    [MaxLength(DeviceRow.MaxText)] string Model,
    Guid? RoomId,
    MdmState MdmState,
    DateOnly? MdmEnrolledOn,
    DateOnly? PurchaseDate,
    [Money(DeviceRow.MaxPurchasePrice)] decimal? PurchasePrice,
    DateOnly? WarrantyEnd,
    FundingSource? FundingSource,
    [Range(1, DeviceRow.MaxUsefulLifeMonths)] int? UsefulLifeMonths,
    TabletOwnership? Ownership,
    [MaxLength(DeviceRow.MaxPseudonym)] string? PupilReference,
    SubsidyCategory? SubsidyCategory,
    [MaxLength(DeviceRow.MaxPseudonym)] string? FamilyReference,
    [Range(1, DeviceRow.MaxSiblingOrder)] int? SiblingOrder,
    [Money(DeviceRow.MaxContractMonthlyRate)] decimal? ContractMonthlyRate,
    [Range(1, DeviceRow.MaxContractMonths)] int? ContractMonths,
    [MaxLength(DeviceRow.MaxText)] string? ContractProvider,
    Guid? BoardSystemId,
    BoardComponentKind? ComponentKind,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static DeviceResponse From(Device d, KnownSchool? school) => new(d.Id, d.SchoolId, school?.Number, school?.Name, d.SerialNumber,
        d.Status, d.StatusChangedAt, d.Kind, d.Manufacturer, d.Model, d.RoomId, d.MdmState, d.MdmEnrolledOn, d.PurchaseDate, d.PurchasePrice,
        d.WarrantyEnd, d.FundingSource, d.UsefulLifeMonths, d.Ownership, d.PupilReference, d.SubsidyCategory, d.FamilyReference, d.SiblingOrder,
        d.ContractMonthlyRate, d.ContractMonths, d.ContractProvider, d.BoardSystemId, d.ComponentKind, d.CreatedAt, d.UpdatedAt);
}

/// <param name="Status">ordered, delivered, inService, inRepair, lost or retired; see the allowed transitions in the operation's description.</param>
/// <param name="Note">Why, for the history (e.g. a repair ticket number); at most 500 characters.</param>
public sealed record StatusChangeRequest(
    [Required, EnumName<DeviceStatus>] string? Status,
    [MaxLength(StatusChangeRequest.MaxNote)] string? Note) : IValidatableRequest
{
    /// <summary>Notes and reasons for a device's history.</summary>
    public const int MaxNote = 500;
}

/// <param name="Reason">Why the device leaves the inventory (sold, broken beyond repair, stolen); at most 500 characters.</param>
public sealed record RetireRequest([MaxLength(StatusChangeRequest.MaxNote)] string? Reason) : IValidatableRequest;

/// <param name="SchoolId">The school the device goes to; omit to stay at the same school.</param>
/// <param name="RoomId">The room it goes to; omit (null) for no particular room.</param>
public sealed record MoveRequest(Guid? SchoolId, Guid? RoomId, [MaxLength(StatusChangeRequest.MaxNote)] string? Note) : IValidatableRequest;

/// <param name="DeviceIds">Up to 5,000 devices; all change or none does.</param>
public sealed record BulkStatusChangeRequest(
    [Required, Length(1, BulkStatusChangeRequest.MaxDevices, ErrorMessage = "1 to 5000 device ids.")] IReadOnlyList<Guid>? DeviceIds,
    [Required, EnumName<DeviceStatus>] string? Status,
    [MaxLength(StatusChangeRequest.MaxNote)] string? Note) : IValidatableRequest
{
    public const int MaxDevices = 5_000;
}

public sealed record DeviceHistoryResponse(
    [Range(1, DeclaredLimits.MaxSafeInteger)] long Id, DateTimeOffset At, [MaxLength(CallerClaims.MaxActorLength)] string Actor, DeviceChange Change,
    DeviceStatus? FromStatus, DeviceStatus? ToStatus, Guid? FromSchoolId, Guid? ToSchoolId, Guid? FromRoomId, Guid? ToRoomId,
    [MaxLength(StatusChangeRequest.MaxNote)] string? Note);

public sealed record BulkStatusChangeResult([Range(0, BulkStatusChangeRequest.MaxDevices)] int Changed, [EnumName<DeviceStatus>] string Status);

/// <summary>
/// A device as a client sends it: one registration, one row of a JSON batch or one CSV line. Enum values and
/// dates are text here so that a bad value is reported for its row and field rather than failing the whole body.
/// </summary>
/// <param name="Status">ordered, delivered or inService on registration (default inService); on a row for a known serial, the status to move to (e.g. retired).</param>
/// <remarks>
/// The limits are declared here for the OpenAPI document and checked by <see cref="DeviceRules.Check"/> with the same constants:
/// a batch reports its errors per row (row, field, reason), not as one request's field errors.
/// </remarks>
public sealed record DeviceRow(
    [Required, MaxLength(DeviceRow.MaxRawSerial)] string? SerialNumber,
    [Required, EnumName<DeviceKind>] string? Kind,
    [Required, MaxLength(DeviceRow.MaxText)] string? Manufacturer,
    [Required, MaxLength(DeviceRow.MaxText)] string? Model,
    Guid? RoomId = null,
    [EnumName<DeviceStatus>] string? Status = null,
    [EnumName<MdmState>] string? MdmState = null,
    [MaxLength(DeviceRow.DayLength)] string? MdmEnrolledOn = null,
    [MaxLength(DeviceRow.DayLength)] string? PurchaseDate = null,
    [Money(DeviceRow.MaxPurchasePrice)] decimal? PurchasePrice = null,
    [MaxLength(DeviceRow.DayLength)] string? WarrantyEnd = null,
    [EnumName<FundingSource>] string? FundingSource = null,
    [Range(1, DeviceRow.MaxUsefulLifeMonths)] int? UsefulLifeMonths = null,
    [EnumName<TabletOwnership>] string? Ownership = null,
    [MaxLength(DeviceRow.MaxPseudonym), RegularExpression(DeviceRow.Pseudonym)] string? PupilReference = null,
    [EnumName<SubsidyCategory>] string? SubsidyCategory = null,
    [MaxLength(DeviceRow.MaxPseudonym), RegularExpression(DeviceRow.Pseudonym)] string? FamilyReference = null,
    [Range(1, DeviceRow.MaxSiblingOrder)] int? SiblingOrder = null,
    [Money(DeviceRow.MaxContractMonthlyRate)] decimal? ContractMonthlyRate = null,
    [Range(1, DeviceRow.MaxContractMonths)] int? ContractMonths = null,
    [MaxLength(DeviceRow.MaxText)] string? ContractProvider = null,
    Guid? BoardSystemId = null,
    [EnumName<BoardComponentKind>] string? ComponentKind = null)
{
    /// <summary>A serial as typed, before spaces are removed (stored: at most <see cref="Mep.Contracts.Assets.SerialNumber.MaxLength"/>).</summary>
    public const int MaxRawSerial = 200;

    public const int MaxText = 100;

    /// <summary>A day as yyyy-MM-dd.</summary>
    public const int DayLength = 10;

    public const double MaxPurchasePrice = 1_000_000;
    public const double MaxContractMonthlyRate = 1_000;
    public const int MaxUsefulLifeMonths = 240;
    public const int MaxSiblingOrder = 20;
    public const int MaxContractMonths = 72;
    public const int MaxPseudonym = 64;

    /// <summary>A pseudonymous reference: 4 to 64 letters, digits, '-' or '_' (never a name).</summary>
    public const string Pseudonym = @"^[A-Za-z0-9_\-]{4,64}$";
}
