using Mep.Messaging;
using Mep.Schools.Buildings;
using Mep.Schools.Register;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Rollout;

/// <summary>
/// Where a school stands on its way to the MEP standard (docs/domain.md, "The MEP standard and the rollout"). Always derived from its
/// parts by <see cref="RolloutAssessment"/>, never typed in; stored only so that lists, plan views and feeds can
/// filter by it.
/// </summary>
public enum RolloutStatus
{
    /// <summary>The school is not in the MEP-standard plan (no wave, no target year).</summary>
    NotInPlan,

    /// <summary>In a wave with a target year; nothing surveyed or built yet.</summary>
    Planned,

    /// <summary>The site survey is recorded; building work has not started.</summary>
    Surveyed,

    /// <summary>Broadband, cabling or technical rooms are under way.</summary>
    BuildingWork,

    /// <summary>Broadband is connected and every building's network is done; rooms are being equipped.</summary>
    Equipping,

    /// <summary>Accepted into regular operation in the MEP standard.</summary>
    Accepted,
}

public enum BroadbandKind
{
    /// <summary>The city's own fibre, preferred.</summary>
    OwnFibre,

    /// <summary>A rented line, where cheaper.</summary>
    RentedLine,
}

public enum BroadbandStatus
{
    NotPlanned,
    Planned,
    Ordered,
    Connected,
}

/// <summary>Progress of a piece of building work or a replacement.</summary>
public enum WorkStatus
{
    NotStarted,
    InProgress,
    Done,
}

/// <summary>A room's WLAN coverage: planned, access points installed, then measured and accepted.</summary>
public enum WlanCoverage
{
    Planned,
    Installed,
    Accepted,
}

/// <summary>The milestones of a school's rollout, in order; each has a planned date and, once reached, the day it was.</summary>
public enum RolloutMilestone
{
    /// <summary>Recorded by the planner when the site survey is done.</summary>
    Surveyed,

    /// <summary>Reached when broadband is connected and every building's network is done.</summary>
    BuildingWork,

    /// <summary>Reached when every room is done.</summary>
    Equipped,

    /// <summary>Reached when the school is accepted into regular operation.</summary>
    Accepted,
}

/// <summary>A school's broadband connection and backbone node (per school, not part of the lump sum).</summary>
public sealed class SchoolRollout
{
    private SchoolRollout()
    {
    }

    public Guid SchoolId { get; private set; }
    public BroadbandKind? BroadbandKind { get; private set; }
    public BroadbandStatus BroadbandStatus { get; private set; }
    public int? BandwidthMbits { get; private set; }
    public string? BroadbandProvider { get; private set; }

    /// <summary>Running cost of the line in EUR per month.</summary>
    public decimal? BroadbandMonthlyCost { get; private set; }

    /// <summary>One-off cost of connecting the school in EUR (digging, house connection).</summary>
    public decimal? BroadbandConnectionCost { get; private set; }

    /// <summary>The backbone node the school hangs off (paid from the MEP budget).</summary>
    public string? BackboneNode { get; private set; }

    /// <summary>Derived by <see cref="RolloutAssessment"/> on every change; see <see cref="RolloutStatus"/>.</summary>
    public RolloutStatus Status { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    public static SchoolRollout Start(Guid schoolId, bool inMepPlan, DateTimeOffset now) => new()
    {
        SchoolId = schoolId,
        BroadbandStatus = BroadbandStatus.NotPlanned,
        Status = inMepPlan ? RolloutStatus.Planned : RolloutStatus.NotInPlan,
        UpdatedAt = now,
    };

    public void ChangeConnection(BroadbandConnection connection, DateTimeOffset now)
    {
        if (connection.Status is BroadbandStatus.Ordered or BroadbandStatus.Connected
            && (connection.Kind is null || connection.BandwidthMbits is null || connection.Provider is null))
        {
            throw new DomainRuleException("broadband-order-needs-line",
                "An ordered or connected line needs its kind, bandwidth and provider.");
        }

        (BroadbandKind, BroadbandStatus, BandwidthMbits, BroadbandProvider, BroadbandMonthlyCost, BroadbandConnectionCost, BackboneNode) =
            (connection.Kind, connection.Status, connection.BandwidthMbits, connection.Provider, connection.MonthlyCost,
                connection.ConnectionCost, connection.BackboneNode);
        UpdatedAt = now;
    }

    internal void RecordStatus(RolloutStatus status, DateTimeOffset now)
    {
        if (Status != status)
        {
            (Status, UpdatedAt) = (status, now);
        }
    }
}

public sealed record BroadbandConnection(
    BroadbandKind? Kind, BroadbandStatus Status, int? BandwidthMbits, string? Provider, decimal? MonthlyCost, decimal? ConnectionCost,
    string? BackboneNode);

/// <summary>A building's in-house network: technical rooms, network distributors and cabling (building work).</summary>
public sealed class BuildingRollout
{
    private BuildingRollout()
    {
    }

