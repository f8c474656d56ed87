using System.Net;
using Mep.Contracts.Assets;
using Mep.Schools.Webhooks;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>
/// Server-side request forgery: a subscription's address must be https and public. Checked when it is subscribed, also for names,
/// after resolving them; here on a host that allows loopback for local receivers (as tests and ./mep up do), which changes nothing else.
/// </summary>
public sealed class WebhookAddressTests(WebhooksApi api) : IClassFixture<WebhooksApi>
{
    private async Task<HttpResponseMessage> SubscribeAsync(string url)
    {
        var (school, key) = await api.SchoolAsync();
        return await key.PostAsync($"/api/schools/{school}/webhooks", Json.Body(new { url, eventTypes = new[] { "device.retired" } }));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string rule)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        Assert.Equal(["url"], problem.ErrorFields());
    }

    [Theory]
    [InlineData("https://10.0.0.5/mep/webhooks")]
    [InlineData("https://172.16.3.4/")]
    [InlineData("https://192.168.178.1/")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://100.64.0.1/")]
    [InlineData("https://0.0.0.0/")]
    [InlineData("https://[fd00:ec2::254]/")]
    [InlineData("https://[fe80::1]/")]
    [InlineData("https://[::ffff:10.0.0.1]/")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("https://intranet/webhooks")]
    public async Task A_private_link_local_or_metadata_address_is_refused_with_422(string url) =>
        await AssertRefusedAsync(await SubscribeAsync(url), "webhook-address-not-public");

    [Fact]
    public async Task Plain_http_to_a_public_host_is_refused_with_422() =>
        await AssertRefusedAsync(await SubscribeAsync("http://inventory.example-school.de/mep/webhooks"), "webhook-address-not-https");

    [Fact]
    public async Task An_address_with_credentials_is_refused_with_422() =>
        await AssertRefusedAsync(await SubscribeAsync("https://user:password@inventory.example-school.de/"), "webhook-address-invalid");

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused_with_422() =>
        await AssertRefusedAsync(await SubscribeAsync("https://inventory.example-school.invalid/"), "webhook-address-unresolvable");

    [Fact]
    public async Task A_host_name_longer_than_any_resolver_takes_is_refused_with_422() =>
        await AssertRefusedAsync(await SubscribeAsync($"https://{string.Join('.', Enumerable.Repeat(new string('a', 60), 5))}.de/"), "webhook-address-unresolvable");

    [Fact]
    public async Task An_address_that_grows_beyond_its_limit_once_encoded_is_refused_with_422() =>
        await AssertRefusedAsync(await SubscribeAsync($"https://inventory.example-school.de/{new string('ä', 1900)}"), "webhook-address-invalid");

    [Fact]
    public async Task Plain_http_to_loopback_is_allowed_only_where_the_local_setting_says_so()
    {
        var response = await SubscribeAsync("http://127.0.0.1:9/mep/webhooks");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

/// <summary>The same on a host with production's settings: loopback is refused at subscription time and again when a delivery connects.</summary>
public sealed class WebhookAddressWithoutLoopbackTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Theory]
    [InlineData("https://127.0.0.1/mep/webhooks", "webhook-address-not-public")]
    [InlineData("https://localhost/mep/webhooks", "webhook-address-not-public")]
    [InlineData("https://[::1]/", "webhook-address-not-public")]
    [InlineData("https://2130706433/", "webhook-address-not-public")]
    [InlineData("https://localhost./", "webhook-address-not-public")]
    [InlineData("http://127.0.0.1:8080/mep/webhooks", "webhook-address-not-https")]
    public async Task Loopback_is_refused_with_422(string url, string rule)
    {
        var school = await api.Planner.RegisterSchoolAsync();
        var key = api.ClientWithSchoolKey((await api.Admin.IssueKeyAsync(school)).Key);

        var response = await key.PostAsync($"/api/schools/{school}/webhooks", Json.Body(new { url, eventTypes = new[] { "device.retired" } }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_by_delivery_time_is_not_connected_to()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var school = await api.Planner.RegisterSchoolAsync();
        var key = api.ClientWithSchoolKey((await api.Admin.IssueKeyAsync(school)).Key);
        // As if the name had resolved to a public address when it was subscribed and resolves to this host now (DNS rebinding).
        var subscription = Guid.NewGuid();
        var secret = api.Services.GetRequiredService<WebhookSecretCipher>().Seal(subscription, "whsec_test");
        await api.Database.ExecuteAsync($"""
            INSERT INTO webhook_subscriptions (id, school_id, url, event_types, secret, status, consecutive_failures, next_attempt_at, created_at, created_by)
            VALUES ('{subscription}', '{school}', 'https://localhost:{receiver.Port}/mep/webhooks', ARRAY['device.retired'], '{secret}', 'Active', 0,
                now(), now(), 'test')
            """);
        var bus = api.Broker.CreateBus();
        await bus.StartAsync();
        try
        {
            await bus.Publish(new DeviceRetired(Guid.NewGuid(), school, DateTimeOffset.UtcNow));
        }
        finally
        {
            await bus.StopAsync();
        }

        await Eventually.AssertAsync(async () => (await WebhooksApi.DeliveriesAsync(key, school, subscription)) is [var delivery]
                && delivery.GetProperty("attempts").GetInt32() >= 1,
            "the delivery was attempted");

        var attempted = (await WebhooksApi.DeliveriesAsync(key, school, subscription)).Single();
        Assert.Equal("pending", attempted.GetProperty("status").GetString());
        Assert.Matches("^localhost resolves to (127\\.0\\.0\\.1|::1), which is not a public internet address; not connected\\.$",
            attempted.GetProperty("lastError").GetString());
        Assert.Empty(receiver.Received);
    }
}
