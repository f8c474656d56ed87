using Mep.Contracts.Schools;
using Mep.Schools.Buildings;
using Mep.Schools.Data;
using Mep.Schools.Register;
using Mep.ServiceDefaults.Errors;
using Mep.Jobs;
using Mep.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Rollout;

public static class RolloutStart
{
    /// <summary>A new school's rollout: its broadband record and its four milestones, none planned yet.</summary>
    public static void StartRollout(this SchoolsDbContext db, Guid schoolId, bool inMepPlan, DateTimeOffset now)
    {
        db.SchoolRollouts.Add(SchoolRollout.Start(schoolId, inMepPlan, now));
        db.RolloutMilestones.AddRange(Enum.GetValues<RolloutMilestone>().Select(m => RolloutMilestoneDate.For(schoolId, m)));
    }
}

/// <summary>A room with its rollout part and the board system Assets reported in it.</summary>
public sealed record RoomInRollout(Room Room, RoomRollout Rollout, InstalledBoardSystem? BoardSystem);

/// <summary>Everything of one school's rollout, loaded together, with its assessment.</summary>
public sealed record RolloutState(
    School School,
    SchoolRollout Rollout,
    IReadOnlyList<(Building Building, BuildingRollout Network)> Buildings,
    IReadOnlyList<RoomInRollout> Rooms,
    IReadOnlyDictionary<RolloutMilestone, RolloutMilestoneDate> Milestones,
    RolloutFacts Facts,
    RolloutAssessment Assessment);

/// <summary>
/// The one way a school's rollout changes. A change runs with the school's rollout row locked (FOR UPDATE), so changes
/// of one school happen one after the other; afterwards the stored parts are assessed again and what follows from them is
/// recorded in the same transaction: the derived status, the days buildings and rooms were done, the milestones reached,
/// and their events. Derived values therefore always agree with the parts, and each milestone is reported once.
/// </summary>
public sealed class RolloutLedger(SchoolsDbContext db, TimeProvider clock)
{
    /// <summary>The day in Hannover: milestones and lateness are days of the people doing the work.</summary>
    public DateOnly Today => BerlinDay.Today(clock);

    /// <summary>
    /// Runs <paramref name="change"/> (which loads what it changes, tracked) with the school locked, then reassesses and commits.
    /// A problem returned by the change rolls everything back and is returned; null means committed.
    /// </summary>
    public async Task<ProblemHttpResult?> ChangeAsync(Guid schoolId, Func<Task<ProblemHttpResult?>> change, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await LockAsync(schoolId, cancellationToken))
            {
                return ApiProblems.NotFound("school");
            }

            if (await change() is { } refused)
            {
                return refused;
            }

