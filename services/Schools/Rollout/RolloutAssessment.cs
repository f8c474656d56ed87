using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Rollout;

/// <summary>What the assessment needs of a school: its plan, survey, acceptance and broadband, and its buildings and rooms.</summary>
public sealed record RolloutFacts(
    bool InMepPlan,
    DateOnly? SurveyedOn,
    DateOnly? AcceptedOn,
    BroadbandStatus Broadband,
    IReadOnlyList<BuildingFacts> Buildings,
    IReadOnlyList<RoomFacts> Rooms);

public sealed record BuildingFacts(Guid Id, string Name, WorkStatus TechnicalRooms, WorkStatus Distributors, WorkStatus Cabling)
{
    public bool NetworkDone => TechnicalRooms == WorkStatus.Done && Distributors == WorkStatus.Done && Cabling == WorkStatus.Done;

    public bool Started => TechnicalRooms != WorkStatus.NotStarted || Distributors != WorkStatus.NotStarted || Cabling != WorkStatus.NotStarted;
}

/// <param name="BoardSystemId">The board system Assets reported in the room, if any.</param>
public sealed record RoomFacts(
    Guid Id,
    Guid BuildingId,
    string Number,
    RoomKind Kind,
    WlanCoverage Wlan,
    int AccessPointsPlanned,
    int AccessPointsInstalled,
    bool BoardSystemPlanned,
    Guid? BoardSystemId,
    WorkStatus ComputerRoomReplacement);

/// <summary>One finding about a school's rollout: the rule, what it says in words, and the building or room it is about.</summary>
public sealed record RolloutFinding(
    [MaxLength(RolloutFinding.MaxRule)] string Rule, [MaxLength(RolloutFinding.MaxMessage)] string Message, Guid? BuildingId = null, Guid? RoomId = null)
{
    public const int MaxRule = 100;

    /// <summary>Findings name the building and room they are about; their texts are ours and stay well below this.</summary>
    public const int MaxMessage = 500;
}

