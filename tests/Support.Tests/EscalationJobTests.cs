namespace Mep.Support.Tests;

/// <summary>
/// The escalation job on two replicas sharing one database (one Hangfire store, every second) and across a restart: every
/// threshold is announced exactly once, and a breach of a level-1 resolution target moves the ticket up once.
/// </summary>
public sealed class EscalationJobTests : IAsyncLifetime
{
    private const string EverySecond = "* * * * * *";
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 16, 8, 0, 0, TimeSpan.FromHours(1));
    private readonly TestClock _clock = new(MondayMorning);
    private SupportApi _first = null!;

    public async Task InitializeAsync()
    {
        _first = SupportApi.WithClock(_clock, EverySecond);
        await _first.InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_first).DisposeAsync();

    private Task<long> CountAsync(string sql) => _first.Database.ScalarAsync<long>(sql);

    [Fact]
    public async Task Warnings_and_breaches_are_announced_exactly_once_by_two_replicas_and_after_a_restart()
    {
        var school = await _first.SchoolAsync();
        // P1 at the service desk: level 1 first response 30 and resolution 240 business minutes (auto-escalation), total 60 and 480.
        var ticket = await SupportApi.OpenAsync(_first.ClientFor(school), SupportApi.Report("portal", impact: "high", urgency: "high"));
        var id = ticket.GetProperty("id").GetGuid();
        var second = SupportApi.ReplicaOn(_first.Database, _first.Broker, _clock, EverySecond);
        await second.InitializeAsync();

        // 359 business minutes later: both level-1 targets and the total first response passed 75 % and 100 %;
        // the total resolution (480) is just short of its 75 % (360).
        _clock.Set(MondayMorning.AddMinutes(359));
        await Eventually.AssertAsync(async () => await CountAsync($"SELECT count(*) FROM notifications WHERE ticket_id = '{id}'") >= 6,
            "six announcements", TimeSpan.FromSeconds(30));
        const string Runs = "SELECT runs FROM scheduled_job_runs WHERE job_name = 'sla-escalation'";
        var runsBefore = await CountAsync(Runs);
        // The job keeps running after everything is announced: two more runs with both replicas, two more after the restart.
        await Eventually.AssertAsync(async () => await CountAsync(Runs) >= runsBefore + 2, "two more runs", TimeSpan.FromSeconds(30));
        await ((IAsyncLifetime)second).DisposeAsync();
        var restarted = SupportApi.ReplicaOn(_first.Database, _first.Broker, _clock, EverySecond);
        await restarted.InitializeAsync();
        await Eventually.AssertAsync(async () => await CountAsync(Runs) >= runsBefore + 4, "two more runs after the restart", TimeSpan.FromSeconds(30));
        await ((IAsyncLifetime)restarted).DisposeAsync();
        Assert.True(await CountAsync(Runs) >= runsBefore + 4,
            "the job ran again and again after everything was announced, before and after the restart");

        // In the order the thresholds were reached, all to the service desk: the escalation came with the last of them.
        var announced = await _first.Database.ScalarAsync<string>(
            $"SELECT string_agg(clock || '/' || target || '/' || kind || '@' || group_code, ', ' ORDER BY id) FROM notifications WHERE ticket_id = '{id}'");
        Assert.Equal("level1/firstResponse/slaWarning@service-desk, level1/firstResponse/slaBreach@service-desk, "
            + "total/firstResponse/slaWarning@service-desk, total/firstResponse/slaBreach@service-desk, "
            + "level1/resolution/slaWarning@service-desk, level1/resolution/slaBreach@service-desk", announced);
        Assert.Equal(6, await CountAsync($"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Support.SlaThresholdReached' AND aggregate_id = '{id}'"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Support.TicketEscalated' AND aggregate_id = '{id}'"));
        var after = await SupportApi.GetOkAsync(_first.Agent, $"/api/support/tickets/{id}");
        Assert.Equal((2, "it-department"), (after.GetProperty("level").GetInt32(), after.GetProperty("group").GetString()));
    }
}
