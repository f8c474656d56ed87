using System.Security.Claims;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Errors;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Mep.Staffing.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Mep.Jobs;

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

    public static async Task<Results<Ok<List<HistoryPoint>>, ValidationProblem, ProblemHttpResult>> GetHistory([AsParameters] HistoryQuery query,
        ClaimsPrincipal user, StaffingDbContext db, ISchoolNumbers numbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var to = query.To ?? BerlinDay.Today(clock);
        var from = query.From ?? to.AddDays(-365);
        if (from > to || to.DayNumber - from.DayNumber > HistoryQuery.MaxDays)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["from"] = ["Not after to, and at most ten years before it."] });
        }

        var school = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        if (school.NoSuchSchool)
        {
            return TypedResults.Ok(new List<HistoryPoint>());
        }

        var model = string.IsNullOrWhiteSpace(query.Model) ? ModelCatalog.DefaultModel : query.Model.Trim();
        var district = string.IsNullOrWhiteSpace(query.District) ? null : query.District.Trim();
        var points = await db.Database.SqlQueryRaw<PointRow>(PointsSql,
            new NpgsqlParameter("model", model), new NpgsqlParameter("from", from), new NpgsqlParameter("to", to),
            new NpgsqlParameter("school_id", NpgsqlDbType.Uuid) { Value = (object?)school.SchoolId ?? DBNull.Value },
            new NpgsqlParameter("district", NpgsqlDbType.Text) { Value = (object?)district ?? DBNull.Value }).ToListAsync(cancellationToken);
        return TypedResults.Ok(points.ConvertAll(p =>
            new HistoryPoint(p.TakenOn, p.Schools, p.SchoolsAtMepStandard, DeviceCounts.InCategoryOrder(p.Counts), p.Fte)));
    }

    public static async Task<Ok<SnapshotTaken>> TakeSnapshot(StaffingSnapshots snapshots, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await snapshots.TakeAsync(BerlinDay.Today(clock), cancellationToken));

    private static readonly string PointsSql = $"""
        SELECT c.taken_on AS taken_on, count(*)::int AS schools, count(*) FILTER (WHERE c.at_mep_standard)::int AS schools_at_mep_standard,
            {CountColumns.Array(column => $"sum(c.{column})::int")} AS counts,
            coalesce((SELECT round(sum(f.fte), 18) FROM fte_snapshots f JOIN known_schools fs ON fs.school_id = f.school_id
                WHERE f.taken_on = c.taken_on AND f.model_code = @model
                  AND (@school_id::uuid IS NULL OR f.school_id = @school_id)
                  AND (@district::text IS NULL OR fs.district = @district)), 0) AS fte
        FROM count_snapshots c JOIN known_schools s ON s.school_id = c.school_id
        WHERE c.taken_on BETWEEN @from AND @to
          AND (@school_id::uuid IS NULL OR c.school_id = @school_id)
          AND (@district::text IS NULL OR s.district = @district)
        GROUP BY c.taken_on
        ORDER BY c.taken_on
        """;

    private sealed record PointRow(DateOnly TakenOn, int Schools, int SchoolsAtMepStandard, int[] Counts, decimal Fte);
}
