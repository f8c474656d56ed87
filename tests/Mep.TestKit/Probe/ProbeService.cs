using System.Collections.Concurrent;
using MassTransit;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Data;
using System.Security.Claims;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Hosting;
using Mep.SchoolDirectory;
using Mep.Jobs;
using Mep.Messaging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Mep.TestKit.Probe;

/// <summary>
/// A second service for tests of the event path: built exactly like a real one (service defaults,
/// own database with outbox and inbox, platform messaging), consuming the Schools events. It records each
/// event once (through the inbox) and counts every raw delivery, so tests can tell "delivered" from "applied".
/// </summary>
public sealed class ProbeService : IAsyncDisposable
{
    public const string PoisonMarker = "POISON";

    private readonly WebApplication _app;

    private ProbeService(WebApplication app) => _app = app;

    public DeliveryLog Deliveries => _app.Services.GetRequiredService<DeliveryLog>();

    /// <summary>School names from SchoolUpdated, per school, in the order they arrived.</summary>
    public UpdateOrderLog UpdateOrder => _app.Services.GetRequiredService<UpdateOrderLog>();

    /// <summary>Whether messages marked as poison fail (on by default); off stands for "the consumer was fixed".</summary>
    public PoisonSwitch Poison => _app.Services.GetRequiredService<PoisonSwitch>();

    public Uri BaseAddress { get; private init; } = null!;

    public IServiceProvider Services => _app.Services;

    /// <summary>Which probe this is, when several share a database (replicas).</summary>
    public string InstanceId => _app.Services.GetRequiredService<ProbeInstance>().Id;

    /// <param name="jobs">Recurring jobs to declare; given (even empty), the probe runs a Hangfire server on its database.</param>
    public static async Task<ProbeService> StartAsync(PostgresDatabase database, RabbitMqVirtualHost broker,
        IReadOnlyDictionary<string, string?>? settings = null, Action<RecurringJobs>? jobs = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Its own application name, so that its connection pools are its own: Npgsql pools per connection string within a
            // process, and probes that stand for replicas (separate processes in production) must not share one budget.
            ["ConnectionStrings:Database"] = $"{database.ConnectionString};Application Name=mep-probe-{Guid.NewGuid():N}",
            ["ConnectionStrings:Broker"] = broker.AmqpUrl,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Messaging:ConsumerRetries"] = "2",
            ["Jobs:PollingInterval"] = "00:00:01",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Kept in memory as well, so that a probe that fails to start can say why in the test's failure message.
        builder.Logging.AddFakeLogging();
        builder.AddServiceDefaults(new ServiceDescription("Probe", "/api/probe", "Test consumer of integration events."));
        builder.AddServiceDatabase<ProbeDbContext>();
        builder.AddSchoolDirectory<ProbeDbContext>();
        builder.AddPlatformMessaging<ProbeDbContext>("probe", bus =>
        {
            bus.AddConsumer<RecordSchoolRegistered>();
            bus.AddConsumer<CountSchoolRegisteredDeliveries>();
            // One at a time, so arrival order at the consumer is the order the broker received them in.
            bus.AddConsumer<RecordSchoolUpdatedOrder>(consumer => consumer.ConcurrentMessageLimit = 1);
            bus.AddSchoolDirectoryConsumers<ProbeDbContext>();
            bus.AddConsumer<RecordSchoolAccepted>();
            bus.AddConsumer<RecordMilestoneReached>();
        });
        if (jobs is not null)
        {
            builder.AddScheduledJobs(jobs);
        }

        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddSingleton<UpdateOrderLog>();
        builder.Services.AddSingleton<PoisonSwitch>();
        builder.Services.AddSingleton<ProbeInstance>();
        builder.Services.AddSingleton<JobFailures>();
        var app = builder.Build();
        app.UseServiceDefaults();
        if (jobs is not null)
        {
            app.MapJobDashboard();
        }

        var api = app.MapGroup("/api/probe");
        api.MapOperatorEndpoints<ProbeDbContext>();
        // Which school a school key acts for here: proves keys issued in Schools authenticate in another service.
        api.MapGet("/whoami", (ClaimsPrincipal user) => Results.Ok(new { schoolId = user.SchoolScope() })).RequireAuthorization(PlatformRoles.School);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var probe = new ProbeService(app) { BaseAddress = new Uri(address) };
        using var client = new HttpClient { BaseAddress = probe.BaseAddress };
        // A minute, not the default 20 s: replicas that start together wait in turn for the job store's install lock, and the
        // whole suite runs beside them on two cores.
        var lastReadiness = "no answer yet";
        try
        {
            await Eventually.AssertAsync(async () =>
            {
                using var answer = await client.GetAsync("/health/ready");
                lastReadiness = $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}";
                return answer.IsSuccessStatusCode;
            }, "probe ready", TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var warnings = app.Services.GetFakeLogCollector().GetSnapshot().Where(record => record.Level >= LogLevel.Warning)
                .Select(record => $"{record.Level} {record.Category}: {record.Message} {record.Exception}");
            throw new InvalidOperationException($"The probe did not become ready; its last readiness answer: {lastReadiness}; "
                + $"what it logged:{Environment.NewLine}{string.Join(Environment.NewLine, warnings)}", e);
        }
        return probe;
    }

