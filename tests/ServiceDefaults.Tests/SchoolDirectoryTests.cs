using System.Net;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.TestKit.Probe;

namespace Mep.ServiceDefaults.Tests;

/// <summary>
/// The first real consumer of Schools' events: the school directory every other service keeps, so that it
/// knows the schools and accepts the keys Schools issues, without ever reading Schools' database.
/// </summary>
public sealed class SchoolDirectoryTests : IAsyncLifetime
{
    private PostgresDatabase _probeDb = null!;
    private SchoolsApi _schools = null!;
    private ProbeService _probe = null!;

    public async Task InitializeAsync()
    {
        _schools = new SchoolsApi();
        await ((IAsyncLifetime)_schools).InitializeAsync();
        _probeDb = await PostgresDatabase.CreateAsync("directory-probe", create: false);
        _probe = await ProbeService.StartAsync(_probeDb, _schools.Broker);
    }

    public async Task DisposeAsync()
    {
        await _probe.DisposeAsync();
        await ((IAsyncLifetime)_schools).DisposeAsync();
        await _probeDb.DisposeAsync();
    }

    private HttpClient ProbeClientWithKey(string key)
    {
        var client = new HttpClient { BaseAddress = _probe.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task A_key_issued_in_schools_works_in_another_service_until_it_is_revoked_there_too()
    {
        var school = await _schools.Planner.RegisterSchoolAsync("GY Verzeichnis");
        var (keyId, key) = await _schools.Admin.IssueKeyAsync(school);
        using var probe = ProbeClientWithKey(key);

        await Eventually.AssertAsync(async () => (await probe.GetAsync("/api/probe/whoami")).StatusCode == HttpStatusCode.OK, "the key works in the probe");
        var whoami = await (await probe.GetAsync("/api/probe/whoami")).ReadJsonAsync();
        Assert.Equal(school, whoami.GetProperty("schoolId").GetGuid());
        Assert.Contains(await _probe.KnownSchoolsAsync(), s => s.SchoolId == school && s.Name == "GY Verzeichnis");

        (await _schools.Admin.PostAsync($"/api/schools/{school}/api-keys/{keyId}/revoke", null)).EnsureSuccessStatusCode();

        await Eventually.AssertAsync(async () => (await probe.GetAsync("/api/probe/whoami")).StatusCode == HttpStatusCode.Unauthorized,
            "the revoked key is refused in the probe too");
    }

    [Fact]
    public async Task The_directory_tables_a_service_migrates_agree_with_their_mapping()
    {
        await using var scope = _probe.Services.CreateAsyncScope();

        await SchemaAgreement.AssertModelMatchesDatabaseAsync(scope.ServiceProvider.GetRequiredService<ProbeDbContext>(), "job_fires");
    }

    [Fact]
    public async Task Accepting_a_school_publishes_its_acceptance_once_and_other_services_know_it_is_at_mep_standard()
    {
        var school = await _schools.ReadyForAcceptanceAsync();

        // Two planners accept at the same moment: one wins, the other is told the school is accepted already.
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            _schools.Planner.PostAsync($"/api/schools/{school}/rollout/acceptance", Json.Body(new { acceptedOn = "2025-08-01" }))));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order().ToArray());
        await Eventually.AssertAsync(async () => (await _probe.KnownSchoolsAsync()).Any(s =>
            s.SchoolId == school && s.AtMepStandard && s.MepStandardSince == new DateOnly(2025, 8, 1)), "the probe knows the school is at MEP standard");
        // Whatever Schools published after the acceptance has arrived too, so a second acceptance event would have by now.
        await _schools.PutOkAsync($"/api/schools/{school}/rollout/milestones/accepted", new { plannedOn = "2025-12-15" });
        await Eventually.AssertAsync(async () => await _schools.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE aggregate_id = '{school}' AND published_at IS NULL") == 0, "the relay caught up");
        await Eventually.AssertAsync(async () => (await _probe.ReceivedAsync()).Any(e =>
            e.MessageType == nameof(RolloutMilestoneReached) && e.AggregateId == school.ToString()), "the milestones arrived");
        Assert.Single(await _probe.ReceivedAsync(), e => e.MessageType == nameof(SchoolAcceptedIntoMepStandard) && e.AggregateId == school.ToString());
    }

    [Fact]
    public async Task An_older_update_delivered_after_a_newer_one_does_not_overwrite_it()
    {
        var bus = _schools.Broker.CreateBus();
        await bus.StartAsync();
        try
        {
            var school = Guid.NewGuid();
            var now = DateTimeOffset.UtcNow;
            await bus.Publish(new SchoolUpdated(school, "45000", "GY Neuer Name", SchoolType.GY, "Mitte", false, now));
            await Eventually.AssertAsync(async () => (await _probe.KnownSchoolsAsync()).Any(s => s.SchoolId == school), "the newer state arrived");

            await bus.Publish(new SchoolUpdated(school, "45000", "GY Alter Name", SchoolType.GY, "Mitte", false, now.AddMinutes(-5)));
            await bus.Publish(new SchoolRegistered(school, "45000", "GY Ganz Alt", SchoolType.GY, "Mitte", now.AddMinutes(-10)));
            await Eventually.AssertAsync(async () => await _probeDb.ScalarAsync<long>(
                "SELECT count(*) FROM inbox_messages WHERE consumer LIKE 'school-directory/%'") >= 3, "the older events were consumed");

            Assert.Equal("GY Neuer Name", (await _probe.KnownSchoolsAsync()).Single(s => s.SchoolId == school).Name);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
