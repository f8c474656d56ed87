using Mep.Assets.BoardSystems;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Devices;

/// <summary>
/// What a school or planner records about a device, apart from its identity (serial, school) and its
/// lifecycle status: the same set for a registration, a batch row, a CSV line and a full update.
/// Checked by <see cref="DeviceRules"/> before it reaches a <see cref="Device"/>.
/// </summary>
public sealed record DeviceFacts(
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
    BoardComponentKind? ComponentKind);

/// <summary>A device in the inventory. Its serial number is unique across all schools.</summary>
public sealed class Device
{
    private Device()
    {
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }

    /// <summary>Trimmed and upper case (<see cref="Contracts.Assets.SerialNumber.Normalise"/>): "c02x 1abc " and "C02X1ABC" are not two devices only when typed alike.</summary>
    public string SerialNumber { get; private set; } = string.Empty;

    public DeviceStatus Status { get; private set; }
    public DateTimeOffset StatusChangedAt { get; private set; }

    public DeviceKind Kind { get; private set; }
    public string Manufacturer { get; private set; } = string.Empty;
    public string Model { get; private set; } = string.Empty;
    public Guid? RoomId { get; private set; }
    public MdmState MdmState { get; private set; }
    public DateOnly? MdmEnrolledOn { get; private set; }
    public DateOnly? PurchaseDate { get; private set; }
    public decimal? PurchasePrice { get; private set; }
    public DateOnly? WarrantyEnd { get; private set; }
    public FundingSource? FundingSource { get; private set; }

    /// <summary>Useful life for depreciation, in months (the city's AfA table gives 36 to 60 for IT).</summary>
    public int? UsefulLifeMonths { get; private set; }

    public TabletOwnership? Ownership { get; private set; }

    /// <summary>Pseudonymous pupil reference of a parent-financed device; never a name.</summary>
    public string? PupilReference { get; private set; }

    public SubsidyCategory? SubsidyCategory { get; private set; }

    /// <summary>Pseudonymous family reference, linking siblings for the sibling subsidy.</summary>
    public string? FamilyReference { get; private set; }

    /// <summary>1 for a family's first child in the programme, 2 for the second, ...; the sibling subsidy starts at 2.</summary>
    public int? SiblingOrder { get; private set; }

