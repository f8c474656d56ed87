using System.Security.Claims;
using Mep.Funding.Applications;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Funding.Spending;

public static class ExpenditureEndpoints
{
    public static RouteGroupBuilder MapExpenditureEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/applications/{id:guid}/expenditures", RecordExpenditure).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(RecordExpenditure)).Produces<ExpenditureResponse>(StatusCodes.Status201Created)
            .WithSummary("Record an invoice against an application, with the school's devices and rollout items it paid for. Idempotency-Key supported.");
        group.MapGet("/applications/{id:guid}/expenditures", ApplicationExpenditures).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(ApplicationExpenditures)).WithSummary("The invoices of one application, by invoice date.");
        group.MapGet("/expenditures", ListExpenditures).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(ListExpenditures)).WithSummary("Invoices, newest invoice date first, by school, paged; a school key sees its own.");
        return group;
    }

    public static async Task<IResult> RecordExpenditure(Guid id, ExpenditureRequest request, HttpRequest http, ClaimsPrincipal user,
        FundingDbContext db, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        return await IdempotentWrite.RunAsync(db, http, user, request, clock, json.Value.SerializerOptions, async now =>
        {
            if (await ApplicationStore.LockAsync(db, id, cancellationToken) is not { } application)
            {
                return WriteOutcome.Refused(ApiProblems.NotFound("application"));
            }

            var programme = (await ProgrammeCatalog.FindAsync(db, application.ProgrammeCode, cancellationToken))!;
            var history = await InvoiceHistoryAsync(db, application, request, cancellationToken);
            var expenditure = StageExpenditure(db, application, programme, request, history, user.Actor(), now);
            var school = await KnownSchools.OfAsync(db, expenditure.SchoolId, cancellationToken);
            return WriteOutcome.Created(ExpenditureResponse.From(expenditure, school),
                $"{FundingService.PathPrefix}/applications/{application.Id}/expenditures");
        }, cancellationToken);
    }

    /// <summary>
    /// Records an invoice, judged by the invoice rules (<see cref="Expenditure.Record"/>), with its audit row; the caller holds the
    /// application's row lock.
    /// </summary>
    internal static Expenditure StageExpenditure(FundingDbContext db, FundingApplication application, Programme programme, ExpenditureRequest request,
        InvoiceHistory history, string actor, DateTimeOffset now)
    {
        var expenditure = Expenditure.Record(application, programme, request, history, actor, now);
        db.Add(expenditure);
        db.Audit("expenditure", expenditure.Id.ToString(), expenditure.SchoolId, "recorded", actor, now, new
        {
            applicationId = application.Id, expenditure.Vendor, expenditure.InvoiceNumber, expenditure.InvoiceDate, expenditure.Amount,
            expenditure.Category, expenditure.DeviceIds, expenditure.RolloutItemIds,
        });
        return expenditure;
    }

    /// <summary>What Funding already knows of the invoice: whether it was recorded before, and which of its devices are the application's school's.</summary>
    internal static async Task<InvoiceHistory> InvoiceHistoryAsync(FundingDbContext db, FundingApplication application, ExpenditureRequest request,
        CancellationToken cancellationToken)
    {
        var (vendor, number) = (request.Vendor!.Trim(), request.InvoiceNumber!.Trim());
        var recorded = await db.Set<Expenditure>().AnyAsync(e => e.Vendor == vendor && e.InvoiceNumber == number, cancellationToken);
        var deviceIds = (request.DeviceIds ?? []).Distinct().ToArray();
        var schoolId = application.SchoolId;
        var ofSchool = deviceIds.Length == 0
            ? []
            : await db.KnownDevices.Where(d => deviceIds.Contains(d.DeviceId) && d.SchoolId == schoolId).Select(d => d.DeviceId)
                .ToHashSetAsync(cancellationToken);
        return new InvoiceHistory(recorded, ofSchool);
    }

    public static async Task<Results<Ok<List<ExpenditureResponse>>, ProblemHttpResult>> ApplicationExpenditures(Guid id, ClaimsPrincipal user,
        FundingDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.VisibleApplications(user).AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("application");
        }

        var invoices = db.Set<Expenditure>().Where(e => e.ApplicationId == id).OrderBy(e => e.InvoiceDate).ThenBy(e => e.Id);
        var expenditures = await WithSchools(db, invoices).ToListAsync(cancellationToken);
        return TypedResults.Ok(expenditures);
    }

    public static async Task<Results<Ok<Page<ExpenditureResponse>>, ProblemHttpResult>> ListExpenditures([AsParameters] ExpenditureListQuery query,
        ClaimsPrincipal user, FundingDbContext db, ISchoolNumbers numbers, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        // The selection confines a school key to its own school already (SelectAsync answers its own when it names none).
        var expenditures = school.Apply(db.Set<Expenditure>(), e => e.SchoolId);
        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await expenditures.CountAsync(cancellationToken);
        var items = await WithSchools(db, expenditures.OrderByDescending(e => e.InvoiceDate).ThenByDescending(e => e.Id).Page(skip, take))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ExpenditureResponse>(items, page, pageSize, total));
    }

    /// <summary>Invoices in their order, each with its school's number and name joined from the directory.</summary>
    private static IQueryable<ExpenditureResponse> WithSchools(FundingDbContext db, IQueryable<Expenditure> expenditures) =>
        expenditures.LeftJoin(db.KnownSchools, e => e.SchoolId, s => s.SchoolId, (e, s) => ExpenditureResponse.From(e, s));
}
