using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Funding.Applications;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Funding.Spending;

public sealed record ExpenditureRequest(
    [Required, MaxLength(ExpenditureRequest.MaxVendor)] string? Vendor,
    [Required, MaxLength(ExpenditureRequest.MaxInvoiceNumber)] string? InvoiceNumber,
    [Required] DateOnly? InvoiceDate,
    [Required, Money(ApplicationLimits.MaxAmount, Positive = true)] decimal? Amount,
    [Required] SpendingCategory? Category,
    [MaxLength(ExpenditureRequest.MaxLinks, ErrorMessage = "At most 2000 ids.")] IReadOnlyList<Guid>? DeviceIds,
    [MaxLength(ExpenditureRequest.MaxLinks, ErrorMessage = "At most 2000 ids.")] IReadOnlyList<Guid>? RolloutItemIds) : IValidatableRequest
{
    /// <summary>An invoice for a class set of tablets lists a few hundred devices; thousands are a mistake, not an invoice.</summary>
    public const int MaxLinks = 2_000;

    public const int MaxVendor = 200;
    public const int MaxInvoiceNumber = 100;

    public void Validate(ValidationErrors errors)
    {
        NoEmptyId(errors, "deviceIds", DeviceIds);
        NoEmptyId(errors, "rolloutItemIds", RolloutItemIds);
    }

    private static void NoEmptyId(ValidationErrors errors, string field, IReadOnlyList<Guid>? ids)
    {
        if (ids is not null && ids.Contains(Guid.Empty))
        {
            errors.Add(field, "The empty id is not an id.");
        }
    }
}

public sealed record ExpenditureResponse(
    Guid Id, Guid ApplicationId, Guid SchoolId, [MaxLength(ProgrammeFields.MaxCode)] string ProgrammeCode,
    [MaxLength(ExpenditureRequest.MaxVendor)] string Vendor, [MaxLength(ExpenditureRequest.MaxInvoiceNumber)] string InvoiceNumber,
    DateOnly InvoiceDate, [Money(ApplicationLimits.MaxAmount)] decimal Amount, SpendingCategory Category,
    [MaxLength(ExpenditureRequest.MaxLinks)] IReadOnlyList<Guid> DeviceIds, [MaxLength(ExpenditureRequest.MaxLinks)] IReadOnlyList<Guid> RolloutItemIds,
    DateTimeOffset RecordedAt, [MaxLength(CallerClaims.MaxActorLength)] string RecordedBy)
{
    public static ExpenditureResponse From(Expenditure e) => new(e.Id, e.ApplicationId, e.SchoolId, e.ProgrammeCode, e.Vendor, e.InvoiceNumber,
        e.InvoiceDate, e.Amount, e.Category, e.DeviceIds, e.RolloutItemIds, e.RecordedAt, e.RecordedBy);
}

