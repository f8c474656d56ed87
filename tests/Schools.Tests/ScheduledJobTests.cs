using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Jobs;
using Mep.TestKit.Probe;

namespace Mep.Schools.Tests;

/// <summary>Recurring jobs on the clustered Quartz store in a service's own PostgreSQL database.</summary>
public sealed class ScheduledJobTests : IAsyncLifetime
{
    private const string EverySecond = "* * * * * ?";
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

    [Fact]
    public async Task A_recurring_job_fires_on_its_cron_and_its_last_run_shows_in_the_operator_view()
    {
        await using var probe = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder);

        await Eventually.AssertAsync(async () => await FiresAsync() >= 2, "two fires", TimeSpan.FromSeconds(30));

        using var admin = new HttpClient { BaseAddress = probe.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Admin));
        var jobs = (await (await admin.GetAsync("/api/probe/admin/operations")).ReadJsonAsync()).GetProperty("jobs").EnumerateArray().ToList();
        var recorder = jobs.Single(j => j.GetProperty("job").GetString() == "fire-recorder");
        Assert.True(recorder.GetProperty("runs").GetInt64() >= 2);
        Assert.Equal(0, recorder.GetProperty("failures").GetInt64());
    }

    [Fact]
    public async Task Two_schedulers_on_one_store_fire_each_trigger_exactly_once()
    {
        await using var first = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder);
        await using var second = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder);

        await Eventually.AssertAsync(async () => await FiresAsync() >= 8, "eight fires", TimeSpan.FromSeconds(40));

        var fires = await FiresAsync();
        var distinctTimes = await _db.ScalarAsync<long>("SELECT count(DISTINCT scheduled_at) FROM job_fires");
        Assert.Equal(fires, distinctTimes);
    }

    [Fact]
    public async Task A_job_persisted_before_a_restart_still_fires_after_it_from_the_store_alone()
    {
        await using (var before = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder))
        {
            await Eventually.AssertAsync(async () => await FiresAsync() >= 1, "a fire before the restart", TimeSpan.FromSeconds(30));
        }

        await _db.ExecuteAsync("DELETE FROM job_fires");
        await Task.Delay(TimeSpan.FromSeconds(2));

        // The new process declares no job at all: what fires is what the store kept.
        await using var after = await ProbeService.StartAsync(_db, _broker, jobs: _ => { });

        await Eventually.AssertAsync(async () => await FiresAsync() >= 2, "fires after the restart", TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task A_changed_cron_replaces_the_stored_schedule_and_an_unchanged_one_keeps_its_trigger()
    {
        await using (var before = await ProbeService.StartAsync(_db, _broker, jobs: jobs => jobs.Add<FireRecordingJob>("fire-recorder", "0 0 3 * * ?")))
        {
        }

        const string DeclaredAt = "SELECT start_time FROM qrtz_triggers WHERE trigger_name = 'fire-recorder-cron'";
        var firstDeclaredAt = await _db.ScalarAsync<long>(DeclaredAt);
        await Task.Delay(TimeSpan.FromMilliseconds(50));

        await using (var same = await ProbeService.StartAsync(_db, _broker, jobs: jobs => jobs.Add<FireRecordingJob>("fire-recorder", "0 0 3 * * ?")))
        {
        }

        Assert.Equal(firstDeclaredAt, await _db.ScalarAsync<long>(DeclaredAt));
        Assert.Equal("0 0 3 * * ?", await _db.ScalarAsync<string>("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'fire-recorder-cron'"));

        await using var changed = await ProbeService.StartAsync(_db, _broker, jobs: FireRecorder);

        Assert.Equal(EverySecond, await _db.ScalarAsync<string>("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'fire-recorder-cron'"));
        await Eventually.AssertAsync(async () => await FiresAsync() >= 1, "a fire on the new schedule", TimeSpan.FromSeconds(30));
    }
}