    public decimal? ContractMonthlyRate { get; private set; }
    public int? ContractMonths { get; private set; }
    public string? ContractProvider { get; private set; }
    public Guid? BoardSystemId { get; private set; }
    public BoardComponentKind? ComponentKind { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    public static Device Register(Guid id, Guid schoolId, string serialNumber, DeviceStatus status, DeviceFacts facts, DateTimeOffset now)
    {
        if (status == DeviceStatus.Retired)
        {
            throw new DomainRuleException("device-register-retired", "A device cannot enter the inventory retired.");
        }

        var device = new Device
        {
            Id = id,
            SchoolId = schoolId,
            SerialNumber = Contracts.Assets.SerialNumber.Normalise(serialNumber),
            Status = status,
            StatusChangedAt = now,
            CreatedAt = now,
        };
        device.Apply(facts, now);
        return device;
    }

    public DeviceFacts Facts => new(Kind, Manufacturer, Model, RoomId, MdmState, MdmEnrolledOn, PurchaseDate, PurchasePrice, WarrantyEnd,
        FundingSource, UsefulLifeMonths, Ownership, PupilReference, SubsidyCategory, FamilyReference, SiblingOrder, ContractMonthlyRate,
        ContractMonths, ContractProvider, BoardSystemId, ComponentKind);

    public DeviceClassification Classification =>
        new(Kind, Ownership, SubsidyCategory, BoardSystemId, ComponentKind, FundingSource, Status);

    public DeviceMake Make => new(Manufacturer, Model, WarrantyEnd);

    public DeviceFinancials Financials =>
        FinancialsOf(Kind, Ownership, PurchaseDate, PurchasePrice, UsefulLifeMonths, ContractMonthlyRate, ContractMonths, ContractProvider);

    /// <summary>
    /// What Funding needs of a device's money: purchase, useful life and, only for a parent-financed pupil tablet with a rate and
    /// a term, the parents' contract. Static so that a query projecting columns (the republication) builds the same as a loaded device.
    /// </summary>
    public static DeviceFinancials FinancialsOf(DeviceKind kind, TabletOwnership? ownership, DateOnly? purchaseDate, decimal? purchasePrice,
        int? usefulLifeMonths, decimal? contractMonthlyRate, int? contractMonths, string? contractProvider) =>
        new(purchaseDate, purchasePrice, usefulLifeMonths,
            kind == DeviceKind.Tablet && ownership == TabletOwnership.ParentFinancedPupil
                && contractMonthlyRate is { } rate && contractMonths is { } months
                ? new ParentContract(rate, months, contractProvider)
                : null);

    /// <summary>Replaces the recorded facts; false when nothing changed (a repeated registration is not an update).</summary>
    public bool Update(DeviceFacts facts, DateTimeOffset now)
    {
        EnsureNotRetired("update");
        if (Normalise(facts) == Facts)
        {
            return false;
        }

        Apply(facts, now);
        return true;
    }

    /// <summary>Corrects a mistyped serial number; uniqueness is checked by the caller and by the unique index.</summary>
    public void CorrectSerialNumber(string serialNumber, DateTimeOffset now)
    {
        EnsureNotRetired("update");
        SerialNumber = Contracts.Assets.SerialNumber.Normalise(serialNumber);
        UpdatedAt = now;
    }

    public void ChangeStatus(DeviceStatus to, DateTimeOffset now)
    {
        if (!DeviceRules.MayChange(Status, to))
        {
            throw new DomainRuleException("device-status-transition",
                $"A device cannot go from {DeviceRules.Name(Status)} to {DeviceRules.Name(to)}. Allowed from {DeviceRules.Name(Status)}: "
                + (DeviceRules.AllowedFrom(Status) is { Count: > 0 } allowed ? string.Join(", ", allowed.Select(DeviceRules.Name)) : "nothing (retired is final)")
                + ".") { IsStateConflict = Status == DeviceStatus.Retired };
        }

        Status = to;
        StatusChangedAt = now;
        if (to == DeviceStatus.Retired)
        {
            // A retired part frees its place in the board system for its replacement.
            BoardSystemId = null;
        }

        UpdatedAt = now;
    }

    /// <summary>To another room or school. Leaving the room also leaves the room's board system.</summary>
    public void MoveTo(Guid schoolId, Guid? roomId, DateTimeOffset now)
    {
        EnsureNotRetired("move");
        if (roomId != RoomId || schoolId != SchoolId)
        {
            BoardSystemId = null;
        }

        SchoolId = schoolId;
        RoomId = roomId;
        UpdatedAt = now;
    }

    /// <summary>A dismantled board system releases its components; they stay in their room.</summary>
    public void LeaveBoardSystem(DateTimeOffset now)
    {
        BoardSystemId = null;
        UpdatedAt = now;
    }

    private void EnsureNotRetired(string what)
    {
        if (Status == DeviceStatus.Retired)
        {
            throw new DomainRuleException("device-retired", $"The device is retired; a retired device cannot {what}.") { IsStateConflict = true };
        }
    }

    private static DeviceFacts Normalise(DeviceFacts facts) => facts with
    {
        Manufacturer = facts.Manufacturer.Trim(),
        Model = facts.Model.Trim(),
        PupilReference = facts.PupilReference?.Trim(),
        FamilyReference = facts.FamilyReference?.Trim(),
        ContractProvider = string.IsNullOrWhiteSpace(facts.ContractProvider) ? null : facts.ContractProvider.Trim(),
    };

    private void Apply(DeviceFacts facts, DateTimeOffset now)
    {
        facts = Normalise(facts);
        (Kind, Manufacturer, Model, RoomId, MdmState, MdmEnrolledOn) =
            (facts.Kind, facts.Manufacturer, facts.Model, facts.RoomId, facts.MdmState, facts.MdmEnrolledOn);
        (PurchaseDate, PurchasePrice, WarrantyEnd, FundingSource, UsefulLifeMonths) =
            (facts.PurchaseDate, facts.PurchasePrice, facts.WarrantyEnd, facts.FundingSource, facts.UsefulLifeMonths);
        (Ownership, PupilReference, SubsidyCategory, FamilyReference, SiblingOrder) =
            (facts.Ownership, facts.PupilReference, facts.SubsidyCategory, facts.FamilyReference, facts.SiblingOrder);
        (ContractMonthlyRate, ContractMonths, ContractProvider, BoardSystemId, ComponentKind) =
            (facts.ContractMonthlyRate, facts.ContractMonths, facts.ContractProvider, facts.BoardSystemId, facts.ComponentKind);
        UpdatedAt = now;
    }
}

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    /// <summary>What the device list filters on, carried in the list indexes so that skipping pages never reads the table.</summary>
    private static readonly string[] ListFilterColumns =
    [
        nameof(Device.Kind), nameof(Device.Status), nameof(Device.Ownership), nameof(Device.SubsidyCategory), nameof(Device.MdmState),
        nameof(Device.FundingSource),
    ];

    public void Configure(EntityTypeBuilder<Device> device)
    {
        device.ToTable("devices");
        device.HasKey(d => d.Id);
        device.Property(d => d.PurchasePrice).HasPrecision(12, 2);
        device.Property(d => d.ContractMonthlyRate).HasPrecision(8, 2);
        device.Ignore(d => d.Facts);
        device.Ignore(d => d.Classification);
        device.Ignore(d => d.Financials);
        device.HasIndex(d => d.SerialNumber).IsUnique();
        // One school's list pages in the two main orders, found on the index alone (Migrations/0002).
        device.HasIndex(d => new { d.SchoolId, d.SerialNumber }).IncludeProperties([nameof(Device.Id), .. ListFilterColumns]);
        device.HasIndex(d => new { d.SchoolId, d.CreatedAt, d.Id }).IncludeProperties(ListFilterColumns);
        device.HasIndex(d => d.RoomId);
        // A board system has at most one component of each kind.
        device.HasIndex(d => new { d.BoardSystemId, d.ComponentKind }).IsUnique().HasFilter("board_system_id IS NOT NULL");
        device.HasOne<BoardSystem>().WithMany().HasForeignKey(d => d.BoardSystemId).OnDelete(DeleteBehavior.Restrict);
    }
}
