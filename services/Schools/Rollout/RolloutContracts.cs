using System.ComponentModel.DataAnnotations;
using Mep.Schools.Register;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Schools.Rollout;

/// <summary>Replace the school's broadband connection and backbone node (If-Match: the broadband's etag).</summary>
/// <param name="BandwidthMbits">Downstream bandwidth in Mbit/s.</param>
/// <param name="MonthlyCost">Running cost of the line, EUR per month.</param>
/// <param name="ConnectionCost">One-off cost of connecting the school, EUR.</param>
public sealed record BroadbandRequest(
    BroadbandKind? Kind,
    [Required] BroadbandStatus? Status,
    [Range(1, BroadbandRequest.MaxBandwidthMbits)] int? BandwidthMbits,
    [MaxLength(BroadbandRequest.MaxText)] string? Provider,
    [Money(BroadbandRequest.MaxMonthlyCost)] decimal? MonthlyCost,
    [Money(BroadbandRequest.MaxConnectionCost)] decimal? ConnectionCost,
    [MaxLength(BroadbandRequest.MaxText)] string? BackboneNode) : IValidatableRequest
{
    public const int MaxBandwidthMbits = 100_000;
    public const int MaxText = 100;
    public const double MaxMonthlyCost = 1_000_000;
    public const double MaxConnectionCost = 100_000_000;

    public BroadbandConnection ToConnection() =>
        new(Kind, Status!.Value, BandwidthMbits, Provider?.Trim(), MonthlyCost, ConnectionCost, BackboneNode?.Trim());
}

/// <summary>Replace a building's network state (If-Match: the building's etag in the rollout view).</summary>
public sealed record BuildingNetworkRequest(
    [Required] WorkStatus? TechnicalRooms, [Required] WorkStatus? Distributors, [Required] WorkStatus? Cabling,
    [Range(0, BuildingNetworkRequest.MaxCablingMetres)] int? CablingMetres)
    : IValidatableRequest
{
    public const int MaxCablingMetres = 1_000_000;
}

/// <summary>Replace a room's rollout state (If-Match: the room's etag in the rollout view). Whether a board system is installed comes from Assets.</summary>
public sealed record RoomRolloutRequest(
    [Required] WlanCoverage? Wlan,
    [Required, Range(0, RoomRolloutRequest.MaxAccessPoints)] int? AccessPointsPlanned,
    [Required, Range(0, RoomRolloutRequest.MaxAccessPoints)] int? AccessPointsInstalled,
    [Required] bool? BoardSystemPlanned,
    [Required] WorkStatus? ComputerRoomReplacement)
    : IValidatableRequest
{
    public const int MaxAccessPoints = 100;

    public RoomRolloutChange ToChange() =>
        new(Wlan!.Value, AccessPointsPlanned!.Value, AccessPointsInstalled!.Value, BoardSystemPlanned!.Value, ComputerRoomReplacement!.Value);
}

/// <summary>Plan a milestone; for the survey, also the day it was done (the other milestones are reached by the rollout itself).</summary>
public sealed record MilestoneRequest(DateOnly? PlannedOn, DateOnly? ReachedOn) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (PlannedOn is { Year: < 2016 or > 2040 })
        {
            errors.Add("plannedOn", "A day between 2016 and 2040.");
        }

        if (ReachedOn is { Year: < 2016 or > 2040 })
        {
            errors.Add("reachedOn", "A day between 2016 and 2040.");
        }
    }
}

public sealed record AcceptanceRequest(DateOnly? AcceptedOn) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("acceptedOn", AcceptedOn) && AcceptedOn!.Value.Year < 2016)
        {
            errors.Add("acceptedOn", "The MEP standard exists since 2016.");
        }
    }
}

public sealed record BroadbandView(
    BroadbandKind? Kind, BroadbandStatus Status, [Range(1, BroadbandRequest.MaxBandwidthMbits)] int? BandwidthMbits,
    [MaxLength(BroadbandRequest.MaxText)] string? Provider, [Money(BroadbandRequest.MaxMonthlyCost)] decimal? MonthlyCost,
    [Money(BroadbandRequest.MaxConnectionCost)] decimal? ConnectionCost, [MaxLength(BroadbandRequest.MaxText)] string? BackboneNode,
    [MaxLength(ETags.MaxLength)] string Etag);