            await db.SaveChangesAsync(cancellationToken);
            await ReassessAsync(schoolId, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        });
    }

    /// <summary>For a caller that already runs a transaction (a consumer): lock the school and reassess; the caller saves.</summary>
    public async Task ReassessInTransactionAsync(Guid schoolId, CancellationToken cancellationToken)
    {
        if (await LockAsync(schoolId, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await ReassessAsync(schoolId, cancellationToken);
        }
    }

    private async Task<bool> LockAsync(Guid schoolId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<Guid>($"SELECT school_id AS \"Value\" FROM school_rollouts WHERE school_id = {schoolId} FOR UPDATE")
            .ToListAsync(cancellationToken)).Count == 1;

    /// <summary>The school's rollout as committed, for an answer (after a change, nothing of it stays tracked).</summary>
    public Task<RolloutState?> ReadAsync(Guid schoolId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return LoadAsync(schoolId, tracking: false, cancellationToken);
    }

    /// <summary>The school's rollout as stored (tracked when it is about to change), assessed.</summary>
    public async Task<RolloutState?> LoadAsync(Guid schoolId, bool tracking, CancellationToken cancellationToken)
    {
        IQueryable<TEntity> Query<TEntity>() where TEntity : class => tracking ? db.Set<TEntity>().AsTracking() : db.Set<TEntity>();

        var school = await Query<School>().FirstOrDefaultAsync(s => s.Id == schoolId, cancellationToken);
        var rollout = await Query<SchoolRollout>().FirstOrDefaultAsync(r => r.SchoolId == schoolId, cancellationToken);
        if (school is null || rollout is null)
        {
            return null;
        }

        var buildings = await Query<Building>().Where(b => b.SchoolId == schoolId).OrderBy(b => b.Name).ToListAsync(cancellationToken);
        var networks = await Query<BuildingRollout>().Where(b => b.SchoolId == schoolId).ToDictionaryAsync(b => b.BuildingId, cancellationToken);
        var rooms = await Query<Room>().Where(r => r.SchoolId == schoolId).ToListAsync(cancellationToken);
        var roomRollouts = await Query<RoomRollout>().Where(r => r.SchoolId == schoolId).ToDictionaryAsync(r => r.RoomId, cancellationToken);
        var boards = (await db.InstalledBoardSystems.Where(b => b.SchoolId == schoolId && !b.Dismantled).OrderBy(b => b.AsOf)
            .ToListAsync(cancellationToken)).GroupBy(b => b.RoomId).ToDictionary(g => g.Key, g => g.First());
        var milestones = await Query<RolloutMilestoneDate>().Where(m => m.SchoolId == schoolId).ToDictionaryAsync(m => m.Milestone, cancellationToken);

        var buildingOrder = buildings.Select((b, i) => (b.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var inRollout = rooms.OrderBy(r => buildingOrder.GetValueOrDefault(r.BuildingId)).ThenBy(r => r.Number, StringComparer.Ordinal)
            .Select(r => new RoomInRollout(r, roomRollouts[r.Id], boards.GetValueOrDefault(r.Id))).ToList();
        var withNetworks = buildings.Select(b => (b, networks[b.Id])).ToList();
        var facts = new RolloutFacts(
            school.MepStandard != MepStandardStatus.None,
            milestones[RolloutMilestone.Surveyed].ReachedOn,
            school.MepStandard == MepStandardStatus.Joined ? school.MepStandardJoinedOn : null,
            rollout.BroadbandStatus,
            [.. withNetworks.Select(x => new BuildingFacts(x.b.Id, x.b.Name, x.Item2.TechnicalRooms, x.Item2.Distributors, x.Item2.Cabling))],
            [.. inRollout.Select(r => new RoomFacts(r.Room.Id, r.Room.BuildingId, r.Room.Number, r.Room.Kind, r.Rollout.Wlan,
                r.Rollout.AccessPointsPlanned, r.Rollout.AccessPointsInstalled, r.Rollout.BoardSystemPlanned, r.BoardSystem?.BoardSystemId,
                r.Rollout.ComputerRoomReplacement))]);
        return new RolloutState(school, rollout, withNetworks, inRollout, milestones, facts, RolloutAssessment.Of(facts));
    }

    /// <summary>Records what follows from the stored parts: status, done days, milestones reached, and their events.</summary>
    private async Task ReassessAsync(Guid schoolId, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(schoolId, tracking: true, cancellationToken)
                    ?? throw new InvalidOperationException($"School {schoolId} has no rollout to reassess.");
        var (now, today, assessment) = (clock.GetUtcNow(), Today, state.Assessment);
        state.Rollout.RecordStatus(assessment.Status, now);

        foreach (var (building, network) in state.Buildings)
        {
            var done = assessment.NetworkDoneBuildings.Contains(building.Id);
            if (done && network.NetworkDoneOn is null)
            {
                network.RecordNetworkDone(today);
                MilestoneReached(schoolId, RolloutMilestone.BuildingWork, "building", building.Id, null, today, now);
            }
            else if (!done && network.NetworkDoneOn is not null)
            {
                network.RecordNetworkDone(null);
            }
        }

        foreach (var room in state.Rooms)
        {
            var done = assessment.DoneRooms.Contains(room.Room.Id);
            if (done && room.Rollout.DoneOn is null)
            {
                room.Rollout.RecordDone(today);
                MilestoneReached(schoolId, RolloutMilestone.Equipped, "room", room.Room.BuildingId, room.Room.Id, today, now);
            }
            else if (!done && room.Rollout.DoneOn is not null)
            {
                room.Rollout.RecordDone(null);
            }
        }

        // A school's milestones are history: once reached they stay reached, even if a room is reopened later (the
        // assessment reports that as open instead).
        ReachOnce(state, RolloutMilestone.BuildingWork, assessment.BuildingWorkDone, today, now);
        ReachOnce(state, RolloutMilestone.Equipped, assessment.Equipped, today, now);
    }

    private void ReachOnce(RolloutState state, RolloutMilestone milestone, bool reached, DateOnly today, DateTimeOffset now)
    {
        var date = state.Milestones[milestone];
        if (reached && date.ReachedOn is null)
        {
            date.RecordReached(today);
            MilestoneReached(state.School.Id, milestone, "school", null, null, today, now);
        }
    }

    /// <summary>
    /// Accepts the school into the MEP standard (the caller has checked that it may be): the school joins, the milestone is
    /// reached, and SchoolUpdated and SchoolAcceptedIntoMepStandard are recorded. Under the ledger's lock a second acceptance
    /// finds the school joined and is refused, so the event is recorded once.
    /// </summary>
    public void Accept(RolloutState state, DateOnly on)
    {
        var now = clock.GetUtcNow();
        state.School.AcceptIntoMepStandard(on, now);
        Reach(state, RolloutMilestone.Accepted, on);
        db.SchoolChanged(state.School, wasAtMepStandard: false, now);
    }

    /// <summary>Records a milestone a planner reports (the survey) or the acceptance, with its event.</summary>
    public void Reach(RolloutState state, RolloutMilestone milestone, DateOnly on)
    {
        state.Milestones[milestone].RecordReached(on);
        MilestoneReached(state.School.Id, milestone, "school", null, null, on, clock.GetUtcNow());
    }

    private void MilestoneReached(Guid schoolId, RolloutMilestone milestone, string scope, Guid? buildingId, Guid? roomId, DateOnly on, DateTimeOffset now) =>
        db.AddIntegrationEvent(new RolloutMilestoneReached(schoolId, Contracts.EnumText.CamelName(milestone), scope, buildingId, roomId, on, now),
            schoolId.ToString(), now);
}
