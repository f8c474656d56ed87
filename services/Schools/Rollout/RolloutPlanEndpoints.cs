using System.Security.Claims;
using Mep.Exports;
using Mep.Schools.Data;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Rollout;

/// <summary>Plan views for planners: per wave and year, per district; schools by status, rooms covered vs planned, late milestones.</summary>
public static class RolloutPlanEndpoints
{
    public static RouteGroupBuilder MapRolloutPlanEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/rollout/plan", GetRolloutPlan).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(GetRolloutPlan))
            .WithSummary("The rollout plan grouped by wave, target year or district: schools by status, rooms covered vs planned, late milestones.");
        group.MapExport("/rollout/plan.{format}", RolloutPlanFile, "RolloutPlan",
                "The rollout plan as a file: a row per school; the workbook adds the groups and the late milestones.")
            .RequireAuthorization(SchoolsAccess.Read);
        group.MapGet("/rollout/late-milestones", ListLateMilestones).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(ListLateMilestones))
            .WithSummary("The planners' work list: milestones past their planned day and not reached, most days late first, with school number "
                + "and name; by district, wave and school (id or number).");
        return group;
    }

    public static async Task<Results<Ok<Page<LateMilestone>>, ProblemHttpResult>> ListLateMilestones([AsParameters] LateMilestoneQuery query,
        ClaimsPrincipal user, SchoolsDbContext db, ISchoolNumbers numbers, RolloutLedger ledger, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        var schools = school.Apply(db.Schools, s => s.Id);
        if (!string.IsNullOrWhiteSpace(query.District))
        {
            schools = schools.Where(s => s.District == query.District.Trim());
        }

        if (query.Wave is { } wave)
        {
            schools = schools.Where(s => s.MepStandardWave == wave);
        }

        var today = ledger.Today;
        var late = MilestoneSchedule.LateOf(schools, db, today);
        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await late.CountAsync(cancellationToken);
        var rows = await late.Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<LateMilestone>(rows.ConvertAll(l => l.ToResponse(today)), page, pageSize, total));
    }

    public static async Task<Ok<RolloutPlan>> GetRolloutPlan(
        [AsParameters] RolloutPlanQuery query, ClaimsPrincipal user, SchoolsDbContext db, RolloutLedger ledger, CancellationToken cancellationToken) =>
        TypedResults.Ok(await PlanAsync(query, user, db, ledger, cancellationToken));

    public static async Task<ExportDocument> RolloutPlanFile(
        [AsParameters] RolloutPlanQuery query, ClaimsPrincipal user, SchoolsDbContext db, RolloutLedger ledger, CancellationToken cancellationToken) =>
        RolloutPlanExport.Of(await PlanAsync(query, user, db, ledger, cancellationToken));

    private static async Task<RolloutPlan> PlanAsync(
        RolloutPlanQuery query, ClaimsPrincipal user, SchoolsDbContext db, RolloutLedger ledger, CancellationToken cancellationToken)
    {
        var today = ledger.Today;
        var schools = db.Schools.VisibleTo(user, s => s.Id);
        if (query.Wave is { } wave)
        {
            schools = schools.Where(s => s.MepStandardWave == wave);
        }

        if (query.TargetYear is { } year)
        {
            schools = schools.Where(s => s.MepStandardTargetYear == year);
        }

        if (!string.IsNullOrWhiteSpace(query.District))
        {
            schools = schools.Where(s => s.District == query.District.Trim());
        }

        var ids = schools.Select(s => s.Id);
        var rows = await schools.Join(db.SchoolRollouts, s => s.Id, r => r.SchoolId, (s, r) => new
            {
                s.Id, s.Number, s.Name, s.District, s.MepStandardWave, s.MepStandardTargetYear, r.Status,
            })
            .OrderBy(s => s.MepStandardWave).ThenBy(s => s.Name).ToListAsync(cancellationToken);
        var coverage = await db.RoomRollouts.Where(r => ids.Contains(r.SchoolId)).GroupBy(r => r.SchoolId)
            .Select(g => new
            {
                SchoolId = g.Key,
                Rooms = g.Count(),
                WlanInstalled = g.Count(r => r.Wlan != WlanCoverage.Planned),
                WlanAccepted = g.Count(r => r.Wlan == WlanCoverage.Accepted),
                AccessPointsPlanned = g.Sum(r => r.AccessPointsPlanned),
                AccessPointsInstalled = g.Sum(r => r.AccessPointsInstalled),
                BoardSystemsPlanned = g.Count(r => r.BoardSystemPlanned),
                Done = g.Count(r => r.DoneOn != null),
            })
            .ToDictionaryAsync(c => c.SchoolId, cancellationToken);
        var boards = await db.InstalledBoardSystems.Where(b => !b.Dismantled && ids.Contains(b.SchoolId)).GroupBy(b => b.SchoolId)
            .Select(g => new { SchoolId = g.Key, Rooms = g.Select(b => b.RoomId).Distinct().Count() })
            .ToDictionaryAsync(b => b.SchoolId, b => b.Rooms, cancellationToken);
        var milestones = (await db.RolloutMilestones.Where(m => ids.Contains(m.SchoolId)).ToListAsync(cancellationToken))
            .ToLookup(m => m.SchoolId);
        var late = (await MilestoneSchedule.LateOf(schools, db, today).ToListAsync(cancellationToken)).ConvertAll(l => l.ToResponse(today));
        var lateBySchool = late.ToLookup(l => l.SchoolId);

        RoomCoverage CoverageOf(Guid schoolId) => coverage.TryGetValue(schoolId, out var c)
            ? new RoomCoverage(c.Rooms, c.WlanInstalled, c.WlanAccepted, c.AccessPointsPlanned, c.AccessPointsInstalled, c.BoardSystemsPlanned,
                boards.GetValueOrDefault(schoolId), c.Done)
            : new RoomCoverage(0, 0, 0, 0, 0, 0, boards.GetValueOrDefault(schoolId), 0);

        var planSchools = new List<PlanSchool>();
        foreach (var s in rows)
        {
            var dates = milestones[s.Id].ToDictionary(m => m.Milestone);
            var next = s.Status is RolloutStatus.NotInPlan or RolloutStatus.Accepted ? (RolloutMilestone?)null
                : Enum.GetValues<RolloutMilestone>().Cast<RolloutMilestone?>().FirstOrDefault(m => dates.GetValueOrDefault(m!.Value)?.ReachedOn is null);
            var nextPlanned = next is { } n ? dates.GetValueOrDefault(n)?.PlannedOn : null;
            planSchools.Add(new PlanSchool(s.Id, s.Number, s.Name, s.District, s.MepStandardWave, s.MepStandardTargetYear, s.Status, next, nextPlanned,
                lateBySchool[s.Id].Any(), CoverageOf(s.Id), MilestonesOf(dates, lateBySchool[s.Id])));
        }

        // ?groupBy= (empty) is no choice: the default, not a group named "" (a workbook refuses a sheet without a name).
        var groupBy = string.IsNullOrWhiteSpace(query.GroupBy) ? "wave" : query.GroupBy;
        Func<PlanSchool, string?> keyOf = groupBy switch
        {
            "targetYear" => s => s.TargetYear?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "district" => s => s.District,
            _ => s => s.Wave?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var groups = planSchools.GroupBy(keyOf)
            .OrderBy(g => g.Key is null).ThenBy(g => int.TryParse(g.Key, out var number) ? number : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PlanGroup(g.Key, g.Count(),
                Enum.GetValues<RolloutStatus>().ToDictionary(status => status, status => g.Count(s => s.Status == status)),
                Sum(g.Select(s => s.Coverage)), g.Sum(s => lateBySchool[s.SchoolId].Count())))
            .ToList();
        return new RolloutPlan(today, groupBy, groups, late, planSchools);
    }

    /// <summary>The school's milestones in order, in the states of its critical path: a milestone after a late one is at risk.</summary>
    private static List<PlanMilestone> MilestonesOf(Dictionary<RolloutMilestone, RolloutMilestoneDate> dates, IEnumerable<LateMilestone> late)
    {
        var daysLate = late.ToDictionary(l => l.Milestone, l => l.DaysLate);
        var milestones = new List<PlanMilestone>();
        var earlierLate = false;
        foreach (var milestone in Enum.GetValues<RolloutMilestone>())
        {
            var date = dates.GetValueOrDefault(milestone);
            int? lateBy = daysLate.TryGetValue(milestone, out var days) ? days : null;
            var state = date?.ReachedOn is not null ? MilestoneState.Reached
                : lateBy is not null ? MilestoneState.Late
                : earlierLate ? MilestoneState.AtRisk
                : MilestoneState.Open;
            earlierLate |= lateBy is not null;
            milestones.Add(new PlanMilestone(milestone, date?.PlannedOn, date?.ReachedOn, state, lateBy));
        }

        return milestones;
    }

    private static RoomCoverage Sum(IEnumerable<RoomCoverage> all) => all.Aggregate(new RoomCoverage(0, 0, 0, 0, 0, 0, 0, 0), (a, c) => new RoomCoverage(
        a.Rooms + c.Rooms, a.WlanInstalled + c.WlanInstalled, a.WlanAccepted + c.WlanAccepted, a.AccessPointsPlanned + c.AccessPointsPlanned,
        a.AccessPointsInstalled + c.AccessPointsInstalled, a.BoardSystemsPlanned + c.BoardSystemsPlanned, a.BoardSystemsInstalled + c.BoardSystemsInstalled,
        a.RoomsDone + c.RoomsDone));
}
