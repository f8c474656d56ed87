using Mep.Contracts.Schools;
using Mep.Schools.Data;
using Mep.Schools.Rollout;
using Mep.Schools.Register;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.DemoData;

/// <summary>
/// The demo city's rollout state (synthetic, shaped like the council paper): the six pilot schools built out and accepted
/// into regular operation on 1 August 2020 (measure 1); the six measure-4 schools surveyed and in building work, their 2020
/// plan slipped; the other 87 schools planned in waves 3 to 7 with target years 2027 to 2031. Every change goes through the
/// rollout ledger, so status, milestones and events are what the API would have produced. A school whose milestones a planner
/// has planned already is left alone, so seeding again never overwrites a planner's work.
/// </summary>
public sealed class DemoRollout(SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock)
{
    private const int FirstPlannedWave = 3;
    private const int PlannedWaves = 5;
    private const int FirstPlannedTargetYear = 2027;

    /// <summary>The MEP-standard plan a demo school starts with (before any rollout progress).</summary>
    public static MepStandardParticipation MepStandardPlan(DemoCity.PlannedSchool plan) =>
        plan.Pilot ? new MepStandardParticipation(MepStandardStatus.Planned, 1, 2020, null)
        : plan.MeasureFour ? new MepStandardParticipation(MepStandardStatus.Planned, 2, 2020, null)
        : new MepStandardParticipation(MepStandardStatus.Planned, WaveOf(plan), FirstPlannedTargetYear + WaveOf(plan) - FirstPlannedWave, null);

    private static int WaveOf(DemoCity.PlannedSchool plan) => FirstPlannedWave + plan.Index % PlannedWaves;

    public async Task SeedAsync(IReadOnlyList<DemoCity.PlannedSchool> plans, CancellationToken cancellationToken)
    {
        var numbers = plans.ToDictionary(p => p.Number, StringComparer.Ordinal);
        var untouched = await db.Schools
            .Where(s => !db.RolloutMilestones.Any(m => m.SchoolId == s.Id && m.PlannedOn != null))
            .Select(s => new { s.Id, s.Number }).ToListAsync(cancellationToken);
        foreach (var school in untouched.Where(s => numbers.ContainsKey(s.Number)))
        {
            var plan = numbers[school.Number];
            await ledger.ChangeAsync(school.Id, async () =>
            {
                var state = (await ledger.LoadAsync(school.Id, tracking: true, cancellationToken))!;
                if (state.School.MepStandard == MepStandardStatus.None)
                {
                    // A demo city seeded before rollout tracking existed had these schools outside the plan.
                    var programmes = state.School.Programmes;
                    state.School.ChangeProgrammes(programmes with { MepStandard = MepStandardPlan(plan) }, clock.GetUtcNow());
                    db.SchoolChanged(state.School, wasAtMepStandard: false, clock.GetUtcNow());
                }

                if (plan.Pilot)
                {
                    BuildOut(state, plan);
                }
                else if (plan.MeasureFour)
                {
                    StartBuildingWork(state, plan);
                }
                else
                {
                    PlanMilestones(state, state.School.MepStandardTargetYear ?? FirstPlannedTargetYear);
                    PlanAccessPoints(state);
                }

                return null;
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Survey, building work and equipment done years ago (the pilots ran 2016-2018), accepted on 1 August 2020, recorded as
    /// history. Their board systems come from Assets' demo inventory (seeded after the services start, through BoardSystemRegistered
    /// events); until those arrive the rollout reports the classrooms as open rather than pretending otherwise.
    /// </summary>
    private void BuildOut(RolloutState state, DemoCity.PlannedSchool plan)
    {
        var now = clock.GetUtcNow();
        PlanMilestones(state, 2018);
        state.Milestones[RolloutMilestone.Surveyed].RecordReached(new DateOnly(2016, 5, 2));
        state.Milestones[RolloutMilestone.BuildingWork].RecordReached(new DateOnly(2017, 12, 15));
        state.Rollout.ChangeConnection(new BroadbandConnection(BroadbandKind.OwnFibre, BroadbandStatus.Connected, 1_000, "Stadt Hannover (eigene Glasfaser)",
            180.00m, 42_500.00m, BackboneNode(plan)), now);
        foreach (var (_, network) in state.Buildings)
        {
            network.Change(WorkStatus.Done, WorkStatus.Done, WorkStatus.Done, 600 + 45 * state.Rooms.Count, now);
        }

        foreach (var room in state.Rooms)
        {
            var accessPoints = AccessPoints(room.Room.Kind);
            room.Rollout.Change(new RoomRolloutChange(WlanCoverage.Accepted, accessPoints, accessPoints, room.Rollout.BoardSystemPlanned, WorkStatus.Done), now);
        }

        // A demo city seeded before rollout tracking existed has its pilots joined already (and their acceptance recorded).
        if (state.School.MepStandard != MepStandardStatus.Joined)
        {
            ledger.Accept(state, DemoCitySchools.PilotsAcceptedOn);
        }
    }

    /// <summary>Surveyed early in 2020; broadband ordered; the main building's technical rooms done, distributors and cabling under way.</summary>
    private void StartBuildingWork(RolloutState state, DemoCity.PlannedSchool plan)
    {
        var now = clock.GetUtcNow();
        PlanMilestones(state, 2020);
        state.Milestones[RolloutMilestone.Surveyed].RecordReached(new DateOnly(2020, 2, 14));
        state.Rollout.ChangeConnection(new BroadbandConnection(BroadbandKind.RentedLine, BroadbandStatus.Ordered, 500, "Stadtnetz Leine GmbH",
            389.00m, 2_950.00m, BackboneNode(plan)), now);
        var (_, main) = state.Buildings[0];
        main.Change(WorkStatus.Done, WorkStatus.InProgress, WorkStatus.InProgress, 30 * state.Rooms.Count, now);
        PlanAccessPoints(state);
    }

    private static void PlanMilestones(RolloutState state, int targetYear)
    {
        state.Milestones[RolloutMilestone.Surveyed].Plan(new DateOnly(targetYear - 1, 10, 1));
        state.Milestones[RolloutMilestone.BuildingWork].Plan(new DateOnly(targetYear, 5, 31));
        state.Milestones[RolloutMilestone.Equipped].Plan(new DateOnly(targetYear, 9, 30));
        state.Milestones[RolloutMilestone.Accepted].Plan(new DateOnly(targetYear, 12, 15));
    }

    private void PlanAccessPoints(RolloutState state)
    {
        foreach (var room in state.Rooms)
        {
            room.Rollout.Change(new RoomRolloutChange(WlanCoverage.Planned, AccessPoints(room.Room.Kind), 0, room.Rollout.BoardSystemPlanned,
                WorkStatus.NotStarted), clock.GetUtcNow());
        }
    }

    private static int AccessPoints(RoomKind kind) => kind is RoomKind.ComputerRoom or RoomKind.StaffRoom ? 2 : 1;

    private static string BackboneNode(DemoCity.PlannedSchool plan) => $"KN-{plan.District[..Math.Min(4, plan.District.Length)].ToUpperInvariant()}";
}
