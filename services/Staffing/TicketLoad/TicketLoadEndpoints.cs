using System.Security.Claims;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Errors;
using Mep.Staffing.Calculation;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Mep.Jobs;

namespace Mep.Staffing.TicketLoad;

public static class TicketLoadEndpoints
{
    public static RouteGroupBuilder MapTicketLoadEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/ticket-load", GetTicketLoad).RequireAuthorization(StaffingAccess.Read).WithName(nameof(GetTicketLoad))
            .WithSummary("Tickets per month (from Support's events), per 1,000 devices, per current post and per needed FTE, next to the ratio-based need.");
        return group;
    }

    public static async Task<Results<Ok<TicketLoadReport>, ProblemHttpResult, ValidationProblem>> GetTicketLoad([AsParameters] TicketLoadQuery query,
        ClaimsPrincipal user, StaffingDbContext db, ISchoolNumbers numbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var today = BerlinDay.Today(clock);
        var to = TicketLoadQuery.ParseMonth(query.To) ?? new DateOnly(today.Year, today.Month, 1);
        var from = TicketLoadQuery.ParseMonth(query.From) ?? to.AddMonths(-11);
        if (from > to || (to.Year - from.Year) * 12 + to.Month - from.Month >= TicketLoadQuery.MaxMonths)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["from"] = ["Not after to, and at most 120 months at once."] });
        }

        var (resolved, problem) = await CalculationEndpoints.ResolveAsync(db, query.Model, today, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (model, version, _) = resolved!.Value;
        var school = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (!school.One(out var schoolId, out var refusal))
        {
            return refusal;
        }

        // One school's load: a school nobody has is a 404 (by id here; by number, One said so), not a report of zeros.
        if (schoolId is { } id && !await db.KnownSchools.AnyAsync(s => s.SchoolId == id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var tickets = await school.Apply(db.TicketLoad.Where(l => l.Month >= from && l.Month <= to), l => l.SchoolId)
            .GroupBy(l => l.Month).Select(g => new { Month = g.Key, Tickets = g.Sum(l => l.Tickets), Solved = g.Sum(l => l.SolvedBySchool) })
            .ToDictionaryAsync(x => x.Month, cancellationToken);
        var snapshots = await school.Apply(db.Database.SqlQueryRaw<SnapshotRow>(SnapshotsSql,
                new NpgsqlParameter("model", model.Code), new NpgsqlParameter("from", from), new NpgsqlParameter("until", to.AddMonths(1))),
                s => s.SchoolId)
            .GroupBy(s => s.TakenOn).Select(g => new DaySnapshot(g.Key, g.Sum(s => s.Devices), Math.Round(g.Sum(s => s.Fte), 18)))
            .ToListAsync(cancellationToken);
        var posts = await db.CurrentPosts.SumAsync(p => p.Posts, cancellationToken);

        var schools = await StaffingInputs.SchoolsAsync(db, null, cancellationToken, schoolId);
        var live = StaffingCalculator.Figure(version.Definition, schools.Where(s => version.Definition.Counts(s.Type, s.AtMepStandard)).ToList());
        var liveDevices = schools.Sum(s => CountCategories.DevicesIn(s.Counts));

        var months = new List<MonthLoad>();
        for (var month = from; month <= to; month = month.AddMonths(1))
        {
            var end = month.AddMonths(1);
            var snapshot = snapshots.Where(s => s.TakenOn >= month && s.TakenOn < end).MaxBy(s => s.TakenOn);
            var (devices, need) = snapshot is null ? (liveDevices, live.Fte) : (snapshot.Devices, snapshot.Fte);
            var load = tickets.GetValueOrDefault(month);
            var count = load?.Tickets ?? 0;
            months.Add(new MonthLoad($"{month:yyyy-MM}", count, load?.Solved ?? 0, devices, Ratio(count * 1000m, devices), need, Ratio(count, need),
                posts, Ratio(count, posts), snapshot is null));
        }

        return TypedResults.Ok(new TicketLoadReport(model.Code, schoolId, months));
    }

    private static decimal? Ratio(decimal amount, decimal per) => per == 0 ? null : decimal.Round(amount / per, 2, MidpointRounding.AwayFromZero);

    /// <summary>Each school's devices and FTE per snapshot day; the handler selects the school and sums (the school's filter in LINQ).</summary>
    private static readonly string SnapshotsSql = $"""
        SELECT c.taken_on AS taken_on, c.school_id AS school_id,
            ({CountColumns.Each((_, column) => $"c.{column}", CountCategories.Devices, " + ")})::int AS devices,
            coalesce((SELECT f.fte FROM fte_snapshots f WHERE f.taken_on = c.taken_on AND f.model_code = @model
                AND f.school_id = c.school_id), 0) AS fte
        FROM count_snapshots c
        WHERE c.taken_on >= @from AND c.taken_on < @until
        """;

    private sealed record SnapshotRow(DateOnly TakenOn, Guid SchoolId, int Devices, decimal Fte);

    private sealed record DaySnapshot(DateOnly TakenOn, int Devices, decimal Fte);
}
