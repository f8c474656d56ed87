using System.Net;
using System.Net.Http.Headers;
using MassTransit;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;
using Mep.TestKit.Probe;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// The event path end to end on real PostgreSQL and RabbitMQ: Schools writes events with its changes,
/// relays them, and another service (the probe, with its own database and inbox) applies each once.
/// </summary>
public sealed class IntegrationEventTests : IAsyncLifetime
{
    private PostgresDatabase _schoolsDb = null!;
    private PostgresDatabase _probeDb = null!;
    private RabbitMqVirtualHost _broker = null!;
    private ProbeService _probe = null!;

    public async Task InitializeAsync()
    {
        _schoolsDb = await PostgresDatabase.CreateAsync("events-schools", create: false);
        _probeDb = await PostgresDatabase.CreateAsync("events-probe", create: false);
        _broker = await RabbitMqVirtualHost.CreateAsync("events");
        _probe = await ProbeService.StartAsync(_probeDb, _broker);
    }

    public async Task DisposeAsync()
    {
        await _probe.DisposeAsync();
        await _broker.DisposeAsync();
        await _schoolsDb.DisposeAsync();
        await _probeDb.DisposeAsync();
    }

    private Dictionary<string, string> SchoolsSettings(bool relay = true) => new()
    {
        ["ConnectionStrings:Database"] = _schoolsDb.ConnectionString,
        ["ConnectionStrings:Broker"] = _broker.AmqpUrl,
        ["Auth:SigningKey"] = TestTokens.SigningKey,
        ["Auth:Issuer"] = TestTokens.Issuer,
        ["Auth:Audience"] = TestTokens.Audience,
        ["Messaging:RelayEnabled"] = relay ? "true" : "false",
    };

    private static string SchoolsAssembly()
    {
        // The service's own build output (same configuration as the tests), run as ./mep runs it.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(TestInfrastructure.RepositoryRoot(), "services", "Schools", "bin", configuration, "net10.0", "Mep.Schools.dll");
    }

    private static async Task<Guid> RegisterAsync(HttpClient client, string number, string name = "GY Ereignis")
    {
        var response = await client.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody(number, name)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>A Schools replica (in-process host) on this test's database and virtual host.</summary>
    private async Task<SchoolsApi> ReplicaAsync(Dictionary<string, string>? settings = null)
    {
        var api = SchoolsApi.WithSettingsOn(_schoolsDb, _broker, settings ?? []);
        await ((IAsyncLifetime)api).InitializeAsync();
        return api;
    }

    private static bool AllApplied(IEnumerable<Guid> ids, HashSet<string> applied) => ids.All(id => applied.Contains(id.ToString()));

    private async Task<HashSet<string>> AppliedSchoolsAsync() => [.. (await _probe.ReceivedAsync()).Select(e => e.AggregateId)];

    [Fact]
    public async Task A_school_registered_in_the_schools_process_is_applied_once_by_another_service()
    {
        await using var schools = await ServiceProcess.StartAsync(SchoolsAssembly(), SchoolsSettings());
        using var planner = new HttpClient { BaseAddress = schools.BaseAddress };
        planner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Planner));

        var id = await RegisterAsync(planner, "40001");

        await Eventually.AssertAsync(async () => (await AppliedSchoolsAsync()).Contains(id.ToString()), "the probe applied SchoolRegistered");
        await Eventually.AssertAsync(async () => await _schoolsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL") == 0,
            "the outbox is drained");
        Assert.Equal(1, await _schoolsDb.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE aggregate_id = '{id}' AND message_type LIKE '%.SchoolRegistered'"));
    }

    [Fact]
    public async Task The_events_of_one_school_leave_in_the_order_they_were_written_even_with_two_relays()
    {
        await using var first = await ReplicaAsync();
        await using var second = await ReplicaAsync();
        var id = await RegisterAsync(first.Planner, "46000");
        var names = Enumerable.Range(1, 30).Select(i => $"GY Umbenannt {i:00}").ToList();

        foreach (var name in names)
        {
            (await first.Planner.PutAsync($"/api/schools/{id}", Json.Body(SchoolsHttp.SchoolBody("46000", name)))).EnsureSuccessStatusCode();
        }

        await Eventually.AssertAsync(() => Task.FromResult(_probe.UpdateOrder.For(id).Count == names.Count), "all 30 updates arrived");
        Assert.Equal(names, _probe.UpdateOrder.For(id));
    }

