namespace Mep.Console.Rollout;

// What the rollout pages read from Schools' API (GET /api/schools/rollout/plan and GET /api/schools/{id}/rollout). Enum values stay the
// API's camelCase strings; RolloutTexts turns them into German words.

/// <summary>The rollout plan on one day: every school the filter selects, with its milestones, and the late milestones.</summary>
public sealed record RolloutPlan(DateOnly AsOf, IReadOnlyList<LateMilestone> LateMilestones, IReadOnlyList<PlanSchool> Schools);

public sealed record LateMilestone(Guid SchoolId, string SchoolNumber, string SchoolName, string District, int? Wave, string Milestone,
    DateOnly PlannedOn, int DaysLate);

public sealed record PlanSchool(Guid SchoolId, string Number, string Name, string District, int? Wave, int? TargetYear, string Status,
    bool Late, IReadOnlyList<PlanMilestone> Milestones);

public sealed record PlanMilestone(string Milestone, DateOnly? PlannedOn, DateOnly? ReachedOn, string State, int? DaysLate);

/// <summary>A school's rollout: its parts, derived status, critical path and what still stands before acceptance.</summary>
public sealed record SchoolRollout(Guid SchoolId, string SchoolNumber, string SchoolName, string District, int? Wave, int? TargetYear, string Status,
    bool ReadyForAcceptance, bool TabletsUsable, DateOnly? AcceptedOn, BroadbandState Broadband, RoomCoverage Coverage,
    IReadOnlyList<MilestoneOfSchool> CriticalPath, IReadOnlyList<BuildingNetwork> Buildings, IReadOnlyList<RoomRollout> Rooms,
    IReadOnlyList<RolloutFinding> OpenForAcceptance);

public sealed record BroadbandState(string? Kind, string Status, int? BandwidthMbits, string? Provider);

public sealed record RoomCoverage(int Rooms, int WlanInstalled, int WlanAccepted, int AccessPointsPlanned, int AccessPointsInstalled,
    int BoardSystemsPlanned, int BoardSystemsInstalled, int RoomsDone);

public sealed record MilestoneOfSchool(string Milestone, DateOnly? PlannedOn, DateOnly? ReachedOn, string State, IReadOnlyList<RolloutFinding> OpenItems);

public sealed record BuildingNetwork(Guid BuildingId, string Name, string TechnicalRooms, string Distributors, string Cabling, int? CablingMetres,
    DateOnly? NetworkDoneOn);

public sealed record RoomRollout(Guid RoomId, Guid BuildingId, string Number, string Kind, string Wlan, int AccessPointsPlanned,
    int AccessPointsInstalled, BoardSystemState BoardSystem, string? ComputerRoomReplacement, DateOnly? DoneOn, string Etag);

public sealed record BoardSystemState(bool Planned, bool Installed);

public sealed record RolloutFinding(string Rule, string Message, Guid? BuildingId, Guid? RoomId);

/// <summary>The school as Schools' register answers it; the page needs only its id when it is named by its number.</summary>
public sealed record SchoolByNumber(Guid Id);

/// <summary>What Schools' API takes to replace a room's rollout state (every field; the page keeps the ones it does not change).</summary>
public sealed record RoomRolloutChange(string Wlan, int AccessPointsPlanned, int AccessPointsInstalled, bool BoardSystemPlanned,
    string ComputerRoomReplacement);

/// <summary>A page of the late-milestone list (one school's has at most four).</summary>
public sealed record LateMilestonePage(IReadOnlyList<LateMilestone> Items);