public sealed record ExpenditureListQuery(Guid? SchoolId, [PageNumber] int? Page, [PageSize] int? PageSize) : IValidatableRequest;

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

            if (await RefusalAsync(db, application, request, cancellationToken) is { } refusal)
            {
                return WriteOutcome.Refused(refusal);
            }

            var expenditure = StageExpenditure(db, application, request, user.Actor(), now);
            return WriteOutcome.Created(ExpenditureResponse.From(expenditure),
                $"{FundingService.PathPrefix}/applications/{application.Id}/expenditures");
        }, cancellationToken);
    }

    /// <summary>Records an invoice with its audit row; the caller holds the application's row lock and found no <see cref="RefusalAsync"/>.</summary>
    internal static Expenditure StageExpenditure(FundingDbContext db, FundingApplication application, ExpenditureRequest request, string actor,
        DateTimeOffset now)
    {
        var expenditure = Expenditure.Record(application, request, actor, now);
        db.Add(expenditure);
        db.Audit("expenditure", expenditure.Id.ToString(), expenditure.SchoolId, "recorded", actor, now, new
        {
            applicationId = application.Id, expenditure.Vendor, expenditure.InvoiceNumber, expenditure.InvoiceDate, expenditure.Amount,
            expenditure.Category, expenditure.DeviceIds, expenditure.RolloutItemIds,
        });
        return expenditure;
    }

    /// <summary>Why an invoice cannot be recorded against the application, or null: open application, eligible category, new invoice, own devices.</summary>
    internal static async Task<ProblemHttpResult?> RefusalAsync(FundingDbContext db, FundingApplication application, ExpenditureRequest request,
        CancellationToken cancellationToken)
    {
        if (!application.TakesInvoices)
        {
            return ApiProblems.DomainRule("expenditure-application-not-open",
                $"Invoices are recorded against submitted, approved, running or completed applications; this one is {application.Status.Name()}.");
        }

        var programme = (await ProgrammeCatalog.FindAsync(db, application.ProgrammeCode, cancellationToken))!;
        if (!programme.Rules.EligibleCategories.Contains(request.Category!.Value))
        {
            return ApiProblems.DomainRule("category-not-eligible",
                $"{programme.Name} does not fund {Contracts.EnumText.CamelName(request.Category.Value)}.");
        }

        // An invoice is spent on its measure: tablets booked on a networking measure would slip past the mobile-device cap.
        if (request.Category != application.Category)
        {
            return ApiProblems.DomainRule("expenditure-category-mismatch",
                $"This measure is for {Contracts.EnumText.CamelName(application.Category)}; an invoice for "
                + $"{Contracts.EnumText.CamelName(request.Category.Value)} belongs to a measure of that category.");
        }

        var vendor = request.Vendor!.Trim();
        var number = request.InvoiceNumber!.Trim();
        if (await db.Set<Expenditure>().AnyAsync(e => e.Vendor == vendor && e.InvoiceNumber == number, cancellationToken))
        {
            return ApiProblems.DomainRule("invoice-already-recorded", $"Invoice {number} of {vendor} is already recorded; an invoice is spent once.");
        }

        var deviceIds = (request.DeviceIds ?? []).Distinct().ToArray();
        if (deviceIds.Length > 0)
        {
            var schools = application.SchoolId;
            var known = await db.KnownDevices.Where(d => deviceIds.Contains(d.DeviceId) && d.SchoolId == schools).Select(d => d.DeviceId)
                .ToListAsync(cancellationToken);
            var foreign = deviceIds.Except(known).ToList();
            if (foreign.Count > 0)
            {
                return ApiProblems.DomainRule("devices-not-of-school",
                    $"These devices are not known as devices of the application's school: {string.Join(", ", foreign)}.",
                    new Dictionary<string, object?> { ["deviceIds"] = foreign });
            }
        }

        return null;
    }

    public static async Task<Results<Ok<List<ExpenditureResponse>>, ProblemHttpResult>> ApplicationExpenditures(Guid id, ClaimsPrincipal user,
        FundingDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.VisibleApplications(user).AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("application");
        }

        var expenditures = await db.Set<Expenditure>().Where(e => e.ApplicationId == id).OrderBy(e => e.InvoiceDate).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(expenditures.ConvertAll(ExpenditureResponse.From));
    }

    public static async Task<Ok<Page<ExpenditureResponse>>> ListExpenditures([AsParameters] ExpenditureListQuery query, ClaimsPrincipal user,
        FundingDbContext db, CancellationToken cancellationToken)
    {
        var expenditures = db.Set<Expenditure>().VisibleTo(user, e => e.SchoolId);
        if (query.SchoolId is { } school)
        {
            expenditures = expenditures.Where(e => e.SchoolId == school);
        }

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await expenditures.CountAsync(cancellationToken);
        var items = await expenditures.OrderByDescending(e => e.InvoiceDate).ThenByDescending(e => e.Id).Page(skip, take).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ExpenditureResponse>(items.ConvertAll(ExpenditureResponse.From), page, pageSize, total));
    }
}