    public Guid BuildingId { get; private set; }
    public Guid SchoolId { get; private set; }
    public WorkStatus TechnicalRooms { get; private set; }
    public WorkStatus Distributors { get; private set; }
    public WorkStatus Cabling { get; private set; }
    public int? CablingMetres { get; private set; }

    /// <summary>The day technical rooms, distributors and cabling were all done; cleared if one is reopened.</summary>
    public DateOnly? NetworkDoneOn { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    public static BuildingRollout Start(Guid schoolId, Guid buildingId, DateTimeOffset now) => new()
    {
        BuildingId = buildingId,
        SchoolId = schoolId,
        UpdatedAt = now,
    };

    public void Change(WorkStatus technicalRooms, WorkStatus distributors, WorkStatus cabling, int? cablingMetres, DateTimeOffset now)
    {
        (TechnicalRooms, Distributors, Cabling, CablingMetres, UpdatedAt) = (technicalRooms, distributors, cabling, cablingMetres, now);
    }

    internal void RecordNetworkDone(DateOnly? on) => NetworkDoneOn = on;
}

/// <summary>A room's part of the rollout: WLAN, access points, the board system planned, a computer room's replacement.</summary>
public sealed class RoomRollout
{
    private RoomRollout()
    {
    }

    public Guid RoomId { get; private set; }
    public Guid SchoolId { get; private set; }
    public WlanCoverage Wlan { get; private set; }
    public int AccessPointsPlanned { get; private set; }
    public int AccessPointsInstalled { get; private set; }

    /// <summary>Whether the room gets an interactive board system; whether it has one comes from Assets' events.</summary>
    public bool BoardSystemPlanned { get; private set; }

    /// <summary>Replacement of a computer room's old devices; only computer rooms need it.</summary>
    public WorkStatus ComputerRoomReplacement { get; private set; }

    /// <summary>The day the room was done (see <see cref="RolloutAssessment"/>); cleared if it is reopened.</summary>
    public DateOnly? DoneOn { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    /// <summary>The MEP standard's defaults: WLAN everywhere, a board system in every classroom.</summary>
    public static RoomRollout Start(Guid schoolId, Guid roomId, Contracts.Schools.RoomKind kind, DateTimeOffset now) => new()
    {
        RoomId = roomId,
        SchoolId = schoolId,
        Wlan = WlanCoverage.Planned,
        BoardSystemPlanned = kind == Contracts.Schools.RoomKind.Classroom,
        UpdatedAt = now,
    };

    /// <summary>The room's state in the form a change takes: a change equal to it changes nothing.</summary>
    public RoomRolloutChange Current => new(Wlan, AccessPointsPlanned, AccessPointsInstalled, BoardSystemPlanned, ComputerRoomReplacement);

    public void Change(RoomRolloutChange change, DateTimeOffset now)
    {
        if (change.AccessPointsInstalled > 0 && change.AccessPointsPlanned == 0)
        {
            throw new DomainRuleException("access-points-installed-unplanned",
                "Access points are installed but none are planned; plan them first (accessPointsPlanned).");
        }

        (Wlan, AccessPointsPlanned, AccessPointsInstalled, BoardSystemPlanned, ComputerRoomReplacement, UpdatedAt) =
            (change.Wlan, change.AccessPointsPlanned, change.AccessPointsInstalled, change.BoardSystemPlanned, change.ComputerRoomReplacement, now);
    }

    internal void RecordDone(DateOnly? on) => DoneOn = on;
}

public sealed record RoomRolloutChange(
    WlanCoverage Wlan, int AccessPointsPlanned, int AccessPointsInstalled, bool BoardSystemPlanned, WorkStatus ComputerRoomReplacement);

/// <summary>A milestone of a school's rollout: when it is planned, and the day it was reached.</summary>
public sealed class RolloutMilestoneDate
{
    private RolloutMilestoneDate()
    {
    }

    public Guid SchoolId { get; private set; }
    public RolloutMilestone Milestone { get; private set; }
    public DateOnly? PlannedOn { get; private set; }
    public DateOnly? ReachedOn { get; private set; }

    public static RolloutMilestoneDate For(Guid schoolId, RolloutMilestone milestone) => new() { SchoolId = schoolId, Milestone = milestone };

    /// <summary>
    /// A planner reports the day only of the survey: buildingWork and equipped are reached by the rollout itself, accepted by the
    /// acceptance. Checked on the request alone, before the school is loaded.
    /// </summary>
    public static void EnsureReportable(RolloutMilestone milestone, DateOnly? reachedOn, DateOnly today)
    {
        if (reachedOn is not null && milestone != RolloutMilestone.Surveyed)
        {
            throw new DomainRuleException("milestone-reached-by-rollout",
                $"The {Contracts.EnumText.CamelName(milestone)} milestone is reached by the rollout itself (buildingWork and equipped from the parts, accepted by "
                + "POST .../rollout/acceptance); only the survey's day is recorded here.");
        }

        if (reachedOn > today)
        {
            throw new DomainRuleException("survey-in-future", "The survey cannot be recorded for a day that has not come yet.");
        }
    }

