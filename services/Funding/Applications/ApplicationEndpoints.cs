using System.Security.Claims;
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
using Mep.Jobs;

namespace Mep.Funding.Applications;

/// <summary>Applications (funded measures): drafting, the lifecycle from submission to completion, and reading them.</summary>
public static class ApplicationEndpoints
{
    public static RouteGroupBuilder MapApplicationEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/applications", CreateApplication).RequireAuthorization(FundingAccess.Apply)
            .WithName(nameof(CreateApplication))
            .WithSummary("Draft an application: school, programme, eligible category, planned amount (net; the surcharge is added apart), measure start.");
        group.MapGet("/applications", ListApplications).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(ListApplications)).WithSummary("Applications by school, programme, status and category, paged; a school key sees its own.");
        group.MapGet("/applications/{id:guid}", GetApplication).RequireAuthorization(FundingAccess.Read)
            .WithName(nameof(GetApplication)).WithSummary("One application with its status history, drawn and remaining amounts; ETag.");
        group.MapPut("/applications/{id:guid}", ReviseApplication).RequireAuthorization(FundingAccess.Apply)
            .WithName(nameof(ReviseApplication)).WithSummary("Replace a draft's content (If-Match required).");
        group.MapPost("/applications/{id:guid}/submit", SubmitApplication).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(SubmitApplication)).Produces<ApplicationResponse>()
            .WithSummary("Submit a draft: deadline (first come first served after applicationsUntil), requirement profile, mobile-device cap.");
        group.MapPost("/applications/{id:guid}/approve", ApproveApplication).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(ApproveApplication)).Produces<ApplicationResponse>().WithSummary("Record the approval: at most the planned total, by approvalsUntil.");
        group.MapPost("/applications/{id:guid}/reject", RejectApplication).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(RejectApplication)).Produces<ApplicationResponse>().WithSummary("Record a rejection of a submitted application, with the reason.");
        group.MapPost("/applications/{id:guid}/withdraw", WithdrawApplication).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(WithdrawApplication)).Produces<ApplicationResponse>().WithSummary("Withdraw a draft, submitted or approved application before any draw.");
        group.MapPost("/applications/{id:guid}/start", StartApplication).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(StartApplication)).Produces<ApplicationResponse>().WithSummary("The approved measure is being carried out.");
        group.MapPost("/applications/{id:guid}/complete", CompleteApplication).RequireAuthorization(FundingAccess.Manage)
            .WithName(nameof(CompleteApplication)).Produces<ApplicationResponse>().WithSummary("The measure is carried out; proof of use and settlement follow.");
        return group;
    }

    public static async Task<Results<Created<ApplicationResponse>, ProblemHttpResult>> CreateApplication(CreateApplicationRequest request,
        ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var schoolId = request.SchoolId!.Value;
        if (!await db.KnownSchools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var draft = request.ToDraft();
        if (await ProgrammeCatalog.FindAsync(db, draft.ProgrammeCode, cancellationToken) is not { } programme)
        {
            return ApiProblems.NotFound("programme");
        }

        var now = clock.GetUtcNow();
        var (application, drafted) = ApplicationStore.StageDraft(db, schoolId, draft, programme, BerlinDay.Today(clock), user.Actor(), now);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(response, application.Version);
        return TypedResults.Created($"{FundingService.PathPrefix}/applications/{application.Id}",
            ApplicationResponse.From(application, await KnownSchools.OfAsync(db, application.SchoolId, cancellationToken), [drafted]));
    }

    public static async Task<Results<Ok<Page<ApplicationResponse>>, ProblemHttpResult>> ListApplications([AsParameters] ApplicationListQuery query,
        ClaimsPrincipal user, FundingDbContext db, ISchoolNumbers numbers, CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return refusal;
        }

        // The selection confines a school key to its own school already (SelectAsync answers its own when it names none).
        var applications = query.Apply(school.Apply(db.Set<FundingApplication>(), a => a.SchoolId));
        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await applications.CountAsync(cancellationToken);
        var items = await applications.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Page(skip, take)
            .LeftJoin(db.KnownSchools, a => a.SchoolId, s => s.SchoolId, (a, s) => new { Application = a, School = s })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ApplicationResponse>(
            items.ConvertAll(row => ApplicationResponse.From(row.Application, row.School, null)), page, pageSize, total));
    }

    public static async Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> GetApplication(Guid id, ClaimsPrincipal user, FundingDbContext db,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (await db.VisibleApplications(user).SingleOrDefaultAsync(a => a.Id == id, cancellationToken) is not { } application)
        {
            return ApiProblems.NotFound("application");
        }

        ETags.Set(response, application.Version);
        return TypedResults.Ok(await AnswerAsync(db, application, cancellationToken));
    }

    public static async Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> ReviseApplication(Guid id, ReviseApplicationRequest request,
        ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpRequest http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForReplacementAsync(
            db.Set<FundingApplication>().AsTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken), "application", http, a => a.Version);
        if (!found.TryGet(out var application, out var refusal))
        {
            return refusal;
        }

        var programme = (await ProgrammeCatalog.FindAsync(db, application.ProgrammeCode, cancellationToken))!;
        var draft = request.ToDraft(application.ProgrammeCode);
        var now = clock.GetUtcNow();
        application.Revise(draft, programme, now);
        db.Audit("application", id.ToString(), application.SchoolId, "revised", user.Actor(), now, new
        {
            draft.Category, draft.Title, draft.PlannedAmount, application.SurchargeAmount, draft.MeasureStart, draft.ConceptReference,
        });
        // The row version is checked again at save: a revision between reading and saving is a 412, not a silent overwrite.
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.HttpContext.Response, application.Version);
        return TypedResults.Ok(await AnswerAsync(db, application, cancellationToken));
    }

    public static Task<IResult> SubmitApplication(Guid id, ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, ApplicationStatus.Submitted, user, db, clock, http, async step =>
        {
            var facts = await ApplicationStore.SubmissionFactsAsync(db, step.Application, step.Programme, cancellationToken);
            return step.Application.Submit(step.Programme, facts, step.Today, step.Actor, step.Now);
        }, cancellationToken);

    public static Task<IResult> ApproveApplication(Guid id, ApproveApplicationRequest request, ClaimsPrincipal user, FundingDbContext db,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, ApplicationStatus.Approved, user, db, clock, http, step => Task.FromResult(
            step.Application.Approve(request.ApprovedAmount!.Value, step.Programme, step.Today, step.Actor, step.Now)), cancellationToken);

    public static Task<IResult> RejectApplication(Guid id, RejectApplicationRequest request, ClaimsPrincipal user, FundingDbContext db,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, ApplicationStatus.Rejected, user, db, clock, http, step => Task.FromResult(
            step.Application.Reject(request.Reason!.Trim(), step.Today, step.Actor, step.Now)), cancellationToken);

    public static Task<IResult> WithdrawApplication(Guid id, WithdrawApplicationRequest? request, ClaimsPrincipal user, FundingDbContext db,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, ApplicationStatus.Withdrawn, user, db, clock, http, step => Task.FromResult(
            step.Application.Withdraw(DraftFields.Optional(request?.Reason), step.Today, step.Actor, step.Now)), cancellationToken);

    public static Task<IResult> StartApplication(Guid id, ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, ApplicationStatus.InProgress, user, db, clock, http, step => Task.FromResult(
            step.Application.Start(step.Today, step.Actor, step.Now)), cancellationToken);

    public static Task<IResult> CompleteApplication(Guid id, ClaimsPrincipal user, FundingDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangeStatusAsync(id, ApplicationStatus.Completed, user, db, clock, http, step => Task.FromResult(
            step.Application.Complete(step.Today, step.Actor, step.Now)), cancellationToken);

    /// <summary>One application as the API answers it: with its school's number and name from the directory and its status history.</summary>
    internal static async Task<ApplicationResponse> AnswerAsync(FundingDbContext db, FundingApplication application,
        CancellationToken cancellationToken) =>
        ApplicationResponse.From(application, await KnownSchools.OfAsync(db, application.SchoolId, cancellationToken),
            await ApplicationStore.HistoryAsync(db, application.Id, cancellationToken));

    /// <summary>What a status step sees: the locked application, its programme, the Berlin day and who acts.</summary>
    internal sealed record StatusStep(FundingApplication Application, Programme Programme, DateOnly Today, DateTimeOffset Now, string Actor);

    /// <summary>
    /// One status change in one transaction with the application's row locked: the lifecycle is checked first (409), then the step's
    /// rules (422, thrown by the domain types); only a change that passes both is stored, with its history row, audit row and event.
    /// If-Match is honoured when sent.
    /// </summary>
    internal static async Task<IResult> ChangeStatusAsync(Guid id, ApplicationStatus to, ClaimsPrincipal user, FundingDbContext db, TimeProvider clock,
        HttpContext http, Func<StatusStep, Task<ApplicationStatusChange>> step, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var found = await ETags.FindForWriteAsync(ApplicationStore.LockAsync(db, id, cancellationToken), "application", http.Request,
                a => a.Version);
            if (!found.TryGet(out var application, out var refusal))
            {
                return (IResult)refusal;
            }

            application.EnsureMayMoveTo(to);
            var programme = (await ProgrammeCatalog.FindAsync(db, application.ProgrammeCode, cancellationToken))!;
            var now = clock.GetUtcNow();
            var change = await step(new StatusStep(application, programme, BerlinDay.Today(clock), now, user.Actor()));
            ApplicationStore.StageStatusChange(db, application, change, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            ETags.Set(http.Response, application.Version);
            return TypedResults.Ok(await AnswerAsync(db, application, cancellationToken));
        });
    }
}
