using Mep.Support.Tickets;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Sla;

public static class SlaEndpoints
{
    public static RouteGroupBuilder MapSlaEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/sla/policies", ListPolicies).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(ListPolicies)).WithSummary("SLA targets per priority and clock (total, level1..level3), in business minutes.");
        group.MapPut("/sla/policies/{priority}/{clock}", SetPolicy).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(SetPolicy)).WithSummary("Set the targets of one priority on one clock; tickets follow at their next change.");
        group.MapGet("/sla/calendars", ListCalendars).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(ListCalendars)).WithSummary("Business-hours calendars (Europe/Berlin).");
        group.MapPut("/sla/calendars/{code}/opening-hours", SetOpeningHours).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(SetOpeningHours)).WithSummary("Replace a calendar's opening hours per weekday.");
        group.MapGet("/sla/public-holidays/{year:int}", PublicHolidays).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(PublicHolidays)).WithSummary("Lower Saxony's statutory public holidays of a year, computed (Easter-dependent ones included).");
        group.MapGet("/sla/school-holidays", ListSchoolHolidays).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(ListSchoolHolidays)).WithSummary("Lower Saxony school holiday periods as configured.");
        group.MapPost("/sla/school-holidays", AddSchoolHoliday).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(AddSchoolHoliday)).WithSummary("Add a school holiday period (both days inclusive).");
        group.MapDelete("/sla/school-holidays/{id:long}", RemoveSchoolHoliday).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(RemoveSchoolHoliday)).WithSummary("Remove a school holiday period.");
        group.MapGet("/notifications", ListNotifications).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(ListNotifications)).WithSummary("SLA warnings and breaches told to a group, newest first (?group=service-desk).");
        return group;
    }

    public static async Task<Ok<List<SlaPolicyResponse>>> ListPolicies(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.SlaPolicies.AsNoTracking().OrderBy(p => p.Priority).ThenBy(p => p.Clock).ToListAsync(cancellationToken))
            .ConvertAll(SlaPolicyResponse.From));

    public static async Task<Results<Ok<SlaPolicyResponse>, ValidationProblem, ProblemHttpResult>> SetPolicy(
        [MaxLength(SlaClocks.MaxName)] string priority, [MaxLength(SlaClocks.MaxName)] string clock, PolicyRequest request,
        SupportDbContext db, ReferenceData reference, CancellationToken cancellationToken)
    {
        if (!EnumText.TryParseName<TicketPriority>(priority, out var parsedPriority) || !SlaClocks.All.Contains(clock))
        {
            return ApiProblems.NotFound("policy (priority P1..P4, clock total or level1..level3)");
        }

        if (!await db.SlaCalendars.AnyAsync(c => c.Code == request.Calendar, cancellationToken))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["calendar"] = ["No calendar with this code."] });
        }

        var policy = await db.SlaPolicies.AsTracking().SingleOrDefaultAsync(p => p.Priority == parsedPriority && p.Clock == clock, cancellationToken);
        if (policy is null)
        {
            policy = new SlaPolicy { Priority = parsedPriority, Clock = clock };
            db.SlaPolicies.Add(policy);
        }

        (policy.FirstResponseMinutes, policy.ResolutionMinutes, policy.RunsInSchoolHolidays, policy.AutoEscalate, policy.CalendarCode) =
            (request.FirstResponseMinutes, request.ResolutionMinutes!.Value, request.RunsInSchoolHolidays!.Value, request.AutoEscalate ?? false,
                request.Calendar!);
        await db.SaveChangesAsync(cancellationToken);
        reference.Changed();
        return TypedResults.Ok(SlaPolicyResponse.From(policy));
    }

    public static async Task<Ok<List<CalendarResponse>>> ListCalendars(SupportDbContext db, CancellationToken cancellationToken)
    {
        var calendars = await db.SlaCalendars.AsNoTracking().Include(c => c.OpeningHours).OrderBy(c => c.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(calendars.ConvertAll(c => new CalendarResponse(c.Code, c.Name,
            [.. c.OpeningHours.OrderBy(h => ((int)h.DayOfWeek + 6) % 7).ThenBy(h => h.Opens).Select(h => new OpeningHoursResponse(h.DayOfWeek, h.Opens, h.Closes))])));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetOpeningHours(
        [MaxLength(TicketFields.MaxCode)] string code, CalendarHoursRequest request,
        SupportDbContext db, ReferenceData reference, CancellationToken cancellationToken)
    {
        var calendar = await db.SlaCalendars.AsTracking().Include(c => c.OpeningHours).SingleOrDefaultAsync(c => c.Code == code, cancellationToken);
        if (calendar is null)
        {
            return ApiProblems.NotFound("calendar");
        }

        var hours = request.OpeningHours!.OfType<OpeningHoursRequest>()
            .Select(h => new OpeningHours(Enum.Parse<DayOfWeek>(h.Day!, ignoreCase: true), h.Opens!.Value, h.Closes!.Value)).ToList();
        try
        {
            _ = new BusinessCalendar(hours, [], BusinessCalendar.Berlin);
        }
        catch (ArgumentException invalid)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["openingHours"] = [invalid.Message] });
        }

        calendar.OpeningHours.Clear();
        calendar.OpeningHours.AddRange(hours.Select(h => new SlaOpeningHours { CalendarCode = code, DayOfWeek = h.Day, Opens = h.Opens, Closes = h.Closes }));
        await db.SaveChangesAsync(cancellationToken);
        reference.Changed();
        return TypedResults.NoContent();
    }

    public static Ok<IReadOnlyList<PublicHoliday>> PublicHolidays([Range(1990, 2200)] int year) =>
        TypedResults.Ok(LowerSaxonyHolidays.For(year));

    public static async Task<Ok<List<SchoolHolidayResponse>>> ListSchoolHolidays(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.SchoolHolidays.AsNoTracking().OrderBy(h => h.FirstDay).ToListAsync(cancellationToken)).ConvertAll(SchoolHolidayResponse.From));

    public static async Task<Created<SchoolHolidayResponse>> AddSchoolHoliday(SchoolHolidayRequest request, SupportDbContext db, ReferenceData reference,
        CancellationToken cancellationToken)
    {
        var holiday = SchoolHoliday.Create(request.Name!.Trim(), request.FirstDay!.Value, request.LastDay!.Value);
        db.SchoolHolidays.Add(holiday);
        await db.SaveChangesAsync(cancellationToken);
        reference.Changed();
        return TypedResults.Created($"{SupportService.PathPrefix}/sla/school-holidays", SchoolHolidayResponse.From(holiday));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveSchoolHoliday(long id, SupportDbContext db, ReferenceData reference,
        CancellationToken cancellationToken)
    {
        if (await db.SchoolHolidays.Where(h => h.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return ApiProblems.NotFound("school holiday");
        }

        reference.Changed();
        return TypedResults.NoContent();
    }

    /// <summary>The latest <see cref="MaxNotifications"/>.</summary>
    public const int MaxNotifications = 500;

    public static async Task<Ok<List<NotificationResponse>>> ListNotifications([MaxLength(TicketFields.MaxCode)] string? group, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        var notifications = db.Notifications.AsNoTracking();
        if (group is not null)
        {
            notifications = notifications.Where(n => n.GroupCode == group);
        }

        return TypedResults.Ok(await notifications.OrderByDescending(n => n.Id).Take(MaxNotifications)
            .Select(n => new NotificationResponse(n.Id, n.TicketId, n.GroupCode, n.Kind, n.Clock, n.Target, n.Message, n.CreatedAt))
            .ToListAsync(cancellationToken));
    }
}
