using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Metrics;

public static class MetricsEndpoints
{
    /// <summary>A month as YYYY-MM.</summary>
    public const int MonthLength = 7;

    public static RouteGroupBuilder MapMetricsEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/queues", Queues).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(Queues)).WithSummary("Every group's queue: open tickets by status, unassigned, breached, oldest.");
        group.MapGet("/metrics/sla-compliance", SlaCompliance).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(SlaCompliance)).WithSummary("SLA compliance per clock (level) and month of opening, ?from=2026-01&to=2026-12.");
        group.MapGet("/metrics/tickets-per-devices", TicketsPerDevices).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(TicketsPerDevices)).WithSummary("Tickets per 1,000 devices in use per school, for tickets opened ?from=&to= (months).");
        group.MapGet("/metrics/first-contact-resolution", FirstContactResolution).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(FirstContactResolution)).WithSummary("First-contact resolution rate per month of resolution.");
        return group;
    }

    public static async Task<Ok<List<QueueLine>>> Queues(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Database.SqlQuery<QueueLine>($"""
            SELECT g.code AS group, g.name AS group_name, g.level AS level,
                   count(t.id)::int AS open,
                   count(t.id) FILTER (WHERE t.status IN ('New', 'Reopened'))::int AS new,
                   count(t.id) FILTER (WHERE t.status IN ('Triaged', 'InProgress'))::int AS in_progress,
                   count(t.id) FILTER (WHERE t.status = 'WaitingForSchool')::int AS waiting_for_school,
                   count(t.id) FILTER (WHERE t.status = 'WaitingForVendor')::int AS waiting_for_vendor,
                   count(t.id) FILTER (WHERE t.assignee IS NULL)::int AS unassigned,
                   count(t.id) FILTER (WHERE EXISTS (SELECT 1 FROM sla_timers s WHERE s.ticket_id = t.id AND s.active AND s.breached_at IS NOT NULL))::int AS breached,
                   min(t.created_at) AS oldest_open_since
            -- Only open tickets join, so every count below is of open tickets.
            FROM support_groups g LEFT JOIN tickets t ON t.group_code = g.code AND t.status NOT IN ('Resolved', 'Closed')
            WHERE g.level > 0
            GROUP BY g.code, g.name, g.level ORDER BY g.level, g.code
            """).ToListAsync(cancellationToken));

    public static async Task<Results<Ok<List<SlaComplianceLine>>, ProblemHttpResult>> SlaCompliance([MaxLength(MonthLength)] string? from, [MaxLength(MonthLength)] string? to, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        if (MonthRange.Parse(from, to) is not { } range)
        {
            return MonthRange.Problem;
        }

        var lines = await db.Database.SqlQuery<SlaComplianceLine>($"""
            SELECT to_char(date_trunc('month', t.created_at AT TIME ZONE 'Europe/Berlin'), 'YYYY-MM') AS month, s.clock AS clock, s.target AS target,
                   count(*)::int AS decided,
                   count(*) FILTER (WHERE s.breached_at IS NULL AND NOT (s.met_at > s.due_at))::int AS kept,
                   count(*) FILTER (WHERE s.breached_at IS NOT NULL OR s.met_at > s.due_at)::int AS breached,
                   round(100.0 * count(*) FILTER (WHERE s.breached_at IS NULL AND NOT (s.met_at > s.due_at)) / count(*), 1) AS compliance_percent
            FROM sla_timers s JOIN tickets t ON t.id = s.ticket_id
            WHERE (s.met_at IS NOT NULL OR s.breached_at IS NOT NULL)
              AND t.created_at >= {range.Start} AND t.created_at < {range.End}
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """).ToListAsync(cancellationToken);
        return TypedResults.Ok(lines);
    }

    public static async Task<Results<Ok<List<TicketsPerDevicesLine>>, ProblemHttpResult>> TicketsPerDevices([MaxLength(MonthLength)] string? from, [MaxLength(MonthLength)] string? to,
        SupportDbContext db, CancellationToken cancellationToken)
    {
        if (MonthRange.Parse(from, to) is not { } range)
        {
            return MonthRange.Problem;
        }

        var lines = await db.Database.SqlQuery<TicketsPerDevicesLine>($"""
            SELECT k.school_id AS school_id, k.number AS school_number, k.name AS school_name,
                   coalesce(t.tickets, 0)::int AS tickets, coalesce(d.devices, 0)::int AS devices,
                   CASE WHEN coalesce(d.devices, 0) = 0 THEN NULL ELSE round(1000.0 * coalesce(t.tickets, 0) / d.devices, 2) END AS tickets_per_thousand_devices
            FROM known_schools k
            LEFT JOIN (SELECT school_id, count(*) AS tickets FROM tickets
                       WHERE created_at >= {range.Start} AND created_at < {range.End} AND merged_into_id IS NULL GROUP BY school_id) t ON t.school_id = k.school_id
            LEFT JOIN (SELECT school_id, count(*) AS devices FROM known_devices WHERE NOT retired GROUP BY school_id) d ON d.school_id = k.school_id
            ORDER BY tickets_per_thousand_devices DESC NULLS LAST, k.number
            """).ToListAsync(cancellationToken);
        return TypedResults.Ok(lines);
    }

    public static async Task<Results<Ok<List<FirstContactLine>>, ProblemHttpResult>> FirstContactResolution([MaxLength(MonthLength)] string? from, [MaxLength(MonthLength)] string? to,
        SupportDbContext db, CancellationToken cancellationToken)
    {
        if (MonthRange.Parse(from, to) is not { } range)
        {
            return MonthRange.Problem;
        }

        var lines = await db.Database.SqlQuery<FirstContactLine>($"""
            SELECT to_char(date_trunc('month', resolved_at AT TIME ZONE 'Europe/Berlin'), 'YYYY-MM') AS month,
                   count(*) FILTER (WHERE NOT solved_by_school)::int AS resolved,
                   count(*) FILTER (WHERE NOT solved_by_school AND first_contact_resolution)::int AS first_contact,
                   CASE WHEN count(*) FILTER (WHERE NOT solved_by_school) = 0 THEN NULL
                        ELSE round(100.0 * count(*) FILTER (WHERE NOT solved_by_school AND first_contact_resolution)
                                   / count(*) FILTER (WHERE NOT solved_by_school), 1) END AS rate_percent,
                   count(*) FILTER (WHERE solved_by_school)::int AS solved_by_school
            FROM tickets
            WHERE resolved_at >= {range.Start} AND resolved_at < {range.End} AND merged_into_id IS NULL
            GROUP BY 1 ORDER BY 1
            """).ToListAsync(cancellationToken);
        return TypedResults.Ok(lines);
    }

    /// <summary>A range of whole months in Berlin time, YYYY-MM to YYYY-MM inclusive; by default the last twelve.</summary>
    private sealed record MonthRange(DateTimeOffset Start, DateTimeOffset End)
    {
        /// <summary>A new problem for each refusal: answering writes the request's trace id into it, so one shared between requests
        /// handed each caller another's trace id and, written by several at once, broke (500).</summary>
        public static ProblemHttpResult Problem => ApiProblems.Malformed("from and to are months as YYYY-MM, from not after to.");

        public static MonthRange? Parse(string? from, string? to)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Sla.BusinessCalendar.Berlin).DateTime);
            var last = to is null ? new DateOnly(today.Year, today.Month, 1) : ParseMonth(to);
            var first = from is null ? last?.AddMonths(-11) : ParseMonth(from);
            if (first is not { } start || last is not { } end || start > end)
            {
                return null;
            }

            return new MonthRange(Instant(start), Instant(end.AddMonths(1)));
        }

        private static DateOnly? ParseMonth(string text) =>
            DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", out var day) ? day : null;

        private static DateTimeOffset Instant(DateOnly day)
        {
            var local = day.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, Sla.BusinessCalendar.Berlin.GetUtcOffset(local)).ToUniversalTime();
        }
    }
}
