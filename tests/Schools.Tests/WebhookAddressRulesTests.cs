using System.Net;
using Mep.Schools.Webhooks;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>Which addresses a delivery may go to (server-side request forgery), without a host: the rules of <see cref="WebhookAddress"/>.</summary>
public sealed class WebhookAddressRulesTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("100.100.100.200")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:192.168.0.1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:a9fe:a9fe::1")]
    // The local-use NAT64 prefix: where its IPv4 address sits depends on the operator's prefix length, so none of it is public.
    [InlineData("64:ff9b:1::1")]
    [InlineData("64:ff9b:1:0808:0808::")]
    [InlineData("64:ff9b:1:ffff:ffff:ffff:ffff:ffff")]
    // IPv4-compatible addresses, whatever the IPv4 address inside.
    [InlineData("::8.8.8.8")]
    [InlineData("::a9fe:a9fe")]
    [InlineData("::127.0.0.1")]
    // SIIT's IPv4-translated addresses, whatever the IPv4 address inside.
    [InlineData("::ffff:0:8.8.8.8")]
    [InlineData("::ffff:0:a9fe:a9fe")]
    [InlineData("::ffff:0:7f00:1")]
    public void A_non_public_destination_is_refused(string address) =>
        Assert.False(WebhookAddress.IsPublicDestination(IPAddress.Parse(address), allowLoopback: false));

    [Theory]
    [InlineData("203.0.114.7")]
    [InlineData("8.8.8.8")]
    [InlineData("2a00:1450:4001:80e::200e")]
    [InlineData("::ffff:8.8.8.8")]
    // The well-known NAT64 prefix is judged by the IPv4 address inside.
    [InlineData("64:ff9b::808:808")]
    public void A_public_destination_is_allowed(string address) =>
        Assert.True(WebhookAddress.IsPublicDestination(IPAddress.Parse(address), allowLoopback: false));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.5.6.7", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    public void The_local_setting_allows_loopback_and_nothing_else(string address, bool allowed) =>
        Assert.Equal(allowed, WebhookAddress.IsPublicDestination(IPAddress.Parse(address), allowLoopback: true));

    [Theory]
    [InlineData("https://0x7f.1/", "webhook-address-not-public")]
    [InlineData("https://2130706433/", "webhook-address-not-public")]
    [InlineData("ftp://inventory.example-school.de/", "webhook-address-invalid")]
    [InlineData("inventory.example-school.de/hooks", "webhook-address-invalid")]
    [InlineData("https://inventory.example-school.de/hooks#top", "webhook-address-invalid")]
    [InlineData("http://localhost/hooks", "webhook-address-not-https")]
    [InlineData("https://[64:ff9b:1::808:808]/", "webhook-address-not-public")]
    [InlineData("https://[::ffff:0:a00:1]/", "webhook-address-not-public")]
    public void A_written_out_address_is_judged_before_any_lookup(string url, string rule)
    {
        var refused = Assert.Throws<DomainRuleException>(() => WebhookAddress.Parse(url, allowLoopbackHttp: false));

        Assert.Equal((rule, "url"), (refused.Rule, refused.Field));
    }

    [Fact]
    public void A_name_resolving_to_any_non_public_address_is_refused()
    {
        var address = WebhookAddress.Parse("https://inventory.example-school.de/hooks", allowLoopbackHttp: false);

        var refused = Assert.Throws<DomainRuleException>(() =>
            address.EnsureResolvesToPublic([IPAddress.Parse("203.0.114.7"), IPAddress.Parse("10.0.0.8")], allowLoopbackHttp: false));

        Assert.Equal("webhook-address-not-public", refused.Rule);
        Assert.Contains("10.0.0.8", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_port_is_allowed_on_a_public_address()
    {
        var address = WebhookAddress.Parse("https://203.0.114.7:8443/hooks", allowLoopbackHttp: false);

        Assert.Equal(8443, address.Uri.Port);
    }

    [Fact]
    public void An_https_address_on_the_internet_is_kept_as_written()
    {
        var address = WebhookAddress.Parse(" https://Inventory.Example-School.de/mep/hooks?school=90012 ", allowLoopbackHttp: false);

        Assert.Equal("https://inventory.example-school.de/mep/hooks?school=90012", address.ToString());
    }
}
