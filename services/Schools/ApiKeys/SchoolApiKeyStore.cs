using System.Collections.Concurrent;
using Mep.Schools.Data;
using Mep.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.ApiKeys;

/// <summary>School keys for authentication, read from the Schools service's own table.</summary>
public sealed class SchoolApiKeyStore(SchoolsDbContext db) : ISchoolApiKeyStore
{
    /// <summary>Last-used times are kept to the minute: enough to spot an unused key, without a write per request.</summary>
    private static readonly TimeSpan UsageResolution = TimeSpan.FromMinutes(1);

    /// <summary>When this process last wrote a key's usage; skips the database entirely within the resolution.</summary>
    private static readonly ConcurrentDictionary<string, DateTimeOffset> LastMarked = new(StringComparer.Ordinal);

    public async Task<SchoolApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken) =>
        await db.ApiKeys.Where(k => k.KeyId == keyId)
            .Select(k => new SchoolApiKeyRecord(k.KeyId, k.SchoolId, k.SecretHash, k.RevokedAt))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task MarkUsedAsync(string keyId, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        var staleBefore = usedAt - UsageResolution;
        if (LastMarked.TryGetValue(keyId, out var marked) && marked >= staleBefore)
        {
            return;
        }

        LastMarked[keyId] = usedAt;
        await db.ApiKeys
            .Where(k => k.KeyId == keyId && (k.LastUsedAt == null || k.LastUsedAt < staleBefore))
            .ExecuteUpdateAsync(setters => setters.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);
    }
}