/// <summary>
/// The derived state of a school's rollout and the dependency rules (docs/domain.md, "The MEP standard and the rollout": room network
/// before board system; WLAN before tablets count as usable; acceptance only when every room is done). Pure: the same
/// facts always give the same answer, so views, writes, events and the demo seed cannot disagree.
/// </summary>
/// <param name="Status">The school's rollout status.</param>
/// <param name="BuildingWorkDone">Broadband connected and every building's network done (milestone buildingWork).</param>
/// <param name="Equipped">Building work done and every room done (milestone equipped): ready for acceptance.</param>
/// <param name="TabletsUsable">Broadband connected and WLAN measured and accepted in every room: mobile devices count as usable.</param>
/// <param name="OpenForAcceptance">What still stands between the school and acceptance, naming building or room.</param>
/// <param name="Violations">Things done out of order (recorded as they are on site, but reported).</param>
/// <param name="Blocked">Planned items that cannot go ahead until something they depend on is done.</param>
/// <param name="NetworkDoneBuildings">Buildings whose network is done.</param>
/// <param name="DoneRooms">Rooms that are done.</param>
public sealed record RolloutAssessment(
    RolloutStatus Status,
    bool BuildingWorkDone,
    bool Equipped,
    bool TabletsUsable,
    IReadOnlyList<RolloutFinding> OpenForAcceptance,
    IReadOnlyList<RolloutFinding> Violations,
    IReadOnlyList<RolloutFinding> Blocked,
    IReadOnlySet<Guid> NetworkDoneBuildings,
    IReadOnlySet<Guid> DoneRooms)
{
    /// <summary>A room is done when its WLAN is measured and accepted, its board system (if planned) is installed, and a computer room's devices are replaced.</summary>
    public static bool RoomDone(RoomFacts room) =>
        room.Wlan == WlanCoverage.Accepted
        && (!room.BoardSystemPlanned || room.BoardSystemId is not null)
        && (room.Kind != RoomKind.ComputerRoom || room.ComputerRoomReplacement == WorkStatus.Done);

    /// <summary>
    /// A planner accepts a school only when every part is done; the refusal names what is open (the first ten in words, all of them
    /// under openItems). An accepted school passes here, for the school itself to refuse a second acceptance.
    /// </summary>
    public void EnsureReadyForAcceptance()
    {
        if (Status == RolloutStatus.Accepted || Equipped)
        {
            return;
        }

        const int Named = 10;
        var named = string.Join(" ", OpenForAcceptance.Take(Named).Select(o => o.Message));
        var more = OpenForAcceptance.Count > Named ? $" And {OpenForAcceptance.Count - Named} more (see openItems)." : string.Empty;
        throw new DomainRuleException("acceptance-needs-every-part-done",
            $"The school cannot be accepted yet: {OpenForAcceptance.Count} item(s) are open. {named}{more}")
        {
            Extensions = new Dictionary<string, object?> { ["openItems"] = OpenForAcceptance },
        };
    }

    public static RolloutAssessment Of(RolloutFacts facts)
    {
        var buildings = facts.Buildings.ToDictionary(b => b.Id);
        var networkDone = facts.Buildings.Where(b => b.NetworkDone).Select(b => b.Id).ToHashSet();
        var doneRooms = facts.Rooms.Where(RoomDone).Select(r => r.Id).ToHashSet();
        var broadbandConnected = facts.Broadband == BroadbandStatus.Connected;
        var buildingWorkDone = broadbandConnected && facts.Buildings.Count > 0 && networkDone.Count == facts.Buildings.Count;
        var equipped = buildingWorkDone && facts.Rooms.Count > 0 && doneRooms.Count == facts.Rooms.Count;
        var workStarted = facts.Broadband is BroadbandStatus.Ordered or BroadbandStatus.Connected
                          || facts.Buildings.Any(b => b.Started)
                          || facts.Rooms.Any(r => r.Wlan != WlanCoverage.Planned || r.AccessPointsInstalled > 0 || r.BoardSystemId is not null);

        var status = facts.AcceptedOn is not null ? RolloutStatus.Accepted
            : !facts.InMepPlan ? RolloutStatus.NotInPlan
            : buildingWorkDone ? RolloutStatus.Equipping
            : workStarted ? RolloutStatus.BuildingWork
            : facts.SurveyedOn is not null ? RolloutStatus.Surveyed
            : RolloutStatus.Planned;

        var open = OpenItems(facts, buildings, networkDone);
        var violations = new List<RolloutFinding>();
        var blocked = new List<RolloutFinding>();
        if (facts.SurveyedOn is null && facts.Buildings.Any(b => b.Started))
        {
            violations.Add(new RolloutFinding("building-work-before-survey", "Building work has started but the site survey is not recorded."));
        }

        foreach (var room in facts.Rooms)
        {
            var building = buildings.GetValueOrDefault(room.BuildingId);
            var label = RoomLabel(room, building);
            var roomNetworkDone = networkDone.Contains(room.BuildingId);
            if (!roomNetworkDone && room.BoardSystemId is not null)
            {
                violations.Add(new RolloutFinding("board-system-before-network",
                    $"{label}: a board system is installed before the network of {BuildingLabel(building)} is done.", room.BuildingId, room.Id));
            }
            else if (!roomNetworkDone && room.BoardSystemPlanned)
            {
                blocked.Add(new RolloutFinding("board-system-waits-for-network",
                    $"{label}: the board system waits for the network of {BuildingLabel(building)}.", room.BuildingId, room.Id));
            }

            if (!roomNetworkDone && room.Wlan != WlanCoverage.Planned)
            {
                violations.Add(new RolloutFinding("wlan-before-network",
                    $"{label}: WLAN is {Words.Of(room.Wlan)} before the network of {BuildingLabel(building)} is done.", room.BuildingId, room.Id));
            }
            else if (!roomNetworkDone)
            {
                blocked.Add(new RolloutFinding("wlan-waits-for-network",
                    $"{label}: WLAN waits for the network of {BuildingLabel(building)}.", room.BuildingId, room.Id));
            }

            if (room.Wlan != WlanCoverage.Planned && room.AccessPointsInstalled < room.AccessPointsPlanned)
            {
                violations.Add(new RolloutFinding("wlan-with-access-points-missing",
                    $"{label}: WLAN is {Words.Of(room.Wlan)} with {room.AccessPointsInstalled} of {room.AccessPointsPlanned} planned access points installed.",
                    room.BuildingId, room.Id));
            }
        }

        var withoutWlan = facts.Rooms.Where(r => r.Wlan != WlanCoverage.Accepted).ToList();
        var tabletsUsable = broadbandConnected && facts.Rooms.Count > 0 && withoutWlan.Count == 0;
        if (!tabletsUsable)
        {
            var why = !broadbandConnected ? "broadband is not connected"
                : facts.Rooms.Count == 0 ? "no rooms are recorded"
                : $"WLAN is not accepted in {withoutWlan.Count} room(s): {Listing(withoutWlan.Select(r => RoomLabel(r, buildings.GetValueOrDefault(r.BuildingId))))}";
            blocked.Add(new RolloutFinding("tablets-wait-for-wlan", $"Mobile devices do not count as usable yet: {why}."));
        }

        if (facts.AcceptedOn is not null)
        {
            // Accepted schools stay accepted; what was added or reopened since is reported, not hidden.
            violations.AddRange(open.Select(o => o with { Rule = "open-after-acceptance", Message = $"Accepted, but open: {o.Message}" }));
        }

        return new RolloutAssessment(status, buildingWorkDone, equipped, tabletsUsable, open, violations, blocked, networkDone, doneRooms);
    }

    private static List<RolloutFinding> OpenItems(RolloutFacts facts, Dictionary<Guid, BuildingFacts> buildings, HashSet<Guid> networkDone)
    {
        var open = new List<RolloutFinding>();
        if (!facts.InMepPlan)
        {
            open.Add(new RolloutFinding("not-in-mep-plan", "The school is not in the MEP-standard plan (no wave and target year)."));
        }

        if (facts.SurveyedOn is null)
        {
            open.Add(new RolloutFinding("survey-missing", "The site survey is not recorded."));
        }

        if (facts.Broadband != BroadbandStatus.Connected)
        {
            open.Add(new RolloutFinding("broadband-not-connected", $"Broadband is {Words.Of(facts.Broadband)}, not connected."));
        }

        if (facts.Buildings.Count == 0)
        {
            open.Add(new RolloutFinding("no-buildings", "No buildings are recorded."));
        }

        foreach (var building in facts.Buildings.Where(b => !networkDone.Contains(b.Id)))
        {
            var parts = new[] { ("technical rooms", building.TechnicalRooms), ("network distributors", building.Distributors), ("cabling", building.Cabling) }
                .Where(p => p.Item2 != WorkStatus.Done).Select(p => $"{p.Item1} {Words.Of(p.Item2)}");
            open.Add(new RolloutFinding("building-network-not-done", $"{BuildingLabel(building)}: {string.Join(", ", parts)}.", building.Id));
        }

        if (facts.Rooms.Count == 0)
        {
            open.Add(new RolloutFinding("no-rooms", "No rooms are recorded."));
        }

        foreach (var room in facts.Rooms.Where(r => !RoomDone(r)))
        {
            var missing = new List<string>();
            if (room.Wlan != WlanCoverage.Accepted)
            {
                missing.Add(room.Wlan == WlanCoverage.Planned ? "WLAN missing" : "WLAN installed but not measured and accepted");
            }

            if (room.BoardSystemPlanned && room.BoardSystemId is null)
            {
                missing.Add("board system planned but not installed");
            }

            if (room.Kind == RoomKind.ComputerRoom && room.ComputerRoomReplacement != WorkStatus.Done)
            {
                missing.Add($"computer-room replacement {Words.Of(room.ComputerRoomReplacement)}");
            }

            open.Add(new RolloutFinding("room-not-done", $"{RoomLabel(room, buildings.GetValueOrDefault(room.BuildingId))}: {string.Join(", ", missing)}.",
                room.BuildingId, room.Id));
        }

        return open;
    }

    public static string RoomLabel(RoomFacts room, BuildingFacts? building) => $"Room {room.Number} ({BuildingLabel(building)})";

    private static string BuildingLabel(BuildingFacts? building) => building is null ? "unknown building" : $"building {building.Name}";

    private static string Listing(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= 5 ? string.Join(", ", all) : $"{string.Join(", ", all.Take(5))} and {all.Count - 5} more";
    }

    /// <summary>Statuses as words in messages (the API's camelCase names would read oddly in a sentence).</summary>
    private static class Words
    {
        public static string Of(WorkStatus status) => status switch
        {
            WorkStatus.NotStarted => "not started",
            WorkStatus.InProgress => "in progress",
            _ => "done",
        };

        public static string Of(WlanCoverage wlan) => wlan switch
        {
            WlanCoverage.Planned => "planned",
            WlanCoverage.Installed => "installed",
            _ => "accepted",
        };

        public static string Of(BroadbandStatus status) => status switch
        {
            BroadbandStatus.NotPlanned => "not planned",
            BroadbandStatus.Planned => "planned",
            BroadbandStatus.Ordered => "ordered",
            _ => "connected",
        };
    }
}
