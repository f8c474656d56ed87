using Mep.Schools.Data;
using Mep.Schools.Register;

namespace Mep.Schools.Rollout;

/// <summary>When a milestone counts as late, and which open items hold up which milestone.</summary>
public static class MilestoneSchedule
{
    /// <summary>
    /// The one definition of a late milestone, which the planners' list, the plan and a school's critical path all read: not reached,
    /// planned before today (late from the day after its planned day), and its school not accepted (the derived rollout status as
    /// stored: nothing is late after acceptance). A query, so that lists filter, sort and page in the database; the partial index on
    /// planned_on where reached_on is null serves it.
    /// </summary>
    public static IQueryable<RolloutMilestoneDate> Late(IQueryable<RolloutMilestoneDate> milestones, IQueryable<SchoolRollout> rollouts,
        DateOnly today) =>
        milestones.Where(m => m.ReachedOn == null && m.PlannedOn < today
            && rollouts.Any(r => r.SchoolId == m.SchoolId && r.Status != RolloutStatus.Accepted));

    /// <summary>
    /// The late milestones of <paramref name="schools"/> with their school, in the one order of the list and the plan: most days late
    /// first (the earliest planned day, the partial index's order), then by school number, then by milestone (its name as stored).
    /// </summary>
    internal static IQueryable<LateMilestoneOfSchool> LateOf(IQueryable<School> schools, SchoolsDbContext db, DateOnly today) =>
        Late(db.RolloutMilestones, db.SchoolRollouts, today)
            .Join(schools, m => m.SchoolId, s => s.Id, (m, s) => new LateMilestoneOfSchool
            {
                SchoolId = s.Id, Number = s.Number, Name = s.Name, District = s.District, Wave = s.MepStandardWave, Milestone = m.Milestone,
                PlannedOn = m.PlannedOn!.Value,
            })
            .OrderBy(l => l.PlannedOn).ThenBy(l => l.Number).ThenBy(l => l.Milestone);

    public static RolloutMilestone Gates(string rule) => rule switch
    {
        "survey-missing" => RolloutMilestone.Surveyed,
        "broadband-not-connected" or "no-buildings" or "building-network-not-done" => RolloutMilestone.BuildingWork,
        "no-rooms" or "room-not-done" => RolloutMilestone.Equipped,
        _ => RolloutMilestone.Accepted,
    };
}

/// <summary>A late milestone and its school as the query reads them (<see cref="MilestoneSchedule.LateOf"/>).</summary>
internal sealed class LateMilestoneOfSchool
{
    public Guid SchoolId { get; init; }
    public string Number { get; init; } = string.Empty;
    public string Name { get; init; } = string.Empty;
    public string District { get; init; } = string.Empty;
    public int? Wave { get; init; }
    public RolloutMilestone Milestone { get; init; }
    public DateOnly PlannedOn { get; init; }

    public LateMilestone ToResponse(DateOnly today) =>
        new(SchoolId, Number, Name, District, Wave, Milestone, PlannedOn, today.DayNumber - PlannedOn.DayNumber);
}
