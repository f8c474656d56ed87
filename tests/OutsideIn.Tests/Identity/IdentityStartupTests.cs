extern alias identity;

using System.Net;
using identity::Mep.Identity.Data;
using Mep.ServiceDefaults.Auth;
using OpenIddict.Abstractions;

namespace Mep.OutsideIn.Tests.Identity;

/// <summary>How the provider starts: its schema, its clients, and what it refuses to start with.</summary>
public sealed class IdentityStartupTests
{
    private static readonly Uri Edge = new("http://127.0.0.1:1/");

    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = SignInClient.ClientSettings(Edge);
        settings["Identity:People:0:UserName"] = "anna";
        settings["Identity:People:0:Password"] = "geheim";
        settings["Identity:People:0:Roles:0"] = PlatformRoles.Agent;
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Theory]
    [InlineData("Identity:SigningKeyPem", "")]
    [InlineData("Identity:SigningKeyPem", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----")]
    [InlineData("Identity:EncryptionKey", "")]
    [InlineData("Identity:EncryptionKey", "c2hvcnQ=")]
    public async Task Without_a_usable_key_the_provider_does_not_start_and_names_the_setting(string key, string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => IdentityHost.StartAsync("nokey", Edge, Settings((key, value))));

        Assert.Contains(key, Flatten(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_school_contact_without_a_school_id_stops_the_start_and_names_the_person()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => IdentityHost.StartAsync("noschool", Edge,
            Settings(("Identity:People:1:UserName", "schule"), ("Identity:People:1:Password", "geheim"), ("Identity:People:1:Roles:0", PlatformRoles.School))));

        Assert.Contains("Identity:People:1:SchoolId", Flatten(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_its_migrations_build_agrees_with_the_openiddict_model()
    {
        await using var identity = await IdentityHost.StartAsync("schema", Edge, Settings());
        await using var scope = identity.Services.CreateAsyncScope();

        await SchemaAgreement.AssertModelMatchesDatabaseAsync(scope.ServiceProvider.GetRequiredService<IdentityDbContext>());
    }

    [Fact]
    public async Task Two_providers_starting_at_once_on_an_empty_database_both_come_up_with_the_client_registered_once()
    {
        await using var database = await PostgresDatabase.CreateAsync("identityreplicas", create: false);

        var started = await Task.WhenAll(
            Task.Run(() => IdentityHost.StartOnAsync(database, Edge, Settings())),
            Task.Run(() => IdentityHost.StartOnAsync(database, Edge, Settings())));

        await using var first = started[0];
        await using var second = started[1];
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(first.Address, "/identity/health/ready"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(second.Address, "/identity/health/ready"))).StatusCode);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM openiddict_applications"));
    }

    [Fact]
    public async Task A_changed_client_secret_in_configuration_replaces_the_stored_one_at_the_next_start()
    {
        await using var database = await PostgresDatabase.CreateAsync("identitysecret", create: false);
        await (await IdentityHost.StartOnAsync(database, Edge, Settings())).DisposeAsync();

        await using var restarted = await IdentityHost.StartOnAsync(database, Edge, Settings(("Identity:Clients:0:ClientSecret", "a-new-secret")));

        await using var scope = restarted.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var client = await applications.FindByClientIdAsync(SignInClient.ClientId);
        Assert.True(await applications.ValidateClientSecretAsync(client!, "a-new-secret"));
        Assert.False(await applications.ValidateClientSecretAsync(client!, SignInClient.ClientSecret));
    }

    private static string Flatten(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" | ", messages);
    }
}