    /// <summary>The probe's school directory replica.</summary>
    public async Task<List<KnownSchool>> KnownSchoolsAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ProbeDbContext>().Set<KnownSchool>().ToListAsync();
    }

    /// <summary>Events applied (once each, through the inbox).</summary>
    public async Task<List<ReceivedEvent>> ReceivedAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ProbeDbContext>().ReceivedEvents.OrderBy(e => e.ReceivedAt).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed class PoisonSwitch
{
    public bool Enabled { get; set; } = true;
}

/// <summary>Every delivery of every message id, before any deduplication.</summary>
public sealed class DeliveryLog
{
    private readonly ConcurrentDictionary<Guid, int> _deliveries = new();

    public void Record(Guid messageId) => _deliveries.AddOrUpdate(messageId, 1, (_, count) => count + 1);

    public IReadOnlyDictionary<Guid, int> Snapshot() => new Dictionary<Guid, int>(_deliveries);
}

public sealed class ReceivedEvent
{
    public Guid MessageId { get; set; }
    public string MessageType { get; set; } = string.Empty;
    public string AggregateId { get; set; } = string.Empty;
    public DateTimeOffset ReceivedAt { get; set; }
}

public sealed class ProbeDbContext(DbContextOptions<ProbeDbContext> options) : DbContext(options)
{
    public DbSet<ReceivedEvent> ReceivedEvents => Set<ReceivedEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ReceivedEvent>().HasKey(e => e.MessageId);
        modelBuilder.AddMessagingTables();
        modelBuilder.AddSchoolDirectoryTables();
    }
}