    [Fact]
    public async Task A_refused_write_records_no_event()
    {
        await using var api = await ReplicaAsync();
        await RegisterAsync(api.Planner, "40002");

        var duplicate = await api.Planner.PostAsync("/api/schools", Json.Body(SchoolsHttp.SchoolBody("40002", "GY Doppelt")));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(1, await _schoolsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%.SchoolRegistered'"));
    }

    [Fact]
    public async Task A_message_delivered_twice_has_exactly_one_effect()
    {
        var bus = _broker.CreateBus();
        await bus.StartAsync();
        try
        {
            var messageId = NewId.NextGuid();
            var schoolId = Guid.NewGuid();
            var registered = new SchoolRegistered(schoolId, "40003", "GY Zweimal", SchoolType.GY, "Mitte", DateTimeOffset.UtcNow);

            await bus.Publish(registered, context => context.MessageId = messageId);
            await bus.Publish(registered, context => context.MessageId = messageId);

            await Eventually.AssertAsync(() => Task.FromResult(_probe.Deliveries.Snapshot().GetValueOrDefault(messageId) == 2), "both deliveries arrived");
            await Eventually.AssertAsync(async () => (await AppliedSchoolsAsync()).Contains(schoolId.ToString()), "applied");
            Assert.Single(await _probe.ReceivedAsync(), e => e.MessageId == messageId);
            Assert.Equal(1, await _probeDb.ScalarAsync<long>(
                $"SELECT count(*) FROM inbox_messages WHERE message_id = '{messageId}' AND consumer LIKE '%.{nameof(RecordSchoolRegistered)}'"));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    [Fact]
    public async Task Events_committed_by_a_producer_killed_before_publishing_are_delivered_after_restart()
    {
        var ids = new List<Guid>();
        await using (var crashing = await ServiceProcess.StartAsync(SchoolsAssembly(), SchoolsSettings(relay: false)))
        {
            using var planner = new HttpClient { BaseAddress = crashing.BaseAddress };
            planner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Planner));
            for (var i = 0; i < 20; i++)
            {
                ids.Add(await RegisterAsync(planner, $"{41000 + i}"));
            }

            crashing.Kill();
        }

        Assert.Equal(20, await _schoolsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL AND message_type LIKE '%.SchoolRegistered'"));

        await using var restarted = await ReplicaAsync();

        await Eventually.AssertAsync(async () => AllApplied(ids, await AppliedSchoolsAsync()), "all 20 events delivered after the restart");
    }

    [Fact]
    public async Task Two_relays_on_one_database_publish_every_event_exactly_once()
    {
        await using var first = await ReplicaAsync();
        await using var second = await ReplicaAsync();

        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => RegisterAsync(i % 2 == 0 ? first.Planner : second.Planner, $"{42000 + i}")));

        await Eventually.AssertAsync(async () => AllApplied(ids, await AppliedSchoolsAsync()), "all 200 events applied", TimeSpan.FromSeconds(60));
        var published = await _schoolsDb.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%.SchoolRegistered' AND published_at IS NOT NULL");
        Assert.Equal(200, published);
        var deliveries = _probe.Deliveries.Snapshot();
        Assert.Equal(200, deliveries.Count);
        Assert.All(deliveries, delivery => Assert.Equal(1, delivery.Value));
    }

