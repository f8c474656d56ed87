using Mep.Contracts;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Validation;
using Mep.Support.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Sla;

public sealed record PolicyRequest(int? FirstResponseMinutes, int? ResolutionMinutes, bool? RunsInSchoolHolidays, bool? AutoEscalate, string? Calendar)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.Range("firstResponseMinutes", FirstResponseMinutes, 1, 100_000);
        if (errors.Required("resolutionMinutes", ResolutionMinutes))
        {
            errors.Range("resolutionMinutes", ResolutionMinutes, 1, 1_000_000);
        }

        errors.Required("runsInSchoolHolidays", RunsInSchoolHolidays);
        errors.Text("calendar", Calendar, 50);
    }
}

public sealed record OpeningHoursRequest(string? Day, TimeOnly? Opens, TimeOnly? Closes);

public sealed record CalendarHoursRequest(IReadOnlyList<OpeningHoursRequest>? OpeningHours) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (OpeningHours is null)
        {
            errors.Add("openingHours", "Required (an empty list closes the calendar).");
            return;
        }

        for (var i = 0; i < OpeningHours.Count; i++)
        {
            var hours = OpeningHours[i];
            if (hours is null || !Enum.TryParse<DayOfWeek>(hours.Day, ignoreCase: true, out _) || hours.Opens is null || hours.Closes is null
                || hours.Opens >= hours.Closes)
            {
                errors.Add($"openingHours[{i}]", "A day (monday..sunday) with opens before closes, e.g. 07:30 and 16:00.");
            }
        }
    }
}

public sealed record SchoolHolidayRequest(string? Name, DateOnly? FirstDay, DateOnly? LastDay) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        errors.Text("name", Name, 100);
        if (errors.Required("firstDay", FirstDay) & errors.Required("lastDay", LastDay) && FirstDay > LastDay)
        {
            errors.Add("lastDay", "The last day is on or after the first day.");
        }
    }
}

public sealed record CalendarResponse(string Code, string Name, IReadOnlyList<OpeningHoursResponse> OpeningHours);

public sealed record OpeningHoursResponse(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

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

    public static async Task<Ok<List<SlaPolicy>>> ListPolicies(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.SlaPolicies.AsNoTracking().OrderBy(p => p.Priority).ThenBy(p => p.Clock).ToListAsync(cancellationToken));

    public static async Task<Results<Ok<SlaPolicy>, ValidationProblem, ProblemHttpResult>> SetPolicy(string priority, string clock, PolicyRequest request,
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
        return TypedResults.Ok(policy);
    }

    public static async Task<Ok<List<CalendarResponse>>> ListCalendars(SupportDbContext db, CancellationToken cancellationToken)
    {
        var calendars = await db.SlaCalendars.AsNoTracking().Include(c => c.OpeningHours).OrderBy(c => c.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(calendars.ConvertAll(c => new CalendarResponse(c.Code, c.Name,
            [.. c.OpeningHours.OrderBy(h => ((int)h.DayOfWeek + 6) % 7).ThenBy(h => h.Opens).Select(h => new OpeningHoursResponse(h.DayOfWeek, h.Opens, h.Closes))])));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetOpeningHours(string code, CalendarHoursRequest request,
        SupportDbContext db, ReferenceData reference, CancellationToken cancellationToken)
    {
        var calendar = await db.SlaCalendars.AsTracking().Include(c => c.OpeningHours).SingleOrDefaultAsync(c => c.Code == code, cancellationToken);
        if (calendar is null)
        {
            return ApiProblems.NotFound("calendar");
        }

        var hours = request.OpeningHours!.Select(h => new OpeningHours(Enum.Parse<DayOfWeek>(h.Day!, ignoreCase: true), h.Opens!.Value, h.Closes!.Value)).ToList();
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

    public static Results<Ok<IReadOnlyList<PublicHoliday>>, ProblemHttpResult> PublicHolidays(int year)
    {
        if (year is < 1990 or > 2200)
        {
            return ApiProblems.Malformed("A year from 1990 to 2200.");
        }

        return TypedResults.Ok(LowerSaxonyHolidays.For(year));
    }

    public static async Task<Ok<List<SchoolHoliday>>> ListSchoolHolidays(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.SchoolHolidays.AsNoTracking().OrderBy(h => h.FirstDay).ToListAsync(cancellationToken));

    public static async Task<Created<SchoolHoliday>> AddSchoolHoliday(SchoolHolidayRequest request, SupportDbContext db, ReferenceData reference,
        CancellationToken cancellationToken)
    {
        var holiday = SchoolHoliday.Create(request.Name!.Trim(), request.FirstDay!.Value, request.LastDay!.Value);
        db.SchoolHolidays.Add(holiday);
        await db.SaveChangesAsync(cancellationToken);
        reference.Changed();
        return TypedResults.Created($"{SupportService.PathPrefix}/sla/school-holidays", holiday);
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

    public static async Task<Ok<List<Notification>>> ListNotifications(string? group, SupportDbContext db, CancellationToken cancellationToken)
    {
        var notifications = db.Notifications.AsNoTracking();
        if (group is not null)
        {
            notifications = notifications.Where(n => n.GroupCode == group);
        }

        return TypedResults.Ok(await notifications.OrderByDescending(n => n.Id).Take(500).ToListAsync(cancellationToken));
    }
}
