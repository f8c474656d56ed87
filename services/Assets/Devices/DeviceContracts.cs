using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.Devices;

public sealed record DeviceResponse(
    Guid Id,
    Guid SchoolId,
    string SerialNumber,
    DeviceStatus Status,
    DateTimeOffset StatusChangedAt,
    DeviceKind Kind,
    string Manufacturer,
    string Model,
    Guid? RoomId,
    MdmState MdmState,
    DateOnly? MdmEnrolledOn,
    DateOnly? PurchaseDate,
    decimal? PurchasePrice,
    DateOnly? WarrantyEnd,
    FundingSource? FundingSource,
    int? UsefulLifeMonths,
    TabletOwnership? Ownership,
    string? PupilReference,
    SubsidyCategory? SubsidyCategory,
    string? FamilyReference,
    int? SiblingOrder,
    decimal? ContractMonthlyRate,
    int? ContractMonths,
    string? ContractProvider,
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
public sealed record StatusChangeRequest(string? Status, string? Note) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("status", Status) && ParsedStatus is null)
        {
            errors.Add("status", "Use ordered, delivered, inService, inRepair, lost or retired.");
        }

        errors.Text("note", Note, 500, required: false);
    }

    public DeviceStatus? ParsedStatus => Mep.Contracts.EnumText.TryParseName<DeviceStatus>(Status, out var status) ? status : null;
}

/// <param name="Reason">Why the device leaves the inventory (sold, broken beyond repair, stolen); at most 500 characters.</param>
public sealed record RetireRequest(string? Reason) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Text("reason", Reason, 500, required: false);
}

/// <param name="SchoolId">The school the device goes to; omit to stay at the same school.</param>
/// <param name="RoomId">The room it goes to; omit (null) for no particular room.</param>
public sealed record MoveRequest(Guid? SchoolId, Guid? RoomId, string? Note) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Text("note", Note, 500, required: false);
}

/// <param name="DeviceIds">Up to 5,000 devices; all change or none does.</param>
public sealed record BulkStatusChangeRequest(IReadOnlyList<Guid>? DeviceIds, string? Status, string? Note) : IValidatableRequest
{
    public const int MaxDevices = 5_000;

    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("deviceIds", DeviceIds) && DeviceIds!.Count is 0 or > MaxDevices)
        {
            errors.Add("deviceIds", $"1 to {MaxDevices} device ids.");
        }

        new StatusChangeRequest(Status, Note).Validate(errors);
    }
}

public sealed record DeviceHistoryResponse(
    long Id, DateTimeOffset At, string Actor, DeviceChange Change, DeviceStatus? FromStatus, DeviceStatus? ToStatus,
    Guid? FromSchoolId, Guid? ToSchoolId, Guid? FromRoomId, Guid? ToRoomId, string? Note);
