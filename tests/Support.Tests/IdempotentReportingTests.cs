using System.Net;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// Reports sent with an Idempotency-Key: a retry answers as the first attempt did and opens nothing, whether it comes
/// after the first one, at the same time, or when the report would be refused by now.
/// </summary>
public sealed class IdempotentReportingTests(SupportApi api) : IClassFixture<SupportApi>
{
    private Task<long> TicketsOfAsync(TestSchool school) =>
        api.Database.ScalarAsync<long>($"SELECT count(*) FROM tickets WHERE school_id = '{school.Id}'");

    [Fact]
    public async Task A_retried_report_with_the_same_idempotency_key_gets_the_first_answer_and_opens_one_ticket()
    {
        var school = await api.SchoolAsync();
        var client = api.ClientFor(school);
        client.DefaultRequestHeaders.Add("Idempotency-Key", Guid.NewGuid().ToString());

        var first = await client.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("portal")));
        var retry = await client.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("portal")));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1, await TicketsOfAsync(school));
    }

    [Fact]
    public async Task Another_report_under_a_used_idempotency_key_is_a_422_and_opens_nothing()
    {
        var school = await api.SchoolAsync();
        var client = api.ClientFor(school);
        client.DefaultRequestHeaders.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("portal")))).StatusCode);

        var otherBody = await client.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("mail")));

        await otherBody.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.IdempotencyKeyReused);
        Assert.Equal(1, await TicketsOfAsync(school));
    }

    [Fact]
    public async Task Eight_concurrent_sends_of_one_report_with_one_key_open_one_ticket_and_all_get_its_answer()
    {
        var school = await api.SchoolAsync();
        var key = Guid.NewGuid().ToString();
        var sends = Enumerable.Range(0, 8).Select(async _ =>
        {
            var client = api.ClientFor(school);
            client.DefaultRequestHeaders.Add("Idempotency-Key", key);
            var response = await client.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("accounts")));
            return (response.StatusCode, Id: (await response.ReadJsonAsync()).GetProperty("id").GetGuid());
        });

        var answers = await Task.WhenAll(sends);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.StatusCode));
        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Equal(1, await TicketsOfAsync(school));
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Support.TicketOpened' AND aggregate_id = '{answers[0].Id}'"));
    }

    [Fact]
    public async Task A_retry_after_the_device_was_retired_answers_as_the_first_attempt_did()
    {
        var school = await api.SchoolAsync(devices: new TestDevice("TAB-RETRY-1"));
        var client = api.ClientFor(school);
        client.DefaultRequestHeaders.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var report = SupportApi.Report("device-hardware", fields: ("deviceSerial", "TAB-RETRY-1"));
        var first = await client.PostAsync("/api/support/tickets", Json.Body(report));
        await api.PublishAsync(new DeviceRetired(school.Devices["TAB-RETRY-1"], school.Id, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<bool>(
            $"SELECT retired FROM known_devices WHERE device_id = '{school.Devices["TAB-RETRY-1"]}'"), "Support knows the device is retired");

        var retry = await client.PostAsync("/api/support/tickets", Json.Body(report));
        var withoutKey = await api.ClientFor(school).PostAsync("/api/support/tickets", Json.Body(report));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(["deviceSerial"], (await withoutKey.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule)).ErrorFields());
        Assert.Equal(1, await TicketsOfAsync(school));
    }
}
