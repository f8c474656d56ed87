namespace Mep.ServiceDefaults.Auth;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Expected <c>iss</c> of staff tokens signed with <see cref="SigningKey"/>.</summary>
    public string Issuer { get; set; } = "mep-local";

    /// <summary>Expected <c>aud</c> of every staff token.</summary>
    public string Audience { get; set; } = "mep-platform";

    /// <summary>Base64 symmetric key (at least 32 bytes) for locally issued tokens (development, tests). Empty: none accepted.</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect authority (e.g. the city's Keycloak realm); its signing keys and issuer are trusted when set.</summary>
    public string? Authority { get; set; }

    /// <summary>Whether the authority's metadata must come over HTTPS (true outside development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Claims that carry roles; "roles" covers most identity providers, "role" our own tokens.</summary>
    public string[] RoleClaims { get; set; } = ["role", "roles"];

    /// <summary>Allowed clock difference between issuer and service.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
