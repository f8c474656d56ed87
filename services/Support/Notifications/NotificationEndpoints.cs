using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Support.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mep.Support.Notifications;

/// <summary>Each person's choice of mails: their own under /me, anyone's for admins.</summary>
public static class NotificationEndpoints
{
    public static RouteGroupBuilder MapNotificationEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/me/notification-preferences", GetMyPreferences).RequireAuthorization(SupportAccess.Staff)
            .WithName(nameof(GetMyPreferences))
            .WithSummary("Which mails you get (assigned to you, escalated to your group, SLA warning, SLA breach) and whether as one daily digest; ETag.");
        group.MapPut("/me/notification-preferences", ChangeMyPreferences).RequireAuthorization(SupportAccess.Staff)
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
        if (await FindAsync(db.People, subject, db, cancellationToken) is not { } found)
        {
            return ApiProblems.NotFound("person");
        }

        ETags.Set(response, found.Stored?.Version ?? 0);
        return TypedResults.Ok(NotificationPreferencesResponse.From(found.Stored ?? NotificationPreferences.DefaultsFor(subject), found.Email,
            found.Stored is not null));
    }

    private static async Task<Results<Ok<NotificationPreferencesResponse>, ProblemHttpResult>> WriteAsync(string subject,
        NotificationPreferencesRequest request, ClaimsPrincipal user, SupportDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(db.People.AsTracking(), subject, db, cancellationToken) is not { } found)
        {
            return ApiProblems.NotFound("person");
        }

        if (ETags.CheckIfMatch(http.Request, found.Stored?.Version ?? 0) is { } stale)
        {
            return stale;
        }

        var preferences = found.Stored ?? NotificationPreferences.DefaultsFor(subject);
        Apply(preferences, request, user, clock);
        if (found.Stored is null)
        {
            db.Add(preferences);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (found.Stored is null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another first choice was saved since the read. A caller who named version 0 (If-Match) named one that is gone: 412.
            // Without If-Match, this choice is applied to that row once, as if it had come second; the two never merge.
            db.ChangeTracker.Clear();
            preferences = (await FindAsync(db.People.AsTracking(), subject, db, cancellationToken))?.Stored
                ?? throw new InvalidOperationException($"The preferences of {subject} were saved by another request and are gone again.");
            if (ETags.CheckIfMatch(http.Request, preferences.Version) is { } overtaken)
            {
                return overtaken;
            }

            Apply(preferences, request, user, clock);
            await db.SaveChangesAsync(cancellationToken);
        }

        ETags.Set(http.Response, preferences.Version);
        return TypedResults.Ok(NotificationPreferencesResponse.From(preferences, found.Email, stored: true));
    }

    private static void Apply(NotificationPreferences preferences, NotificationPreferencesRequest request, ClaimsPrincipal user, TimeProvider clock) =>
        preferences.Change(request.TicketAssigned!.Value, request.TicketEscalated!.Value, request.SlaWarning!.Value, request.SlaBreach!.Value,
            request.DailyDigest!.Value, user.Actor(), clock.GetUtcNow());

    /// <summary>The person's address and stored choice (null while they never chose), in one query; null when the directory has no such person.</summary>
    private static Task<PersonsChoice?> FindAsync(IQueryable<People.Person> people, string subject, SupportDbContext db, CancellationToken cancellationToken) =>
        (from person in people
         where person.Subject == subject
         join stored in db.Set<NotificationPreferences>() on person.Subject equals stored.Subject into choices
         from stored in choices.DefaultIfEmpty()
         select new PersonsChoice(person.Email, stored)).SingleOrDefaultAsync(cancellationToken);

    private sealed record PersonsChoice(string? Email, NotificationPreferences? Stored);
}
