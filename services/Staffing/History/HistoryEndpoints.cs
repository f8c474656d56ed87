using Mep.ServiceDefaults.Errors;
using Mep.Staffing.Calculation;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Mep.Staffing.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.History;

public static class HistoryEndpoints
{
    public static RouteGroupBuilder MapHistoryEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/history", GetHistory).RequireAuthorization(StaffingAccess.Read).WithName(nameof(GetHistory))
            .WithSummary("Trend from the nightly snapshots: devices, schools at MEP standard and FTE under a model per day, city-wide, per district or per school.");
        group.MapPost("/admin/history/snapshot", TakeSnapshot).RequireAuthorization(StaffingAccess.Administer).WithName(nameof(TakeSnapshot))
            .WithTags("Operations").WithSummary("Take today's snapshot now (the job takes it every night; taking it again replaces today's).");
        return group;
    }

    public static async Task<Results<Ok<List<HistoryPoint>>, ValidationProblem>> GetHistory([AsParameters] HistoryQuery query, StaffingDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var to = query.To ?? CalculationEndpoints.Today(clock);
        var from = query.From ?? to.AddDays(-365);
        if (from > to || to.DayNumber - from.DayNumber > HistoryQuery.MaxDays)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["from"] = ["Not after to, and at most ten years before it."] });
        }

        var model = string.IsNullOrWhiteSpace(query.Model) ? ModelCatalog.DefaultModel : query.Model.Trim();
        var district = string.IsNullOrWhiteSpace(query.District) ? null : query.District.Trim();
        var points = await db.Database.SqlQuery<PointRow>($"""
            SELECT c.taken_on AS taken_on, count(*)::int AS schools, count(*) FILTER (WHERE c.at_mep_standard)::int AS schools_at_mep_standard,
                sum(c.pupil_tablets)::int AS pupil_tablets, sum(c.teacher_tablets)::int AS teacher_tablets, sum(c.loan_tablets)::int AS loan_tablets,
                sum(c.class_set_tablets)::int AS class_set_tablets, sum(c.computer_room_devices)::int AS computer_room_devices,
                sum(c.board_systems)::int AS board_systems, sum(c.board_system_components)::int AS board_system_components,
                sum(c.network_devices)::int AS network_devices,
                coalesce((SELECT round(sum(f.fte), 18) FROM fte_snapshots f JOIN known_schools fs ON fs.school_id = f.school_id
                    WHERE f.taken_on = c.taken_on AND f.model_code = {model}
                      AND ({query.SchoolId}::uuid IS NULL OR f.school_id = {query.SchoolId})
                      AND ({district}::text IS NULL OR fs.district = {district})), 0) AS fte
            FROM count_snapshots c JOIN known_schools s ON s.school_id = c.school_id
            WHERE c.taken_on BETWEEN {from} AND {to}
              AND ({query.SchoolId}::uuid IS NULL OR c.school_id = {query.SchoolId})
              AND ({district}::text IS NULL OR s.district = {district})
            GROUP BY c.taken_on
            ORDER BY c.taken_on
            """).ToListAsync(cancellationToken);
        return TypedResults.Ok(points.ConvertAll(p => new HistoryPoint(p.TakenOn, p.Schools, p.SchoolsAtMepStandard,
            new DeviceCounts(p.PupilTablets, p.TeacherTablets, p.LoanTablets, p.ClassSetTablets, p.ComputerRoomDevices, p.BoardSystems,
                p.BoardSystemComponents, p.NetworkDevices), p.Fte)));
    }

    public static async Task<Ok<SnapshotTaken>> TakeSnapshot(StaffingSnapshots snapshots, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await snapshots.TakeAsync(CalculationEndpoints.Today(clock), cancellationToken));

    private sealed record PointRow(
        DateOnly TakenOn, int Schools, int SchoolsAtMepStandard, int PupilTablets, int TeacherTablets, int LoanTablets, int ClassSetTablets,
        int ComputerRoomDevices, int BoardSystems, int BoardSystemComponents, int NetworkDevices, decimal Fte);
}
