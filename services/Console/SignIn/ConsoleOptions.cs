namespace Mep.Console.SignIn;

/// <summary>Configuration section "Console": the identity provider people sign in with, and where the platform's APIs are.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The OpenID Connect provider: the city's (e.g. its Keycloak realm), or the local one of <c>./mep up</c> at {edge}/identity/.</summary>
    public Uri? Authority { get; set; }

    public string ClientId { get; set; } = "mep-console";

    public string? ClientSecret { get; set; }

    /// <summary>Whether the provider's metadata must come over HTTPS (true outside development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// Where the console reaches the APIs, server to server: the edge (./mep up: http://localhost:8080), so the console passes the
    /// same door, limits and routes as every other caller.
    /// </summary>
    public Uri? ApiBaseAddress { get; set; }

    /// <summary>
    /// Where the keys that protect the session cookie are kept. Every instance of the console must share them (a file share or a
    /// mounted volume), or a person signed in through one instance is signed out by the next. Empty: kept in memory (one
    /// instance, sessions end on restart).
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>How long a session lasts without use; the provider's refresh token bounds it too.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);
}