/// <summary>Applies SchoolRegistered once per message id; a name with <see cref="ProbeService.PoisonMarker"/> always fails.</summary>
public sealed class RecordSchoolRegistered(ProbeDbContext db, TimeProvider clock, PoisonSwitch poison)
    : IdempotentConsumer<SchoolRegistered, ProbeDbContext>(db, clock)
{
    protected override Task HandleAsync(SchoolRegistered message, ConsumeContext<SchoolRegistered> context)
    {
        if (poison.Enabled && message.Name.Contains(ProbeService.PoisonMarker, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Cannot apply school {message.SchoolId}: poison for the test.");
        }

        Db.ReceivedEvents.Add(new ReceivedEvent
        {
            MessageId = context.MessageId!.Value,
            MessageType = nameof(SchoolRegistered),
            AggregateId = message.SchoolId.ToString(),
            ReceivedAt = Clock.GetUtcNow(),
        });
        return Task.CompletedTask;
    }
}

/// <summary>Records each message of a type once (inbox), under the school it is about, as a service consuming it would apply it.</summary>
public abstract class RecordSchoolEvent<TMessage>(ProbeDbContext db, TimeProvider clock) : IdempotentConsumer<TMessage, ProbeDbContext>(db, clock)
    where TMessage : class
{
    protected abstract Guid SchoolOf(TMessage message);

    protected override Task HandleAsync(TMessage message, ConsumeContext<TMessage> context)
    {
        Db.ReceivedEvents.Add(new ReceivedEvent
        {
            MessageId = context.MessageId!.Value, MessageType = typeof(TMessage).Name, AggregateId = SchoolOf(message).ToString(), ReceivedAt = Clock.GetUtcNow(),
        });
        return Task.CompletedTask;
    }
}

public sealed class RecordSchoolAccepted(ProbeDbContext db, TimeProvider clock) : RecordSchoolEvent<SchoolAcceptedIntoMepStandard>(db, clock)
{
    protected override Guid SchoolOf(SchoolAcceptedIntoMepStandard message) => message.SchoolId;
}

public sealed class RecordMilestoneReached(ProbeDbContext db, TimeProvider clock) : RecordSchoolEvent<RolloutMilestoneReached>(db, clock)
{
    protected override Guid SchoolOf(RolloutMilestoneReached message) => message.SchoolId;
}

/// <summary>Counts raw deliveries of SchoolRegistered (its own queue, no inbox).</summary>
public sealed class CountSchoolRegisteredDeliveries(DeliveryLog log) : IConsumer<SchoolRegistered>
{
    public Task Consume(ConsumeContext<SchoolRegistered> context)
    {
        log.Record(context.MessageId!.Value);
        return Task.CompletedTask;
    }
}

public sealed class ProbeInstance
{
    public string Id { get; } = Guid.NewGuid().ToString("N")[..8];
}

/// <summary>A job that records each of its runs (the occurrence it ran for, the probe that ran it) in job_fires.</summary>
public sealed class FireRecordingJob(ProbeDbContext db, ProbeInstance probe, JobRunLog runs, ILogger<FireRecordingJob> logger) : RecurringJob(runs, logger)
{
    protected override async Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken)
    {
        var scheduledAt = occurrence.ScheduledAt ?? throw new InvalidOperationException($"Run {occurrence.RunId} carries no occurrence.");
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO job_fires (scheduled_at, fired_by, fired_at) VALUES ({scheduledAt}, {probe.Id}, {DateTimeOffset.UtcNow})", cancellationToken);
    }
}

/// <summary>How many of the next runs of <see cref="FailingJob"/> fail.</summary>
public sealed class JobFailures
{
    private int _left;

    public void FailNext(int runs) => Interlocked.Exchange(ref _left, runs);

    public bool TakeOne() => Interlocked.Decrement(ref _left) >= 0;
}

/// <summary>A job that fails as often as <see cref="JobFailures"/> says, then succeeds.</summary>
public sealed class FailingJob(JobFailures failures, JobRunLog runs, ILogger<FailingJob> logger) : RecurringJob(runs, logger)
{
    public const string Failure = "The failing job failed on purpose.";

    protected override Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken) =>
        failures.TakeOne() ? throw new InvalidOperationException(Failure) : Task.CompletedTask;
}

public sealed class UpdateOrderLog
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<string>> _names = new();

    public void Record(Guid schoolId, string name) => _names.GetOrAdd(schoolId, _ => new ConcurrentQueue<string>()).Enqueue(name);

    public IReadOnlyList<string> For(Guid schoolId) => _names.TryGetValue(schoolId, out var names) ? [.. names] : [];
}

/// <summary>Records SchoolUpdated arrivals in order (no inbox: it observes the wire, not an effect).</summary>
public sealed class RecordSchoolUpdatedOrder(UpdateOrderLog log) : IConsumer<SchoolUpdated>
{
    public Task Consume(ConsumeContext<SchoolUpdated> context)
    {
        log.Record(context.Message.SchoolId, context.Message.Name);
        return Task.CompletedTask;
    }
}
