using System.Security.Claims;
using Mep.Contracts.Funding;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Mep.Funding.Programmes;
using Mep.ServiceDefaults.Auth;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Applications;

/// <summary>Reading and locking applications, and staging a status change with its history row, audit row and event.</summary>
internal static class ApplicationStore
{
    /// <summary>The applications the caller may see: a school key its own school's only.</summary>
    public static IQueryable<FundingApplication> VisibleApplications(this FundingDbContext db, ClaimsPrincipal user) =>
        db.Set<FundingApplication>().VisibleTo(user, a => a.SchoolId);

    /// <summary>
    /// The application, tracked, with its row locked until the transaction ends: status changes, draws and invoices on one application
    /// are judged one after the other, each on what the one before left.
    /// </summary>
    public static Task<FundingApplication?> LockAsync(FundingDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Set<FundingApplication>().FromSql($"SELECT *, xmin FROM applications WHERE id = {id} FOR UPDATE").AsTracking()
            .SingleOrDefaultAsync(cancellationToken);

    public static Task<List<ApplicationStatusChange>> HistoryAsync(FundingDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Set<ApplicationStatusChange>().Where(c => c.ApplicationId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken);

    /// <summary>A new draft, judged by the programme's draft rules, with its first history row and audit row.</summary>
    public static (FundingApplication Application, ApplicationStatusChange Drafted) StageDraft(FundingDbContext db, Guid schoolId,
        ApplicationDraft draft, Programme programme, DateOnly today, string actor, DateTimeOffset now)
    {
        var application = FundingApplication.Draft(schoolId, draft, programme, actor, now);
        var drafted = new ApplicationStatusChange(application.Id, null, ApplicationStatus.Draft, today, now, actor, null);
        db.Add(application);
        StageStatusChange(db, application, drafted, now, new { draft.Title, draft.Category, draft.MeasureStart });
        return (application, drafted);
    }

    /// <summary>
    /// What the submission of the application (its row locked by the caller) is judged on. The mobile-device sums are read under the
    /// programme's cap lock, held to the end of the transaction, so that two submissions at once are judged one after the other and
    /// cannot both take the last of a cap.
    /// </summary>
    public static async Task<SubmissionFacts> SubmissionFactsAsync(FundingDbContext db, FundingApplication application, Programme programme,
        CancellationToken cancellationToken)
    {
        var concept = await MediaConcepts.OfAsync(db, application.SchoolId, cancellationToken);
        return new SubmissionFacts(concept, programme.CapsMobileDevices(application.Category)
            ? await MobileDeviceCommitmentsAsync(db, application, programme.Code, cancellationToken)
            : null);
    }

    /// <summary>Statuses whose amount counts against a cap: submitted and everything after it that was not turned down or given back.</summary>
    private static readonly ApplicationStatus[] Committing =
        [ApplicationStatus.Submitted, ApplicationStatus.Approved, ApplicationStatus.InProgress, ApplicationStatus.Completed, ApplicationStatus.Settled];

    /// <summary><see cref="FundingApplication.Committed"/> as PostgreSQL sums it.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<FundingApplication, decimal>> CommittedInSql =
        a => a.ApprovedAmount ?? a.PlannedAmount + a.SurchargeAmount;

    private static async Task<MobileDeviceCommitments> MobileDeviceCommitmentsAsync(FundingDbContext db, FundingApplication application,
        string programmeCode, CancellationToken cancellationToken)
    {
        // Approvals and withdrawals only lower what counts, so only submissions take the lock.
        var lockName = $"funding-mobile-device-cap:{programmeCode}";
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({lockName}, 0))", cancellationToken);
        var mobile = db.Set<FundingApplication>().Where(a => a.ProgrammeCode == programmeCode && a.Category == SpendingCategory.MobileDevices
            && Committing.Contains(a.Status) && a.Id != application.Id);
        var school = await mobile.Where(a => a.SchoolId == application.SchoolId).SumAsync(CommittedInSql, cancellationToken);
        var authority = await mobile.SumAsync(CommittedInSql, cancellationToken);
        return new MobileDeviceCommitments(school, authority);
    }

    public static void StageStatusChange(FundingDbContext db, FundingApplication application, ApplicationStatusChange change, DateTimeOffset now,
        object? details = null)
    {
        db.Add(change);
        db.Audit("application", application.Id.ToString(), application.SchoolId, EventName(change), change.Actor, now, new
        {
            from = change.FromStatus?.Name(), to = change.ToStatus.Name(), change.OnDay, change.Note, application.PlannedAmount,
            application.SurchargeAmount, application.ApprovedAmount, application.DrawnAmount, details,
        });
        if (change.FromStatus is { } from)
        {
            db.AddIntegrationEvent(new ApplicationStatusChanged(application.Id, application.SchoolId, application.ProgrammeCode, from.Name(),
                change.ToStatus.Name(), now), application.Id.ToString(), now);
        }
    }

    private static string EventName(ApplicationStatusChange change) => change.ToStatus switch
    {
        ApplicationStatus.Draft => "drafted",
        _ => change.ToStatus.Name(),
    };
}
