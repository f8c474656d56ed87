using MassTransit;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.SchoolDirectory;

/// <summary>What a service knows of a school, kept from Schools' events (services never read Schools' tables).</summary>
public sealed class KnownSchool : ReplicaRow
{
    public Guid SchoolId { get; internal set; }
    public string Number { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;
    public SchoolType Type { get; internal set; }
    public string District { get; internal set; } = string.Empty;
    public bool AtMepStandard { get; internal set; }
    public DateOnly? MepStandardSince { get; internal set; }

    /// <summary>The school's contact mail address, where a service that mails schools (Support) writes to it; null when none is recorded.</summary>
    public string? ContactEmail { get; internal set; }
}

/// <summary>A school API key as other services know it: the hash only, and whether it was revoked.</summary>
public sealed class KnownSchoolApiKey
{
    public string KeyId { get; internal set; } = string.Empty;
    public Guid SchoolId { get; internal set; }
    public byte[] SecretHash { get; internal set; } = [];
    public DateTimeOffset? RevokedAt { get; internal set; }
}

public static class SchoolDirectorySetup
{
    /// <summary>The directory's tables, applied by the migrator of each service that keeps the directory.</summary>
    public static MigrationModule Migrations { get; } = new("school-directory", typeof(SchoolDirectorySetup).Assembly);

    /// <summary>
    /// The school directory for a service other than Schools: its tables (by the service's migrator), the
    /// consumers that keep it, and school-key authentication against it, so a key issued in Schools works here.
    /// Call before <see cref="MessagingSetup.AddPlatformMessaging{TContext}"/> and register the consumers there
    /// with <see cref="AddSchoolDirectoryConsumers{TContext}"/>.
    /// </summary>
    public static WebApplicationBuilder AddSchoolDirectory<TContext>(this WebApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.AddSingleton(Migrations);
        builder.Services.AddScoped<ISchoolApiKeyStore, ReplicatedSchoolApiKeyStore<TContext>>();
        builder.Services.AddScoped<ISchoolNumbers, ReplicatedSchoolNumbers<TContext>>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddSchoolDirectoryConsumers<TContext>(this IBusRegistrationConfigurator bus) where TContext : DbContext
    {
        bus.AddConsumer<SchoolDirectoryConsumers<TContext>.Registered>();
        bus.AddConsumer<SchoolDirectoryConsumers<TContext>.Updated>();
        bus.AddConsumer<SchoolDirectoryConsumers<TContext>.AcceptedIntoMepStandard>();
        bus.AddConsumer<SchoolDirectoryConsumers<TContext>.KeyIssued>();
        bus.AddConsumer<SchoolDirectoryConsumers<TContext>.KeyRevoked>();
        return bus;
    }

    public static ModelBuilder AddSchoolDirectoryTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<KnownSchool>(school =>
        {
            school.ToTable("known_schools");
            school.HasKey(s => s.SchoolId);
            school.Property(s => s.Type).HasConversion<string>();
            school.HasIndex(s => s.District);
            school.HasIndex(s => s.Number);
        });
        modelBuilder.Entity<KnownSchoolApiKey>(key =>
        {
            key.ToTable("known_school_api_keys");
            key.HasKey(k => k.KeyId);
            key.HasIndex(k => k.SchoolId);
        });
        return modelBuilder;
    }
}

/// <summary>The consumers that keep the directory; each applies a message once (inbox) and ignores state older than what it holds.</summary>
public static class SchoolDirectoryConsumers<TContext> where TContext : DbContext
{
    public sealed class Registered(TContext db, TimeProvider clock) : IdempotentConsumer<SchoolRegistered, TContext>(db, clock)
    {
        protected override string ConsumerName => "school-directory/school-registered";

        protected override async Task HandleAsync(SchoolRegistered message, ConsumeContext<SchoolRegistered> context)
        {
            var school = await KnownAsync(Db, message.SchoolId, context.CancellationToken);
            school.ApplyIfNotOlder(message.OccurredAt, () =>
                (school.Number, school.Name, school.Type, school.District, school.ContactEmail) =
                    (message.Number, message.Name, message.Type, message.District, message.ContactEmail));
        }
    }

    public sealed class Updated(TContext db, TimeProvider clock) : IdempotentConsumer<SchoolUpdated, TContext>(db, clock)
    {
        protected override string ConsumerName => "school-directory/school-updated";

        protected override async Task HandleAsync(SchoolUpdated message, ConsumeContext<SchoolUpdated> context)
        {
            var school = await KnownAsync(Db, message.SchoolId, context.CancellationToken);
            school.ApplyIfNotOlder(message.OccurredAt, () =>
            {
                (school.Number, school.Name, school.Type, school.District, school.AtMepStandard, school.ContactEmail) =
                    (message.Number, message.Name, message.Type, message.District, message.AtMepStandard, message.ContactEmail);
                if (!message.AtMepStandard)
                {
                    school.MepStandardSince = null;
                }
            });
        }
    }