public sealed record BuildingNetworkView(
    Guid BuildingId, [MaxLength(SchoolFields.MaxBuildingName)] string Name, WorkStatus TechnicalRooms, WorkStatus Distributors,
    WorkStatus Cabling, [Range(0, BuildingNetworkRequest.MaxCablingMetres)] int? CablingMetres, DateOnly? NetworkDoneOn,
    [MaxLength(ETags.MaxLength)] string Etag);

public sealed record BoardComponentView(Guid DeviceId, BoardComponentKind? Kind, [MaxLength(SerialNumber.MaxLength)] string? SerialNumber);

/// <param name="Installed">Assets reported a board system in the room.</param>
public sealed record BoardSystemView(bool Planned, bool Installed, Guid? BoardSystemId, IReadOnlyList<BoardComponentView> Components);

/// <param name="ComputerRoomReplacement">Only for computer rooms.</param>
public sealed record RoomRolloutView(
    Guid RoomId, Guid BuildingId, [MaxLength(SchoolFields.MaxBuildingName)] string BuildingName, [MaxLength(SchoolFields.MaxRoomNumber)] string Number,
    RoomKind Kind, WlanCoverage Wlan, [Range(0, RoomRolloutRequest.MaxAccessPoints)] int AccessPointsPlanned,
    [Range(0, RoomRolloutRequest.MaxAccessPoints)] int AccessPointsInstalled, BoardSystemView BoardSystem, WorkStatus? ComputerRoomReplacement,
    DateOnly? DoneOn, [MaxLength(ETags.MaxLength)] string Etag);

/// <summary>One milestone on the way to acceptance, in order; together they are the school's critical path.</summary>
/// <param name="State">reached; late (planned day passed); atRisk (an earlier milestone is late); open.</param>
/// <param name="OpenItems">What must be done before this milestone is reached.</param>
public sealed record MilestoneView(
    RolloutMilestone Milestone, DateOnly? PlannedOn, DateOnly? ReachedOn, MilestoneState State, IReadOnlyList<RolloutFinding> OpenItems);

public enum MilestoneState
{
    Reached,
    Late,
    AtRisk,
    Open,
}

/// <summary>Rooms covered against rooms planned.</summary>
public sealed record RoomCoverage(
    int Rooms, int WlanInstalled, int WlanAccepted, int AccessPointsPlanned, int AccessPointsInstalled, int BoardSystemsPlanned,
    int BoardSystemsInstalled, int RoomsDone);

