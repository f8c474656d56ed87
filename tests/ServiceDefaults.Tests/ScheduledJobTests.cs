using System.Net.Http.Headers;
using Hangfire;
using Hangfire.Storage;
using Mep.ServiceDefaults.Auth;
using Mep.Jobs;
using Mep.TestKit.Probe;

namespace Mep.ServiceDefaults.Tests;

/// <summary>Recurring jobs on Hangfire, its store in a service's own PostgreSQL database shared by the replicas.</summary>
public sealed class ScheduledJobTests : IAsyncLifetime
{
    private const string EverySecond = "* * * * * *";
    private const string Never = "0 0 1 1 *";
    private PostgresDatabase _db = null!;
    private RabbitMqVirtualHost _broker = null!;

    public async Task InitializeAsync()
    {
        _db = await PostgresDatabase.CreateAsync("jobs", create: false);
        _broker = await RabbitMqVirtualHost.CreateAsync("jobs");
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static void FireRecorder(RecurringJobs jobs) => jobs.Add<FireRecordingJob>("fire-recorder", EverySecond);

    private Task<long> FiresAsync() => _db.ScalarAsync<long>("SELECT count(*) FROM job_fires");

    private static RecurringJobDto StoredJob(ProbeService probe, string name)
    {
        using var connection = probe.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([name]).Single();
    }

    [Fact]
    public async Task A_recurring_job_fires_on_its_cron_and_its_last_run_shows_in_the_operator_view()
    {
        await using var probe = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder);

        await Eventually.AssertAsync(async () => await FiresAsync() >= 2, "two fires", TimeSpan.FromSeconds(30));

        using var admin = new HttpClient { BaseAddress = probe.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Admin));
        var jobs = (await (await admin.GetAsync("/api/probe/admin/operations")).ReadJsonAsync()).GetProperty("jobs").EnumerateArray().ToList();
        var recorder = jobs.Single(j => j.GetProperty("job").GetString() == "fire-recorder");
        Assert.Equal(EverySecond, recorder.GetProperty("cron").GetString());
        Assert.True(recorder.GetProperty("runs").GetInt64() >= 2);
        Assert.Equal(0, recorder.GetProperty("failures").GetInt64());
        Assert.Equal("Europe/Berlin", StoredJob(probe, "fire-recorder").TimeZoneId);
    }

    [Fact]
    public async Task Two_servers_on_one_store_run_each_occurrence_once()
    {
        await using var first = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder);
        await using var second = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder);

        await Eventually.AssertAsync(async () => await FiresAsync() >= 8, "eight fires", TimeSpan.FromSeconds(40));

        var fires = await FiresAsync();
        var distinctTimes = await _db.ScalarAsync<long>("SELECT count(DISTINCT scheduled_at) FROM job_fires");
        Assert.Equal(fires, distinctTimes);
        Assert.Equal(2, await _db.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"));
    }

    /// <summary>
    /// The replicas find their queues declared, as replicas of a deployed service do: RabbitMQ 3.10 (Debian's) crashes a channel
    /// with 541 INTERNAL_ERROR when one connection consumes from a new quorum queue whose Ra process another connection is still
    /// starting ({badmatch,{error,noproc}} in rabbit_quorum_queue:consume/3 in the broker's log), and now and then the client's bus
    /// then never finishes starting. That race is the broker's and the first rollout's (deploy/k8s/README.md), not the job store's,
    /// which this test is about: a probe without jobs declares the topology first and installs nothing of Hangfire.
    /// </summary>
    [Fact]
    public async Task Replicas_starting_at_once_install_the_job_store_once()
    {
        await (await ProbeService.StartAsync(_db, _broker)).DisposeAsync();
        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'hangfire'"));

        var starting = Enumerable.Range(0, 3).Select(_ => ProbeService.StartAsync(_db, _broker, jobs: FireRecorder)).ToList();
        try
        {
            await Task.WhenAll(starting);
            Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM hangfire.schema"));
            Assert.Equal(1, await _db.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs'"));
        }
        finally
        {
            // Each replica that did start is stopped, also when another failed: a host left running keeps polling a dropped database.
            foreach (var started in starting.Where(start => start.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Hangfire's log provider is one per process; tests run many hosts in one. A host ending must not leave Hangfire holding its
    /// disposed logger factory: every Hangfire part another host created afterwards threw ObjectDisposedException.
    /// </summary>
    [Fact]
    public async Task Hangfire_writes_to_a_live_host_after_the_host_that_configured_it_last_has_ended()
    {
        await using var first = await ProbeService.StartAsync(_db, _broker, jobs: _ => { });
        await (await ProbeService.StartAsync(_db, _broker, jobs: _ => { })).DisposeAsync();

        var logger = Hangfire.Logging.LogProvider.GetLogger("mep-after-a-host-ended");

        Assert.True(logger.Log(Hangfire.Logging.LogLevel.Warn, () => "written after the second host ended"));
    }

    [Fact]
    public async Task A_job_persisted_before_a_restart_still_fires_after_it_from_the_store_alone()
    {
        await using (var before = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder))
        {
            await Eventually.AssertAsync(async () => await FiresAsync() >= 1, "a fire before the restart", TimeSpan.FromSeconds(30));
        }

        var stoppedAt = DateTimeOffset.UtcNow;

        // The new process declares no job at all: what fires is what the store kept.
        await using var after = await ProbeService.StartAsync(_db, _broker, jobs: _ => { });

        // Runs the first process enqueued but did not finish are worked off first (scheduled before the stop); what proves the
        // stored schedule is an occurrence after the stop, fired by the new process.
        await Eventually.AssertAsync(async () => await _db.ScalarAsync<long>(
                $"SELECT count(*) FROM job_fires WHERE fired_by = '{after.InstanceId}' AND scheduled_at > '{stoppedAt.UtcDateTime:O}'") >= 1,
            "a fire after the restart for an occurrence after the stop", TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task A_changed_cron_replaces_the_stored_schedule()
    {
        await using (var before = await ProbeService.StartAsync(_db, _broker, jobs: jobs => jobs.Add<FireRecordingJob>("fire-recorder", Never)))
        {
            Assert.Equal(Never, StoredJob(before, "fire-recorder").Cron);
        }

        await using var changed = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder);

        Assert.Equal(EverySecond, StoredJob(changed, "fire-recorder").Cron);
        await Eventually.AssertAsync(async () => await FiresAsync() >= 1, "a fire on the new schedule", TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Two fire times pass while no replica runs. A job that makes up for missed times runs once when a replica is back (not
    /// twice, not never); one that skips them runs at neither and waits for its next regular time (a year later here).
    /// </summary>
    [Theory]
    [InlineData(Misfire.FireOnceNow, 1)]
    [InlineData(Misfire.SkipToNextTime, 0)]
    public async Task Fire_times_missed_while_every_replica_was_down_follow_the_jobs_misfire_rule(Misfire misfire, int expectedRuns)
    {
        var firstMissed = DateTimeOffset.UtcNow.AddSeconds(10);
        firstMissed = firstMissed.AddTicks(-(firstMissed.Ticks % TimeSpan.TicksPerSecond));
        // Both in one minute: the cron below names a single minute.
        firstMissed = firstMissed.Second == 59 ? firstMissed.AddSeconds(1) : firstMissed;
        var secondMissed = firstMissed.AddSeconds(1);
        var berlin = TimeZoneInfo.ConvertTime(firstMissed, ScheduledJobs.Berlin);
        var cron = $"{berlin.Second},{berlin.Second + 1} {berlin.Minute} {berlin.Hour} {berlin.Day} {berlin.Month} *";
        await using (var before = await ProbeService.StartAsync(_db, _broker, jobs: jobs => jobs.Add<FireRecordingJob>("fire-recorder", cron, misfire)))
        {
            Assert.Equal(firstMissed.UtcDateTime, StoredJob(before, "fire-recorder").NextExecution);
        }

        Assert.True(DateTimeOffset.UtcNow < firstMissed, "the replica was down before the first fire time");
        // The replica is down while both fire times pass. A wall-clock wait on purpose: with no replica running there is nothing to
        // poll, and the point is that real time passes the fire times (Hangfire's store reads the real clock).
        await Task.Delay(secondMissed - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5));

        await using var after = await ProbeService.StartAsync(_db, _broker, jobs: jobs => jobs.Add<FireRecordingJob>("fire-recorder", cron, misfire));

        // Handled once the store's next fire time moved on to next year's date; a made-up run has finished once it is recorded.
        await Eventually.AssertAsync(() => Task.FromResult(StoredJob(after, "fire-recorder").NextExecution > secondMissed.UtcDateTime.AddDays(1)),
            "the missed fire times handled", TimeSpan.FromSeconds(30));
        await Eventually.AssertAsync(async () => await _db.ScalarAsync<long>("SELECT count(*) FROM scheduled_job_runs WHERE last_finished_at IS NOT NULL")
            == expectedRuns, "the made-up run finished (or none started)", TimeSpan.FromSeconds(30));
        Assert.Equal(expectedRuns, await FiresAsync());
        Assert.Equal(expectedRuns == 1, StoredJob(after, "fire-recorder").LastJobId is { Length: > 0 });
    }

    [Fact]
    public async Task A_failing_job_is_retried_and_succeeds_with_its_failure_in_the_dashboards_history_and_the_operator_view()
    {
        await using var probe = await ProbeService.StartAsync(_db, _broker, new Dictionary<string, string?> { ["Jobs:RetryDelaysSeconds:0"] = "1" },
            jobs => jobs.Add<FailingJob>("failing", Never));
        probe.Services.GetRequiredService<JobFailures>().FailNext(1);

        var runId = probe.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob("failing");

        var monitoring = probe.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.AssertAsync(() => Task.FromResult(monitoring.JobDetails(runId).History[0].StateName == "Succeeded"), "the retry succeeded",
            TimeSpan.FromSeconds(30));
        var history = monitoring.JobDetails(runId).History.Select(state => state.StateName).Reverse().ToList();
        Assert.Equal(["Enqueued", "Processing", "Failed", "Scheduled", "Enqueued", "Processing", "Succeeded"], history);
        var failed = monitoring.JobDetails(runId).History.Single(state => state.StateName == "Failed");
        Assert.Equal(FailingJob.Failure, failed.Data["ExceptionMessage"]);
        var run = (await probe.Services.GetRequiredService<JobRunLog>().AllAsync(CancellationToken.None)).Single();
        Assert.Equal((2L, 1L, true), (run.Runs, run.Failures, run.LastSucceeded));
    }

    [Fact]
    public async Task A_job_failing_past_its_retries_is_listed_failed_in_the_dashboards_data()
    {
        await using var probe = await ProbeService.StartAsync(_db, _broker, new Dictionary<string, string?> { ["Jobs:RetryDelaysSeconds:0"] = "1" },
            jobs => jobs.Add<FailingJob>("failing", Never));
        probe.Services.GetRequiredService<JobFailures>().FailNext(2);

        var runId = probe.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob("failing");

        var monitoring = probe.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.AssertAsync(() => Task.FromResult(monitoring.FailedCount() == 1), "the run failed for good", TimeSpan.FromSeconds(30));
        var listed = monitoring.FailedJobs(0, 10).Single();
        Assert.Equal((runId, FailingJob.Failure), (listed.Key, listed.Value.ExceptionMessage));
        Assert.Equal(2, monitoring.JobDetails(runId).History.Count(state => state.StateName == "Processing"));
    }
}
