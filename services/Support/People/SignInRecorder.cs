using System.Collections.Concurrent;
using Mep.Support.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.People;

/// <summary>
/// Records staff in the people directory from their token's claims: at their first request to this process, and again only when
/// the claims changed. A request whose claims this process already recorded costs a dictionary lookup, no database write; the
/// database itself updates a person only when the claims differ from the last ones applied, so an admin's corrections stay until
/// the identity provider says something new.
/// </summary>
public sealed class SignInRecorder
{
    /// <summary>A city's staff and its vendors' people are a few thousand at most; beyond that the set starts over rather than grow.</summary>
    private const int MaxRemembered = 20_000;

    private readonly ConcurrentDictionary<string, string> _recorded = new(StringComparer.Ordinal);

    public async Task RecordAsync(HttpContext context)
    {
        if (Person.Claims.Of(context.User) is not { } claims
            || (_recorded.TryGetValue(claims.Subject, out var known) && known == claims.Fingerprint))
        {
            return;
        }

        var db = context.RequestServices.GetRequiredService<SupportDbContext>();
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var roles = claims.Roles.ToArray();
        // One statement, safe when two first requests of the same person race: the second finds the row and changes nothing.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO people (subject, display_name, email, roles, organisation_code, active, claims_fingerprint,
                                created_at, created_by, updated_at, updated_by)
            VALUES ({claims.Subject}, {claims.NameOrSubject}, {claims.Email}, {roles}, NULL, true, {claims.Fingerprint},
                    {now}, {claims.Subject}, {now}, {claims.Subject})
            ON CONFLICT (subject) DO UPDATE SET
                display_name = COALESCE({claims.DisplayName}, people.display_name),
                email = COALESCE(excluded.email, people.email),
                roles = excluded.roles,
                claims_fingerprint = excluded.claims_fingerprint,
                updated_at = excluded.updated_at,
                updated_by = excluded.updated_by
            WHERE people.claims_fingerprint IS DISTINCT FROM excluded.claims_fingerprint
            """, context.RequestAborted);
        if (_recorded.Count >= MaxRemembered)
        {
            _recorded.Clear();
        }

        _recorded[claims.Subject] = claims.Fingerprint;
    }
}

public static class SignInRecording
{
    /// <summary>After authentication: records the caller in the people directory (see <see cref="SignInRecorder"/>).</summary>
    public static WebApplication UseSignInRecording(this WebApplication app)
    {
        var recorder = app.Services.GetRequiredService<SignInRecorder>();
        app.Use(async (context, next) =>
        {
            await recorder.RecordAsync(context);
            await next(context);
        });
        return app;
    }
}
