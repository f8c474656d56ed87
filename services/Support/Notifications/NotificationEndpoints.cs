using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Support.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Notifications;

/// <summary>Each person's choice of mails: their own under /me, anyone's for admins.</summary>
public static class NotificationEndpoints
{
    /// <summary>Anyone with a staff token: the people directory records every one of them at their first request.</summary>
    private static readonly AuthorizeAttribute Staff = new() { Roles = string.Join(',', PlatformRoles.Staff.Order(StringComparer.Ordinal)) };

    public static RouteGroupBuilder MapNotificationEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/me/notification-preferences", GetMyPreferences).RequireAuthorization(Staff)
            .WithName(nameof(GetMyPreferences))
            .WithSummary("Which mails you get (assigned to you, escalated to your group, SLA warning, SLA breach) and whether as one daily digest; ETag.");
        group.MapPut("/me/notification-preferences", ChangeMyPreferences).RequireAuthorization(Staff)
            .WithName(nameof(ChangeMyPreferences))
            .WithSummary("Choose your mails: each kind on or off, and a daily digest (07:00) instead of single mails. If-Match supported.");
        group.MapGet("/people/{subject}/notification-preferences", GetPreferences).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(GetPreferences)).WithSummary("A person's choice of mails (admin); ETag.");
        group.MapPut("/people/{subject}/notification-preferences", ChangePreferences).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(ChangePreferences)).WithSummary("Choose a person's mails for them (admin). If-Match supported.");
        return group;
    }

    public static Task<Results<Ok<NotificationPreferencesResponse>, ProblemHttpResult>> GetMyPreferences(ClaimsPrincipal user, SupportDbContext db,
        HttpResponse response, CancellationToken cancellationToken) =>
        ReadAsync(user.Actor(), db, response, cancellationToken);

    public static Task<Results<Ok<NotificationPreferencesResponse>, ProblemHttpResult>> ChangeMyPreferences(NotificationPreferencesRequest request,
        ClaimsPrincipal user, SupportDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        WriteAsync(user.Actor(), request, user, db, clock, http, cancellationToken);

    public static Task<Results<Ok<NotificationPreferencesResponse>, ProblemHttpResult>> GetPreferences(
        [MaxLength(CallerClaims.MaxActorLength)] string subject, SupportDbContext db, HttpResponse response, CancellationToken cancellationToken) =>
        ReadAsync(subject, db, response, cancellationToken);

    public static Task<Results<Ok<NotificationPreferencesResponse>, ProblemHttpResult>> ChangePreferences(
        [MaxLength(CallerClaims.MaxActorLength)] string subject, NotificationPreferencesRequest request, ClaimsPrincipal user, SupportDbContext db,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken) =>
        WriteAsync(subject, request, user, db, clock, http, cancellationToken);

    /// <summary>The person's choice, or the defaults with version 0 (the ETag a first PUT may name) while they never chose.</summary>
    private static async Task<Results<Ok<NotificationPreferencesResponse>, ProblemHttpResult>> ReadAsync(string subject, SupportDbContext db,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var person = await db.People.Where(p => p.Subject == subject).Select(p => new { p.Email }).SingleOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return ApiProblems.NotFound("person");
        }

        var stored = await db.Set<NotificationPreferences>().SingleOrDefaultAsync(p => p.Subject == subject, cancellationToken);
        ETags.Set(response, stored?.Version ?? 0);
        return TypedResults.Ok(NotificationPreferencesResponse.From(stored ?? NotificationPreferences.DefaultsFor(subject), person.Email, stored is not null));
    }

    private static async Task<Results<Ok<NotificationPreferencesResponse>, ProblemHttpResult>> WriteAsync(string subject,
        NotificationPreferencesRequest request, ClaimsPrincipal user, SupportDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        var person = await db.People.Where(p => p.Subject == subject).Select(p => new { p.Email }).SingleOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return ApiProblems.NotFound("person");
        }

        var stored = await db.Set<NotificationPreferences>().AsTracking().SingleOrDefaultAsync(p => p.Subject == subject, cancellationToken);
        if (ETags.CheckIfMatch(http.Request, stored?.Version ?? 0) is { } stale)
        {
            return stale;
        }

        var preferences = stored ?? NotificationPreferences.DefaultsFor(subject);
        preferences.Change(request.TicketAssigned!.Value, request.TicketEscalated!.Value, request.SlaWarning!.Value, request.SlaBreach!.Value,
            request.DailyDigest!.Value, user.Actor(), clock.GetUtcNow());
        if (stored is null)
        {
            // Two first choices at once: the primary key refuses the second (409), which reads again and retries.
            db.Add(preferences);
        }

        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, preferences.Version);
        return TypedResults.Ok(NotificationPreferencesResponse.From(preferences, person.Email, stored: true));
    }
}