    public sealed class AcceptedIntoMepStandard(TContext db, TimeProvider clock)
        : IdempotentConsumer<SchoolAcceptedIntoMepStandard, TContext>(db, clock)
    {
        protected override string ConsumerName => "school-directory/school-accepted-into-mep-standard";

        protected override async Task HandleAsync(SchoolAcceptedIntoMepStandard message, ConsumeContext<SchoolAcceptedIntoMepStandard> context)
        {
            var school = await KnownAsync(Db, message.SchoolId, context.CancellationToken);
            school.ApplyIfNotOlder(message.OccurredAt, () => (school.AtMepStandard, school.MepStandardSince) = (true, message.AcceptedOn));
        }
    }

    public sealed class KeyIssued(TContext db, TimeProvider clock) : IdempotentConsumer<SchoolApiKeyIssued, TContext>(db, clock)
    {
        protected override string ConsumerName => "school-directory/school-api-key-issued";

        protected override async Task HandleAsync(SchoolApiKeyIssued message, ConsumeContext<SchoolApiKeyIssued> context)
        {
            var key = await KnownKeyAsync(Db, message.KeyId, context.CancellationToken);
            if (key is null)
            {
                Db.Add(new KnownSchoolApiKey { KeyId = message.KeyId, SchoolId = message.SchoolId, SecretHash = Convert.FromBase64String(message.SecretHashBase64) });
            }
            else
            {
                // The revocation came first (reordered delivery): keep it revoked, fill in what it could not know.
                (key.SchoolId, key.SecretHash) = (message.SchoolId, Convert.FromBase64String(message.SecretHashBase64));
            }
        }
    }

    public sealed class KeyRevoked(TContext db, TimeProvider clock) : IdempotentConsumer<SchoolApiKeyRevoked, TContext>(db, clock)
    {
        protected override string ConsumerName => "school-directory/school-api-key-revoked";

        protected override async Task HandleAsync(SchoolApiKeyRevoked message, ConsumeContext<SchoolApiKeyRevoked> context)
        {
            var key = await KnownKeyAsync(Db, message.KeyId, context.CancellationToken);
            if (key is null)
            {
                Db.Add(new KnownSchoolApiKey { KeyId = message.KeyId, SchoolId = message.SchoolId, RevokedAt = message.OccurredAt });
            }
            else
            {
                key.RevokedAt ??= message.OccurredAt;
            }
        }
    }

    /// <summary>The school's row, locked; or a new one any state will overwrite (an update may arrive before the registration).</summary>
    private static Task<KnownSchool> KnownAsync(TContext db, Guid schoolId, CancellationToken cancellationToken) =>
        ReplicaRows.LockOrAddAsync(db, schoolId, id => new KnownSchool { SchoolId = id }, cancellationToken);

    private static async Task<KnownSchoolApiKey?> KnownKeyAsync(TContext db, string keyId, CancellationToken cancellationToken) =>
        (await db.Set<KnownSchoolApiKey>().FromSql($"SELECT * FROM known_school_api_keys WHERE key_id = {keyId} FOR UPDATE")
            .AsTracking().ToListAsync(cancellationToken)).SingleOrDefault();
}

/// <summary>School-key authentication in services other than Schools, against their directory replica.</summary>
public sealed class ReplicatedSchoolApiKeyStore<TContext>(TContext db) : ISchoolApiKeyStore where TContext : DbContext
{
    /// <summary>
    /// The key, once the replica knows its school as well. The key and the school's registration are two events that arrive in
    /// either order; a key let in before its school would pass authentication and then be told its own school is unknown (a 422
    /// on the first device it registers). Until both are here the key is as unknown as before its own event (401), so "the key
    /// works" means the service can act on it. A school is known once its registration or an update (each with its number) arrived.
    /// </summary>
    public async Task<SchoolApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken) =>
        await db.Set<KnownSchoolApiKey>()
            .Where(k => k.KeyId == keyId && db.Set<KnownSchool>().Any(s => s.SchoolId == k.SchoolId && s.Number != ""))
            .Select(k => new SchoolApiKeyRecord(k.KeyId, k.SchoolId, k.SecretHash, k.RevokedAt))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Last use is recorded by Schools, which owns the keys; a replica does not write it back.</summary>
    public Task MarkUsedAsync(string keyId, DateTimeOffset usedAt, CancellationToken cancellationToken) => Task.CompletedTask;
}
