using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Data;
using Mep.Messaging;
using Mep.TestKit;
using Microsoft.EntityFrameworkCore;

namespace Mep.Bench.Relay;

/// <summary>Commit-to-consumed times, from the event's OccurredAt (stamped right before its commit) to its consumption.</summary>
public sealed class LatencyLog
{
    private ConcurrentBag<double> _milliseconds = [];

    public void Record(DateTimeOffset occurredAt) => _milliseconds.Add((DateTimeOffset.UtcNow - occurredAt).TotalMilliseconds);

    public void Reset() => _milliseconds = [];

    public async Task WaitForAsync(int count, TimeSpan within) =>
        await Eventually.AssertAsync(() => Task.FromResult(_milliseconds.Count >= count), $"{count} events consumed", within);

    public string Describe()
    {
        var sorted = _milliseconds.Order().ToArray();
        double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"n={sorted.Length} p50={At(0.50):0.0} ms p95={At(0.95):0.0} ms p99={At(0.99):0.0} ms max={sorted[^1]:0.0} ms");
    }
}

public sealed class LatencyConsumer(LatencyLog log) : IConsumer<SchoolRegistered>
{
    public Task Consume(ConsumeContext<SchoolRegistered> context)
    {
        log.Record(context.Message.OccurredAt);
        return Task.CompletedTask;
    }
}

public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddMessagingTables();
}

/// <summary>A service with the platform's outbox and relay (and the consumer), hosted like a real one.</summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchHost(WebApplication app) => _app = app;

    public static async Task<BenchHost> StartAsync(PostgresDatabase database, RabbitMqVirtualHost broker, LatencyLog latencies, bool relay)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["ConnectionStrings:Broker"] = broker.AmqpUrl,
            ["Messaging:RelayEnabled"] = relay ? "true" : "false",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(latencies);
        builder.AddServiceDatabase<BenchDbContext>();
        builder.AddPlatformMessaging<BenchDbContext>("bench", bus => bus.AddConsumer<LatencyConsumer>());
        var app = builder.Build();
        await app.StartAsync();
        return new BenchHost(app);
    }

    public async Task WriteBacklogAsync(int count)
    {
        for (var written = 0; written < count; written += 500)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
            for (var i = written; i < Math.Min(count, written + 500); i++)
            {
                AddEvent(db, i);
            }

            await db.SaveChangesAsync();
        }
    }

    public async Task<int> WriteAtRateAsync(int perSecond, TimeSpan duration)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            await WriteOneAsync(i);
        }

        return total;
    }

    public async Task<(int Written, double Rate)> WriteFlatOutAsync(int writers, TimeSpan duration)
    {
        var written = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                await WriteOneAsync(Interlocked.Increment(ref written));
            }
        }));
        return (written, written / clock.Elapsed.TotalSeconds);
    }

    public async Task WaitUntilDrainedAsync(TimeSpan within)
    {
        await Eventually.AssertAsync(async () =>
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
            return !await db.Set<OutboxMessage>().AnyAsync(m => m.PublishedAt == null);
        }, "outbox drained", within);
    }

    private async Task WriteOneAsync(int i)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        AddEvent(db, i);
        await db.SaveChangesAsync();
    }

    private static void AddEvent(BenchDbContext db, int i)
    {
        var now = DateTimeOffset.UtcNow;
        var school = Guid.CreateVersion7(now);
        db.AddIntegrationEvent(new SchoolRegistered(school, $"{i % 100_000:00000}", $"GS Bench {i}", SchoolType.GS, "Mitte", now), school.ToString(), now);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