    [Fact]
    public async Task A_message_that_always_fails_ends_in_the_error_queue_with_its_reason_while_others_keep_flowing()
    {
        await using var api = await ReplicaAsync();

        var poison = await RegisterAsync(api.Planner, "43000", $"GY {ProbeService.PoisonMarker}");
        var healthy = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => RegisterAsync(api.Planner, $"{43000 + i}")));

        await Eventually.AssertAsync(async () => AllApplied(healthy, await AppliedSchoolsAsync()), "the other messages were applied");
        const string errorQueue = "probe-record-school-registered_error";
        await Eventually.AssertAsync(async () => await _broker.QueueDepthAsync(errorQueue) == 1, "the poison message is in the error queue");
        var headers = (await _broker.PeekHeadersAsync(errorQueue))!.Value;
        Assert.Contains("poison for the test", headers.GetProperty("MT-Fault-Message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(poison.ToString(), await AppliedSchoolsAsync());

        // The operator sees it, the consumer gets fixed, the operator replays it: applied, once.
        using var admin = new HttpClient { BaseAddress = _probe.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(PlatformRoles.Admin));
        var state = await (await admin.GetAsync("/api/probe/admin/operations")).ReadJsonAsync();
        var errorQueues = state.GetProperty("errorQueues").EnumerateArray().ToList();
        Assert.Equal(1u, errorQueues.Single(q => q.GetProperty("errorQueue").GetString() == errorQueue).GetProperty("errorMessages").GetUInt32());
        _probe.Poison.Enabled = false;

        var replay = await (await admin.PostAsync("/api/probe/admin/operations/error-queues/probe-record-school-registered/replay", null)).ReadJsonAsync();

        Assert.Equal(1, replay.GetProperty("replayed").GetInt32());
        await Eventually.AssertAsync(async () => (await AppliedSchoolsAsync()).Contains(poison.ToString()), "the replayed message was applied");
        await Eventually.AssertAsync(async () => await _broker.QueueDepthAsync(errorQueue) == 0, "the error queue is empty (management statistics lag a few seconds)");
    }

    [Fact]
    public async Task An_outbox_row_that_is_not_json_waits_with_its_reason_while_other_schools_events_leave()
    {
        await using var api = await ReplicaAsync();
        // A row damaged outside the service (its body cut off): the relay publishes stored bodies as they are, so it must not
        // hand this one to the broker.
        await _schoolsDb.ExecuteAsync("""
            INSERT INTO outbox_messages (message_id, message_type, aggregate_id, body, created_at, attempts, next_attempt_at)
            VALUES (gen_random_uuid(), 'Mep.Contracts.Schools.SchoolRegistered', 'damaged-row', '{"schoolId": "', now(), 0, now())
            """);
        var healthy = await RegisterAsync(api.Planner, "45900");

        await Eventually.AssertAsync(async () => (await AppliedSchoolsAsync()).Contains(healthy.ToString()), "the other school's event was applied");
        await Eventually.AssertAsync(async () => await _schoolsDb.ScalarAsync<long>("""
            SELECT count(*) FROM outbox_messages
            WHERE aggregate_id = 'damaged-row' AND published_at IS NULL AND attempts >= 1 AND last_error IS NOT NULL
            """) == 1, "the damaged row waits with its reason");
        Assert.DoesNotContain("damaged-row", await AppliedSchoolsAsync());
    }

    [Fact]
    public async Task The_operator_view_shows_the_outbox_backlog_while_nothing_is_relayed()
    {
        await using var api = await ReplicaAsync(new() { ["Messaging:RelayEnabled"] = "false" });
        for (var i = 0; i < 3; i++)
        {
            await RegisterAsync(api.Planner, $"{44000 + i}");
        }

        var state = await (await api.Admin.GetAsync("/api/schools/admin/operations")).ReadJsonAsync();
        var asPlanner = await api.Planner.GetAsync("/api/schools/admin/operations");

        var outbox = state.GetProperty("outbox");
        Assert.Equal(3, outbox.GetProperty("pending").GetInt32());
        Assert.True(outbox.GetProperty("oldestPendingAgeSeconds").GetDouble() >= 0);
        var cleanup = state.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job").GetString() == "messaging-cleanup");
        Assert.Equal("15 3 * * *", cleanup.GetProperty("cron").GetString());
        Assert.Equal(0, cleanup.GetProperty("runs").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, asPlanner.StatusCode);
    }
}
