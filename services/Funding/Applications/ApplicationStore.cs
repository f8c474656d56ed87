using System.Security.Claims;
using Mep.Contracts.Funding;
using Mep.Funding.Audit;
using Mep.Funding.Data;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Messaging;
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

    /// <summary>A new draft with its first history row and audit row; the caller has checked it against the programme's draft rules.</summary>
    public static (FundingApplication Application, ApplicationStatusChange Drafted) StageDraft(FundingDbContext db, Guid schoolId,
        ApplicationDraft draft, Programmes.Programme programme, DateOnly today, string actor, DateTimeOffset now)
    {
        var application = FundingApplication.Draft(schoolId, draft, programme.Rules.SafetySurchargeRate, actor, now);
        var drafted = new ApplicationStatusChange(application.Id, null, ApplicationStatus.Draft, today, now, actor, null);
        db.Add(application);
        StageStatusChange(db, application, drafted, now, new { draft.Title, draft.Category, draft.MeasureStart });
        return (application, drafted);
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
