using Mep.Contracts.Assets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Assets.Devices;

public enum DeviceChange
{
    Registered,
    Updated,
    StatusChanged,
    Moved,
}

/// <summary>One line of a device's history: who changed what, when. Written with every change, never edited.</summary>
public sealed class DeviceHistoryEntry
{
    private DeviceHistoryEntry()
    {
    }

    public long Id { get; private set; }
    public Guid DeviceId { get; private set; }
    public DateTimeOffset At { get; private set; }

    /// <summary>The staff subject or the school key (CallerClaims.Actor).</summary>
    public string Actor { get; private set; } = string.Empty;

    public DeviceChange Change { get; private set; }
    public DeviceStatus? FromStatus { get; private set; }
    public DeviceStatus? ToStatus { get; private set; }
    public Guid? FromSchoolId { get; private set; }
    public Guid? ToSchoolId { get; private set; }
    public Guid? FromRoomId { get; private set; }
    public Guid? ToRoomId { get; private set; }
    public string? Note { get; private set; }

    public static DeviceHistoryEntry Registered(Device device, string actor, DateTimeOffset at) => new()
    {
        DeviceId = device.Id, At = at, Actor = actor, Change = DeviceChange.Registered, ToStatus = device.Status,
        ToSchoolId = device.SchoolId, ToRoomId = device.RoomId,
    };

    public static DeviceHistoryEntry Updated(Device device, string actor, DateTimeOffset at) =>
        new() { DeviceId = device.Id, At = at, Actor = actor, Change = DeviceChange.Updated };

    public static DeviceHistoryEntry StatusChanged(Guid deviceId, DeviceStatus from, DeviceStatus to, string actor, string? note, DateTimeOffset at) =>
        new() { DeviceId = deviceId, At = at, Actor = actor, Change = DeviceChange.StatusChanged, FromStatus = from, ToStatus = to, Note = note };

    public static DeviceHistoryEntry Moved(Guid deviceId, (Guid School, Guid? Room) from, (Guid School, Guid? Room) to, string actor, string? note,
        DateTimeOffset at) => new()
    {
        DeviceId = deviceId, At = at, Actor = actor, Change = DeviceChange.Moved, FromSchoolId = from.School, ToSchoolId = to.School,
        FromRoomId = from.Room, ToRoomId = to.Room, Note = note,
    };
}

internal sealed class DeviceHistoryEntryConfiguration : IEntityTypeConfiguration<DeviceHistoryEntry>
{
    public void Configure(EntityTypeBuilder<DeviceHistoryEntry> entry)
    {
        entry.ToTable("device_history");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.Id).UseIdentityAlwaysColumn();
        entry.HasIndex(e => new { e.DeviceId, e.Id });
    }
}
