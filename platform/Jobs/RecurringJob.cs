using System.Diagnostics.Metrics;
using System.Globalization;
using Hangfire;
using Hangfire.Server;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Telemetry;
using Npgsql;

namespace Mep.Jobs;

/// <summary>One run of a recurring job: its name, Hangfire's id of the run, and the fire time it stands for.</summary>
/// <param name="ScheduledAt">The occurrence the run was enqueued for (null for a run started by hand in the dashboard).</param>
public sealed record JobOccurrence(string Name, string RunId, DateTimeOffset? ScheduledAt);

/// <summary>
/// Base of every recurring job: never two runs of one job at once (across replicas too: the store's lock), and every run's
/// start, end and outcome recorded for the operator view. A failure is logged and recorded, and thrown on to Hangfire, which
/// retries it (<see cref="JobOptions.RetryDelaysSeconds"/>) and shows it in the dashboard.
/// </summary>
public abstract partial class RecurringJob(JobRunLog runs, ILogger logger)
{
    /// <summary>What Hangfire calls; <paramref name="context"/> and <paramref name="cancellationToken"/> are supplied by Hangfire.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 10 * 60)]
    public async Task ExecuteAsync(string name, PerformContext? context, CancellationToken cancellationToken)
    {
        var occurrence = new JobOccurrence(name, context?.BackgroundJob.Id ?? string.Empty, ScheduledTimeOf(context));
        // A run is a trace of its own: its database work and the events it writes (continued by the relay) follow it.
        using var activity = PlatformTelemetry.Source.StartActivity($"job {name}");
        await runs.StartedAsync(name, cancellationToken);
        try
        {
            await RunAsync(occurrence, cancellationToken);
            await runs.FinishedAsync(name, error: null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogJobFailed(logger, e, name);
            await runs.FinishedAsync(name, $"{e.GetType().Name}: {e.Message}", CancellationToken.None);
            throw;
        }
    }

    protected abstract Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken);

    /// <summary>The recurring job scheduler stamps each run with the occurrence it enqueued it for ("Time", Unix seconds).</summary>
    private static DateTimeOffset? ScheduledTimeOf(PerformContext? context) =>
        context?.GetJobParameter<string>("Time") is { Length: > 0 } time && long.TryParse(time, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Scheduled job {Job} failed")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string job);
}

/// <summary>Writes the last run of each job to <c>scheduled_job_runs</c>, and counts the runs and their outcomes in the metrics.</summary>
public sealed class JobRunLog(IConfiguration configuration, TimeProvider clock, IMeterFactory meters)
{
    private readonly Counter<long> _runs = meters.Create(PlatformTelemetry.SourceName)
        .CreateCounter<long>("mep.jobs.runs", "{run}", "Runs of a recurring job, by job and outcome (succeeded, failed).");

    public sealed record JobRun(string Job, DateTimeOffset LastStartedAt, DateTimeOffset? LastFinishedAt, bool? LastSucceeded, string? LastError,
        long Runs, long Failures);

    public Task StartedAsync(string job, CancellationToken cancellationToken) => ExecuteAsync("""
        INSERT INTO scheduled_job_runs (job_name, last_started_at, runs, failures) VALUES (@job, @now, 1, 0)
        ON CONFLICT (job_name) DO UPDATE SET last_started_at = @now, last_finished_at = NULL, last_succeeded = NULL, last_error = NULL,
            runs = scheduled_job_runs.runs + 1
        """, job, null, cancellationToken);

    public Task FinishedAsync(string job, string? error, CancellationToken cancellationToken)
    {
        _runs.Add(1, new KeyValuePair<string, object?>("job_name", job), new KeyValuePair<string, object?>("outcome", error is null ? "succeeded" : "failed"));
        return ExecuteAsync("""
        UPDATE scheduled_job_runs SET last_finished_at = @now, last_succeeded = @error IS NULL, last_error = @error,
            failures = failures + CASE WHEN @error IS NULL THEN 0 ELSE 1 END
        WHERE job_name = @job
        """, job, error, cancellationToken);
    }

    public async Task<IReadOnlyList<JobRun>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT job_name, last_started_at, last_finished_at, last_succeeded, last_error, runs, failures
            FROM scheduled_job_runs ORDER BY job_name
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var all = new List<JobRun>();
        while (await reader.ReadAsync(cancellationToken))
        {
            all.Add(new JobRun(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetBoolean(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        return all;
    }

    private async Task ExecuteAsync(string sql, string job, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        command.Parameters.Add(new NpgsqlParameter<string?>("error", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ServiceDatabase.HousekeepingConnectionString(configuration));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
