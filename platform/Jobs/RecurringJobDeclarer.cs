using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Npgsql;

namespace Mep.Jobs;

/// <summary>
/// Runs before the job server starts: brings the store's schema up to date, then puts the declared recurring jobs into the
/// store. Hangfire's AddOrUpdate changes only what differs and keeps a job's stored next fire time when its cron and zone are
/// unchanged, so a restart neither loses nor repeats an occurrence; a job the code no longer declares stays in the store
/// (visible in the dashboard, where an admin can delete it).
/// </summary>
internal sealed partial class RecurringJobDeclarer(IServiceProvider services, RecurringJobs jobs, IConfiguration configuration,
    ILogger<RecurringJobDeclarer> logger) : IHostedService
{
    /// <summary>Its own advisory lock, apart from the migrator's: the two never wait for each other.</summary>
    private const long SchemaLockKey = 0x4d45505f4a4f4253; // "MEP_JOBS"

    private static readonly MethodInfo Execute = typeof(RecurringJob).GetMethod(nameof(RecurringJob.ExecuteAsync))!;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await InstallSchemaAsync(ScheduledJobs.ConnectionString(services), cancellationToken);
        var manager = services.GetRequiredService<IRecurringJobManager>();
        foreach (var declared in jobs.All)
        {
            var cron = declared.CronSetting is { } setting && configuration[setting] is { Length: > 0 } configured ? configured : declared.Cron;
            // The run's context and cancellation are placeholders: Hangfire passes the real ones when it performs the job.
            var job = new Job(declared.JobType, Execute, declared.Name, null, CancellationToken.None);
            try
            {
                manager.AddOrUpdate(declared.Name, job, cron, new RecurringJobOptions
                {
                    TimeZone = ScheduledJobs.Berlin,
                    MisfireHandling = declared.Misfire == Misfire.FireOnceNow ? MisfireHandlingMode.Relaxed : MisfireHandlingMode.Ignorable,
                });
            }
            catch (ArgumentException e) when (e is not ArgumentNullException)
            {
                throw new InvalidOperationException($"'{cron}' (job {declared.Name}{(declared.CronSetting is { } key ? $", setting {key}" : "")}) "
                    + "is not a valid cron expression: five fields, or six with seconds first.", e);
            }

            LogDeclared(logger, declared.Name, cron, declared.Misfire);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Hangfire's installer applies its versioned scripts in one serializable transaction each; replicas starting at once
    /// would fail each other's transactions, so they take turns under an advisory lock and the later ones find it done.
    /// </summary>
    private static async Task InstallSchemaAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({SchemaLockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            PostgreSqlObjectsInstaller.Install(connection, ScheduledJobs.SchemaName);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({SchemaLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Recurring job {Job} declared: {Cron} (Europe/Berlin), missed fire times: {Misfire}")]
    private static partial void LogDeclared(ILogger logger, string job, string cron, Misfire misfire);
}
