using Mep.Contracts.Assets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Staffing.Counts;

/// <summary>
/// A device as Staffing knows it from Assets' events, each part with the time it was true at Assets. Written only by
/// <see cref="InventoryReplica"/> (in SQL, newest part wins); mapped for reading.
/// </summary>
public sealed class TrackedDevice
{
    public Guid DeviceId { get; private set; }
    public Guid? SchoolId { get; private set; }
    public DateTimeOffset SchoolAsOf { get; private set; }

    /// <summary>Null until an event with the device's kind arrives (a status change may come first).</summary>
    public CountCategory? Category { get; private set; }

    public DateTimeOffset ClassificationAsOf { get; private set; }
    public DeviceStatus? Status { get; private set; }
    public DateTimeOffset StatusAsOf { get; private set; }
}

/// <summary>A board system as Staffing knows it: counted while it is set up and not dismantled.</summary>
public sealed class TrackedBoardSystem
{
    public Guid BoardSystemId { get; private set; }
    public Guid? SchoolId { get; private set; }
    public bool SetUp { get; private set; }
    public bool Dismantled { get; private set; }
}

internal sealed class TrackedDeviceConfiguration : IEntityTypeConfiguration<TrackedDevice>
{
    public void Configure(EntityTypeBuilder<TrackedDevice> device)
    {
        device.ToTable("tracked_devices");
        device.HasKey(d => d.DeviceId);
        device.HasIndex(d => d.SchoolId).IncludeProperties(d => new { d.Category, d.Status });
    }
}

internal sealed class TrackedBoardSystemConfiguration : IEntityTypeConfiguration<TrackedBoardSystem>
{
    public void Configure(EntityTypeBuilder<TrackedBoardSystem> system)
    {
        system.ToTable("tracked_board_systems");
        system.HasKey(b => b.BoardSystemId);
        system.HasIndex(b => b.SchoolId);
    }
}
