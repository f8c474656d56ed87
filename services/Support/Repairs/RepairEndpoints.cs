using System.Globalization;
using System.Security.Claims;
using Mep.Contracts;
using Mep.Contracts.Support;
using Mep.Exports;
using Mep.Messaging;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Support.Contractor;
using Mep.Support.Data;
using Mep.Support.Tickets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mep.Jobs;

namespace Mep.Support.Repairs;

public static class RepairEndpoints
{
    /// <summary>Who pays is the city's decision: the service desk and admins override it, never a vendor (who would be paid).</summary>
    private static readonly AuthorizationPolicy OverridePayers =
        new AuthorizationPolicyBuilder().RequireRole(PlatformRoles.Agent, PlatformRoles.Admin).Build();

    public static RouteGroupBuilder MapRepairEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/tickets/{id:guid}/repair", OpenRepair).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(OpenRepair))
            .WithSummary("Open a repair case for the ticket's device (or the school's device named): diagnosis, and the payer the rules decide "
                + "(parents' contract, device or model warranty, seller's liability, the school's system-support budget, else the city) with its reason.");
        group.MapGet("/repairs", ListRepairs).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(ListRepairs)).WithSummary("Repair cases, newest opened first: a school sees its own, a vendor those of its groups' tickets.");
        group.MapGet("/repairs/{id:guid}", GetRepair).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(GetRepair)).WithSummary("One repair case with its payer's reason, replacement and costs; its ETag guards the next change.");
        group.MapPost("/repairs/{id:guid}/sent", SendRepair).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(SendRepair))
            .WithSummary("The device went to the vendor or contractor (once): tells Assets (DeviceSentForRepair), which lends a replacement where "
                + "the device has a personal user.");
        group.MapPost("/repairs/{id:guid}/back", RepairBack).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(RepairBack)).WithSummary("The device came back from the vendor or contractor (not before it was sent).");
        group.MapPost("/repairs/{id:guid}/close", CloseRepair).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(CloseRepair))
            .WithSummary("Close the case: repaired (once back; the device is in service again) or written off (retired). Final; tells Assets (RepairCaseClosed).");
        group.MapPost("/repairs/{id:guid}/payer", OverridePayer).RequireAuthorization(OverridePayers)
            .WithName(nameof(OverridePayer)).WithSummary("Set another payer than the rules decided, with the reason (kept on the case and in the ticket's history).");
        group.MapPost("/repairs/{id:guid}/costs", RecordCost).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(RecordCost)).Produces<RepairCostLine>(StatusCodes.Status201Created)
            .WithSummary("Record an amount against the case's payer (tells Funding: RepairCostRecorded). The school's budget is charged through the "
                + "contractor's hours booked on the ticket instead. Idempotency-Key supported.");
        group.MapGet("/repair-terms", GetRepairTerms).RequireAuthorization(SupportAccess.Staff)
            .WithName(nameof(GetRepairTerms)).WithSummary("The terms the payer rules read: the seller's statutory liability in months, manufacturers' warranties per model.");
        group.MapPut("/repair-terms", SetRepairTerms).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(SetRepairTerms)).WithSummary("Replace the repair terms: the statutory liability's months and the whole table of model warranties.");
        group.MapGet("/repairs/reports/summary", RepairsReport).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(RepairsReport))
            .WithSummary("Repairs of a period per school, model, vendor and payer: cases, outcomes, days out of service, costs and what the city pays; "
                + "costs per payer.");
        group.MapExport("/repairs/reports/summary.{format}", RepairsReportFile, nameof(RepairsReport),
                "The repair report's rows (per school, model, vendor and payer).")
            .RequireAuthorization(SupportAccess.ReadTickets);
        return group;
    }

    public static async Task<Results<Created<RepairCaseResponse>, ProblemHttpResult>> OpenRepair(Guid id, OpenRepairRequest request, ClaimsPrincipal user,
        SupportDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var ticket = await db.VisibleTickets(user).AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return ApiProblems.NotFound("ticket");
        }

        if ((request.DeviceId ?? ticket.DeviceId) is not { } deviceId)
        {
            return ApiProblems.DomainRule("repair-device-missing", "The ticket names no device; name the broken device (deviceId).", ["deviceId"]);
        }

        // Another school's device answers as one nobody has: a write never tells a school what others own.
        var device = await db.KnownDevices.AsNoTracking().SingleOrDefaultAsync(d => d.DeviceId == deviceId && d.SchoolId == ticket.SchoolId, cancellationToken);
        if (device is null)
        {
            return ApiProblems.DomainRule("device-unknown", "The ticket's school has no device with this id.", ["deviceId"]);
        }

        var now = clock.GetUtcNow();
        var today = BerlinDay.Of(now);
        var openedOn = request.OpenedOn ?? today;
        var terms = await db.Set<RepairTerms>().AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? RepairTerms.Default();
        var warranties = await db.Set<ModelWarranty>().AsNoTracking().ToListAsync(cancellationToken);
        var budget = await ContractorEndpoints.StatusAsync(db, ticket.SchoolId, openedOn.Year, cancellationToken);
        var payer = RepairPayerRules.Decide(new RepairDeviceFacts(device.Kind, device.Ownership, device.ContractProvider, device.Manufacturer, device.Model,
            device.WarrantyEnd, device.PurchaseDate), terms.StatutoryLiabilityMonths, warranties, openedOn, budget.Remaining);
        var cases = db.Set<RepairCase>().AsNoTracking();
        var yearBefore = openedOn.AddYears(-1);
        var earlier = await cases.CountAsync(c => c.DeviceId == device.DeviceId && c.OpenedOn > yearBefore && c.OpenedOn <= openedOn, cancellationToken);
        var ticketHasCase = await cases.AnyAsync(c => c.TicketId == ticket.Id, cancellationToken);
        var deviceInRepair = await cases.AnyAsync(c => c.DeviceId == device.DeviceId && c.ClosedOn == null, cancellationToken);
        var repair = RepairCase.Open(ticket, device, request.Diagnosis!, openedOn, today, payer, earlier, ticketHasCase, deviceInRepair, user.Actor(), now);

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Add(repair);
            db.TicketHistory.Add(new TicketHistoryEntry(ticket.Id, now, user.Actor(), "repairOpened", "payer", null, EnumText.CamelName(repair.Payer),
                repair.PayerReason));
            await RepairCostLines.AddEarlierBookingEventsAsync(db, repair, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        ETags.Set(response, repair.Version);
        return TypedResults.Created($"{SupportService.PathPrefix}/repairs/{repair.Id}", await ResponseAsync(db, repair, cancellationToken));
    }

    public static async Task<Results<Ok<Page<RepairCaseResponse>>, ProblemHttpResult>> ListRepairs([AsParameters] RepairListQuery query, ClaimsPrincipal user,
        SupportDbContext db, ISchoolNumbers schoolNumbers, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(schoolNumbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        var cases = school.Apply(db.VisibleRepairs(user), r => r.SchoolId);
        if (query.DeviceId is { } deviceId)
        {
            cases = cases.Where(r => r.DeviceId == deviceId);
        }

        if (EnumText.TryParseName<RepairStatus>(query.Status, out var status))
        {
            cases = cases.Where(r => r.Status == status);
        }

        if (EnumText.TryParseName<RepairPayer>(query.Payer, out var payer))
        {
            cases = cases.Where(r => r.Payer == payer);
        }

        if (query.RepeatRepair is { } repeat)
        {
            cases = cases.Where(r => r.RepeatRepair == repeat);
        }

        if (query.OpenedFrom is { } from)
        {
            cases = cases.Where(r => r.OpenedOn >= from);
        }

        if (query.OpenedTo is { } to)
        {
            cases = cases.Where(r => r.OpenedOn <= to);
        }

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await cases.CountAsync(cancellationToken);
        var items = await cases.OrderByDescending(r => r.OpenedOn).ThenByDescending(r => r.Id).Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<RepairCaseResponse>(await ResponsesAsync(db, items, cancellationToken), page, pageSize, total));
    }

    public static async Task<Results<Ok<RepairCaseResponse>, ProblemHttpResult>> GetRepair(Guid id, ClaimsPrincipal user, SupportDbContext db,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (await db.VisibleRepairs(user).SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } repair)
        {
            return ApiProblems.NotFound("repair case");
        }

        ETags.Set(response, repair.Version);
        return TypedResults.Ok(await ResponseAsync(db, repair, cancellationToken));
    }

    public static Task<Results<Ok<RepairCaseResponse>, ProblemHttpResult>> SendRepair(Guid id, SendRepairRequest request, ClaimsPrincipal user,
        SupportDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, db, clock, http, (repair, today, now) =>
        {
            db.AddIntegrationEvent(repair.SendTo(request.SentTo!, request.SentOn!.Value, today, now), repair.Id.ToString(), now);
            return new Change("repairSent", "sentTo", null, repair.SentTo, $"sent on {repair.SentOn:yyyy-MM-dd}");
        }, cancellationToken);

    public static Task<Results<Ok<RepairCaseResponse>, ProblemHttpResult>> RepairBack(Guid id, RepairBackRequest request, ClaimsPrincipal user,
        SupportDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, db, clock, http, (repair, today, _) =>
        {
            repair.ComeBack(request.BackOn!.Value, today);
            return new Change("repairBack", "backOn", null, $"{repair.BackOn:yyyy-MM-dd}", null);
        }, cancellationToken);

    public static Task<Results<Ok<RepairCaseResponse>, ProblemHttpResult>> CloseRepair(Guid id, CloseRepairRequest request, ClaimsPrincipal user,
        SupportDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, db, clock, http, (repair, today, now) =>
        {
            db.AddIntegrationEvent(repair.Close(EnumText.ParseName<RepairOutcome>(request.Outcome!), request.ClosedOn!.Value, today, now),
                repair.Id.ToString(), now);
            return new Change("repairClosed", "outcome", null, EnumText.CamelName(repair.Outcome!.Value), $"closed on {repair.ClosedOn:yyyy-MM-dd}");
        }, cancellationToken);

    public static Task<Results<Ok<RepairCaseResponse>, ProblemHttpResult>> OverridePayer(Guid id, RepairPayerRequest request, ClaimsPrincipal user,
        SupportDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, db, clock, http, (repair, _, now) =>
        {
            var before = repair.Payer;
            repair.OverridePayer(EnumText.ParseName<RepairPayer>(request.Payer!), request.Reason!, user.Actor(), now);
            return new Change("repairPayer", "payer", EnumText.CamelName(before), EnumText.CamelName(repair.Payer), repair.PayerOverrideReason);
        }, cancellationToken);

    public static Task<IResult> RecordCost(Guid id, RepairCostRequest request, HttpRequest http, ClaimsPrincipal user, SupportDbContext db,
        TimeProvider clock, IOptions<JsonOptions> json, CancellationToken cancellationToken) =>
        // A cost is what a client retries after a lost answer: the key keeps a retry from booking it twice.
        IdempotentWrite.RunAsync(db, http, user, request, clock, json.Value.SerializerOptions, async now =>
        {
            if (await db.VisibleRepairs(user).SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } repair)
            {
                return WriteOutcome.Refused(ApiProblems.NotFound("repair case"));
            }

            var cost = repair.RecordCost(request.Amount!.Value, request.Description!, request.IncurredOn!.Value, BerlinDay.Of(now), user.Actor(), now);
            var line = new RepairCostLine(cost.Id, repair.Id, RepairCostKind.Amount, cost.Payer, cost.Amount, null, cost.Description, cost.IncurredOn);
            db.Add(cost);
            db.TicketHistory.Add(new TicketHistoryEntry(repair.TicketId, now, user.Actor(), "repairCost", EnumText.CamelName(cost.Payer), null,
                string.Create(CultureInfo.InvariantCulture, $"{cost.Amount:0.00} EUR"), cost.Description));
            db.AddIntegrationEvent(RepairCostLines.Recorded(repair, line, now), repair.Id.ToString(), now);
            return WriteOutcome.Created(line, $"{SupportService.PathPrefix}/repairs/{repair.Id}");
        }, cancellationToken);

    public static async Task<Ok<RepairTermsResponse>> GetRepairTerms(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(RepairTermsResponse.From(await db.Set<RepairTerms>().AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? RepairTerms.Default(),
            await db.Set<ModelWarranty>().AsNoTracking().ToListAsync(cancellationToken)));

    public static async Task<Ok<RepairTermsResponse>> SetRepairTerms(RepairTermsRequest request, ClaimsPrincipal user, SupportDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var terms = await db.Set<RepairTerms>().AsTracking().SingleOrDefaultAsync(cancellationToken);
            if (terms is null)
            {
                terms = RepairTerms.Default();
                db.Add(terms);
            }

            var warranties = RepairTerms.Set(terms, request.StatutoryLiabilityMonths,
                [.. request.ModelWarranties.Select(w => (w.Manufacturer, w.Model, w.WarrantyMonths))], user.Actor(), clock.GetUtcNow());
            await db.Set<ModelWarranty>().ExecuteDeleteAsync(cancellationToken);
            db.AddRange(warranties);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.Ok(RepairTermsResponse.From(terms, warranties));
        });
    }

    public static async Task<Results<Ok<RepairReport>, ProblemHttpResult>> RepairsReport([AsParameters] RepairReportQuery query, ClaimsPrincipal user,
        SupportDbContext db, ISchoolNumbers schoolNumbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, refusal) = await ReportAsync(query, user, db, schoolNumbers, clock, cancellationToken);
        return report is null ? refusal! : TypedResults.Ok(report);
    }

    public static async Task<Results<ExportDocument, ProblemHttpResult>> RepairsReportFile([AsParameters] RepairReportQuery query, ClaimsPrincipal user,
        SupportDbContext db, ISchoolNumbers schoolNumbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, refusal) = await ReportAsync(query, user, db, schoolNumbers, clock, cancellationToken);
        if (report is null)
        {
            return refusal!;
        }

        var number = report.SchoolId is { } schoolId ? (await KnownSchools.OfAsync(db, schoolId, cancellationToken))?.Number : null;
        return RepairReportExport.Of(report, number);
    }

    /// <summary>The repair cases the caller may see: a school its own, a vendor those of its groups' tickets, staff all.</summary>
    internal static IQueryable<RepairCase> VisibleRepairs(this SupportDbContext db, ClaimsPrincipal user)
    {
        var cases = db.Set<RepairCase>().AsNoTracking();
        if (user.SchoolScope() is { } school)
        {
            return cases.OfSchool(school, r => r.SchoolId);
        }

        if (user.IsVendorOnly())
        {
            var tickets = db.VisibleTickets(user).Select(t => t.Id);
            return cases.Where(r => tickets.Contains(r.TicketId));
        }

        return cases;
    }

    private static async Task<(RepairReport? Report, ProblemHttpResult? Refusal)> ReportAsync(RepairReportQuery query, ClaimsPrincipal user,
        SupportDbContext db, ISchoolNumbers schoolNumbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(schoolNumbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (!school.One(out var schoolId, out var refusal))
        {
            return (null, refusal);
        }

        var today = BerlinDay.Of(clock.GetUtcNow());
        var (from, to) = (query.From ?? new DateOnly(today.Year, 1, 1), query.To ?? today);
        var cases = await school.Apply(db.VisibleRepairs(user), r => r.SchoolId).Where(r => r.OpenedOn >= from && r.OpenedOn <= to)
            .ToListAsync(cancellationToken);
        var costs = await RepairCostLines.OfAsync(db, cases, cancellationToken);
        var schoolIds = cases.Select(c => c.SchoolId).Distinct().ToList();
        var schools = await db.KnownSchools.AsNoTracking().Where(s => schoolIds.Contains(s.SchoolId)).ToDictionaryAsync(s => s.SchoolId, cancellationToken);
        return (RepairReport.Of(from, to, schoolId, cases, costs, schools), null);
    }

    /// <summary>A line of the ticket's history that a change of its repair case writes.</summary>
    private sealed record Change(string Name, string Field, string? From, string? To, string? Note);

    /// <summary>
    /// Loads the case for a change (404, 412 on a stale If-Match), applies it, and saves the case, the ticket's history line and the
    /// event the change wrote to the outbox (if any) with one SaveChanges, so all or none of them are stored.
    /// </summary>
    private static async Task<Results<Ok<RepairCaseResponse>, ProblemHttpResult>> ChangeAsync(Guid id, ClaimsPrincipal user, SupportDbContext db,
        TimeProvider clock, HttpContext http, Func<RepairCase, DateOnly, DateTimeOffset, Change> change,
        CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(db.VisibleRepairs(user).AsTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken),
            "repair case", http.Request, r => r.Version);
        if (found.Refusal is { } refusal)
        {
            return refusal;
        }

        var repair = found.Row!;
        var now = clock.GetUtcNow();
        var history = change(repair, BerlinDay.Of(now), now);
        db.TicketHistory.Add(new TicketHistoryEntry(repair.TicketId, now, user.Actor(), history.Name, history.Field, history.From, history.To, history.Note));
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, repair.Version);
        return TypedResults.Ok(await ResponseAsync(db, repair, cancellationToken));
    }

    private static async Task<RepairCaseResponse> ResponseAsync(SupportDbContext db, RepairCase repair, CancellationToken cancellationToken) =>
        (await ResponsesAsync(db, [repair], cancellationToken))[0];

    private static async Task<List<RepairCaseResponse>> ResponsesAsync(SupportDbContext db, IReadOnlyList<RepairCase> cases,
        CancellationToken cancellationToken)
    {
        var costs = await RepairCostLines.OfAsync(db, cases, cancellationToken);
        var schoolIds = cases.Select(c => c.SchoolId).Distinct().ToList();
        var schools = await db.KnownSchools.AsNoTracking().Where(s => schoolIds.Contains(s.SchoolId)).ToDictionaryAsync(s => s.SchoolId, cancellationToken);
        var deviceIds = cases.Select(c => c.DeviceId).Distinct().ToList();
        var serials = await db.KnownDevices.AsNoTracking().Where(d => deviceIds.Contains(d.DeviceId))
            .ToDictionaryAsync(d => d.DeviceId, d => d.SerialNumber, cancellationToken);
        return cases.Select(c => RepairCaseResponse.From(c, schools.GetValueOrDefault(c.SchoolId), serials.GetValueOrDefault(c.DeviceId), costs[c.Id]))
            .ToList();
    }
}