    /// <summary>A school is accepted on a day that has come; checked on the request alone, before the school is loaded.</summary>
    public static void EnsureAcceptanceDay(DateOnly acceptedOn, DateOnly today)
    {
        if (acceptedOn > today)
        {
            throw new DomainRuleException("acceptance-in-future", "A school is accepted on a day that has come, not in advance.");
        }
    }

    public void Plan(DateOnly? on) => PlannedOn = on;

    /// <summary>The day it was reached; the rollout records it (or, for the survey, the planner), not any caller.</summary>
    internal void RecordReached(DateOnly? on) => ReachedOn = on;
}

/// <summary>A board system in a room, as Assets reported it (BoardSystemRegistered / BoardSystemDismantled).</summary>
public sealed class InstalledBoardSystem : ReplicaRow
{
    public Guid BoardSystemId { get; internal set; }
    public Guid SchoolId { get; internal set; }
    public Guid RoomId { get; internal set; }
    public bool Dismantled { get; internal set; }
}

/// <summary>A board-system component (a device in Assets), as Assets' device events reported it.</summary>
public sealed class BoardComponent : ReplicaRow
{
    public Guid DeviceId { get; internal set; }
    public Guid? BoardSystemId { get; internal set; }
    public Contracts.Assets.BoardComponentKind? Kind { get; internal set; }

    /// <summary>Known from the registration; null if only a later update was seen.</summary>
    public string? SerialNumber { get; internal set; }

    public bool Retired { get; internal set; }
}

internal sealed class SchoolRolloutConfiguration : IEntityTypeConfiguration<SchoolRollout>
{
    public void Configure(EntityTypeBuilder<SchoolRollout> rollout)
    {
        rollout.ToTable("school_rollouts");
        rollout.HasKey(r => r.SchoolId);
        rollout.Property(r => r.BroadbandMonthlyCost).HasPrecision(12, 2);
        rollout.Property(r => r.BroadbandConnectionCost).HasPrecision(12, 2);
        rollout.HasIndex(r => r.Status);
        rollout.HasOne<School>().WithOne().HasForeignKey<SchoolRollout>(r => r.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BuildingRolloutConfiguration : IEntityTypeConfiguration<BuildingRollout>
{
    public void Configure(EntityTypeBuilder<BuildingRollout> network)
    {
        network.ToTable("building_rollouts");
        network.HasKey(b => b.BuildingId);
        network.HasIndex(b => b.SchoolId);
        network.HasOne<Building>().WithOne().HasForeignKey<BuildingRollout>(b => b.BuildingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RoomRolloutConfiguration : IEntityTypeConfiguration<RoomRollout>
{
    public void Configure(EntityTypeBuilder<RoomRollout> room)
    {
        room.ToTable("room_rollouts");
        room.HasKey(r => r.RoomId);
        room.HasIndex(r => r.SchoolId);
        room.HasOne<Room>().WithOne().HasForeignKey<RoomRollout>(r => r.RoomId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RolloutMilestoneDateConfiguration : IEntityTypeConfiguration<RolloutMilestoneDate>
{
    public void Configure(EntityTypeBuilder<RolloutMilestoneDate> milestone)
    {
        milestone.ToTable("rollout_milestones");
        milestone.HasKey(m => new { m.SchoolId, m.Milestone });
        milestone.HasIndex(m => m.PlannedOn);
        // The late-milestones list (Migrations/0004).
        milestone.HasIndex(m => new { m.PlannedOn, m.SchoolId }).HasFilter("reached_on IS NULL");
        milestone.HasOne<School>().WithMany().HasForeignKey(m => m.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Kept from Assets' events: no foreign keys, an event may name a room before its school's replica of it is complete.</summary>
internal sealed class InstalledBoardSystemConfiguration : IEntityTypeConfiguration<InstalledBoardSystem>
{
    public void Configure(EntityTypeBuilder<InstalledBoardSystem> board)
    {
        board.ToTable("installed_board_systems");
        board.HasKey(b => b.BoardSystemId);
        board.HasIndex(b => b.SchoolId);
        board.HasIndex(b => b.RoomId);
    }
}

internal sealed class BoardComponentConfiguration : IEntityTypeConfiguration<BoardComponent>
{
    public void Configure(EntityTypeBuilder<BoardComponent> component)
    {
        component.ToTable("board_components");
        component.HasKey(c => c.DeviceId);
        component.HasIndex(c => c.BoardSystemId);
    }
}