/// <summary>A school's rollout: its parts, the derived status, the critical path, and what the dependency rules report.</summary>
/// <param name="ReadyForAcceptance">Everything is done; POST .../rollout/acceptance will accept the school.</param>
/// <param name="TabletsUsable">Broadband connected and WLAN accepted in every room: mobile devices count as usable.</param>
/// <param name="CriticalPath">The four milestones in order with their dates, state and what each still waits for.</param>
/// <param name="OpenForAcceptance">Everything that stands between the school and acceptance, naming building or room.</param>
/// <param name="Violations">Work recorded out of order (e.g. a board system before the room's network); recorded, but reported.</param>
/// <param name="Blocked">Planned work that waits for something it depends on.</param>
public sealed record RolloutView(
    Guid SchoolId,
    [MaxLength(SchoolFields.NumberLength)] string SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string SchoolName,
    [MaxLength(SchoolFields.MaxDistrict)] string District,
    [Range(1, ProgrammesRequest.MaxWave)] int? Wave,
    [Range(ProgrammesRequest.FirstTargetYear, ProgrammesRequest.LastTargetYear)] int? TargetYear,
    RolloutStatus Status,
    bool ReadyForAcceptance,
    bool TabletsUsable,
    DateOnly? AcceptedOn,
    BroadbandView Broadband,
    RoomCoverage Coverage,
    [MaxLength(4)] IReadOnlyList<MilestoneView> CriticalPath,
    IReadOnlyList<BuildingNetworkView> Buildings,
    IReadOnlyList<RoomRolloutView> Rooms,
    IReadOnlyList<RolloutFinding> OpenForAcceptance,
    IReadOnlyList<RolloutFinding> Violations,
    IReadOnlyList<RolloutFinding> Blocked)
{
    /// <param name="late">The school's late milestones (<see cref="MilestoneSchedule.Late"/>).</param>
    public static RolloutView From(RolloutState state, ILookup<Guid, BoardComponent> components, IReadOnlyCollection<RolloutMilestone> late)
    {
        var (school, rollout, assessment) = (state.School, state.Rollout, state.Assessment);
        var buildingNames = state.Buildings.ToDictionary(b => b.Building.Id, b => b.Building.Name);
        return new RolloutView(
            school.Id, school.Number, school.Name, school.District, school.MepStandardWave, school.MepStandardTargetYear, assessment.Status,
            assessment.Equipped && assessment.Status != RolloutStatus.Accepted, assessment.TabletsUsable, state.Facts.AcceptedOn,
            new BroadbandView(rollout.BroadbandKind, rollout.BroadbandStatus, rollout.BandwidthMbits, rollout.BroadbandProvider,
                rollout.BroadbandMonthlyCost, rollout.BroadbandConnectionCost, rollout.BackboneNode, ETags.Format(rollout.Version)),
            CoverageOf(state),
            CriticalPathOf(state, late),
            [.. state.Buildings.Select(b => new BuildingNetworkView(b.Building.Id, b.Building.Name, b.Network.TechnicalRooms, b.Network.Distributors,
                b.Network.Cabling, b.Network.CablingMetres, b.Network.NetworkDoneOn, ETags.Format(b.Network.Version)))],
            [.. state.Rooms.Select(r => new RoomRolloutView(r.Room.Id, r.Room.BuildingId, buildingNames.GetValueOrDefault(r.Room.BuildingId, ""),
                r.Room.Number, r.Room.Kind, r.Rollout.Wlan, r.Rollout.AccessPointsPlanned, r.Rollout.AccessPointsInstalled,
                new BoardSystemView(r.Rollout.BoardSystemPlanned, r.BoardSystem is not null, r.BoardSystem?.BoardSystemId,
                    r.BoardSystem is null ? [] : [.. components[r.BoardSystem.BoardSystemId].Select(c => new BoardComponentView(c.DeviceId, c.Kind, c.SerialNumber))]),
                r.Room.Kind == RoomKind.ComputerRoom ? r.Rollout.ComputerRoomReplacement : null, r.Rollout.DoneOn, ETags.Format(r.Rollout.Version)))],
            assessment.OpenForAcceptance, assessment.Violations, assessment.Blocked);
    }

    public static RoomCoverage CoverageOf(RolloutState state)
    {
        var rooms = state.Facts.Rooms;
        return new RoomCoverage(rooms.Count, rooms.Count(r => r.Wlan != WlanCoverage.Planned), rooms.Count(r => r.Wlan == WlanCoverage.Accepted),
            rooms.Sum(r => r.AccessPointsPlanned), rooms.Sum(r => r.AccessPointsInstalled), rooms.Count(r => r.BoardSystemPlanned),
            rooms.Count(r => r.BoardSystemId is not null), state.Assessment.DoneRooms.Count);
    }

    private static List<MilestoneView> CriticalPathOf(RolloutState state, IReadOnlyCollection<RolloutMilestone> lateMilestones)
    {
        var open = state.Assessment.OpenForAcceptance;
        var path = new List<MilestoneView>();
        var earlierLate = false;
        foreach (var milestone in Enum.GetValues<RolloutMilestone>())
        {
            var date = state.Milestones[milestone];
            var late = lateMilestones.Contains(milestone);
            var milestoneState = date.ReachedOn is not null ? MilestoneState.Reached
                : late ? MilestoneState.Late
                : earlierLate ? MilestoneState.AtRisk
                : MilestoneState.Open;
            earlierLate |= late;
            IReadOnlyList<RolloutFinding> items = date.ReachedOn is not null ? [] : [.. open.Where(o => MilestoneSchedule.Gates(o.Rule) == milestone)];
            path.Add(new MilestoneView(milestone, date.PlannedOn, date.ReachedOn, milestoneState, items));
        }

        return path;
    }
}

