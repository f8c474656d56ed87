using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.Devices;

public sealed record DeviceResponse(
    Guid Id,
    Guid SchoolId,
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
    public static DeviceResponse From(Device d) => new(d.Id, d.SchoolId, d.SerialNumber, d.Status, d.StatusChangedAt, d.Kind, d.Manufacturer,
        d.Model, d.RoomId, d.MdmState, d.MdmEnrolledOn, d.PurchaseDate, d.PurchasePrice, d.WarrantyEnd, d.FundingSource, d.UsefulLifeMonths,
        d.Ownership, d.PupilReference, d.SubsidyCategory, d.FamilyReference, d.SiblingOrder, d.ContractMonthlyRate, d.ContractMonths,
        d.ContractProvider, d.BoardSystemId, d.ComponentKind, d.CreatedAt, d.UpdatedAt);
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