/// <param name="GroupBy">wave (default), targetYear or district.</param>
/// <param name="Wave">Only schools of this rollout wave.</param>
/// <param name="TargetYear">Only schools with this target year.</param>
/// <param name="District">Only schools of this district, exact.</param>
public sealed record RolloutPlanQuery(
    [OneOf("wave", "targetYear", "district", Message = "Group by one of: wave, targetYear, district.")] string? GroupBy,
    [Range(1, ProgrammesRequest.MaxWave)] int? Wave,
    [Range(ProgrammesRequest.FirstTargetYear, ProgrammesRequest.LastTargetYear)] int? TargetYear,
    [MaxLength(SchoolFields.MaxDistrict)] string? District) : IValidatableRequest;

/// <summary>The planners' list of late milestones. All filters combine with AND; a school key sees its own school's only.</summary>
/// <param name="District">Only schools of this district, exact.</param>
/// <param name="Wave">Only schools of this rollout wave.</param>
/// <param name="SchoolId">Only this school.</param>
/// <param name="SchoolNumber">Only the school with this number (with schoolId, both must name the same school).</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Items per page, 1 to 200 (default 50).</param>
public sealed record LateMilestoneQuery(
    [MaxLength(SchoolFields.MaxDistrict)] string? District,
    [Range(1, ProgrammesRequest.MaxWave)] int? Wave,
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    [PageNumber] int? Page,
    [PageSize] int? PageSize) : IValidatableRequest;

/// <summary>One group of the plan (a wave, a target year or a district; null key: schools without one).</summary>
/// <param name="ByStatus">Schools per derived rollout status (every status listed, zero included).</param>
public sealed record PlanGroup([MaxLength(SchoolFields.MaxDistrict)] string? Key, [Range(0, int.MaxValue)] int Schools, IReadOnlyDictionary<RolloutStatus, int> ByStatus, RoomCoverage Coverage, int LateMilestones);

public sealed record LateMilestone(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string SchoolNumber, [MaxLength(SchoolFields.MaxName)] string SchoolName,
    [MaxLength(SchoolFields.MaxDistrict)] string District, [Range(1, ProgrammesRequest.MaxWave)] int? Wave, RolloutMilestone Milestone,
    DateOnly PlannedOn, [Range(0, int.MaxValue)] int DaysLate);

/// <summary>One of a school's milestones in the plan: its days and its state on the plan's day.</summary>
/// <param name="State">reached; late (planned day passed); atRisk (an earlier milestone is late); open.</param>
/// <param name="DaysLate">For a late milestone, the days since its planned day; otherwise null.</param>
public sealed record PlanMilestone(
    RolloutMilestone Milestone, DateOnly? PlannedOn, DateOnly? ReachedOn, MilestoneState State, [Range(0, int.MaxValue)] int? DaysLate);

/// <param name="Number">The school's number (also as schoolNumber, the name every list row that refers to a school uses).</param>
/// <param name="NextMilestone">The first milestone not reached yet (the school's critical path continues there).</param>
/// <param name="Milestones">The four milestones in order with their days and state, so a board or a chart over time needs no call per school.</param>
public sealed record PlanSchool(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string Number, [MaxLength(SchoolFields.MaxName)] string Name,
    [MaxLength(SchoolFields.MaxDistrict)] string District, [Range(1, ProgrammesRequest.MaxWave)] int? Wave,
    [Range(ProgrammesRequest.FirstTargetYear, ProgrammesRequest.LastTargetYear)] int? TargetYear, RolloutStatus Status,
    RolloutMilestone? NextMilestone, DateOnly? NextPlannedOn, bool Late, RoomCoverage Coverage,
    [MaxLength(4)] IReadOnlyList<PlanMilestone> Milestones)
{
    [MaxLength(SchoolFields.NumberLength)]
    public string SchoolNumber => Number;

    [MaxLength(SchoolFields.MaxName)]
    public string SchoolName => Name;
}

/// <summary>The rollout plan on one day: groups, every school, and the late milestones, most overdue first.</summary>
public sealed record RolloutPlan(DateOnly AsOf, [OneOf("wave", "targetYear", "district")] string GroupBy, IReadOnlyList<PlanGroup> Groups, IReadOnlyList<LateMilestone> LateMilestones,
    IReadOnlyList<PlanSchool> Schools);
