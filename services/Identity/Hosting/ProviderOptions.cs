namespace Mep.Identity.Hosting;

/// <summary>
/// Configuration section "Identity": the provider's keys, the audience of its access tokens, the clients it serves and the
/// demo people who may sign in. ./mep up and the tests generate the keys; nothing here has a usable default.
/// </summary>
public sealed class ProviderOptions
{
    public const string Section = "Identity";

    /// <summary>PEM text of an RSA private key (PKCS#8 or PKCS#1) that signs every token (RS256).</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>Base64 of 32 bytes: encrypts what only the provider reads back (authorization codes, refresh tokens).</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>The <c>aud</c> of access tokens: what the services expect (their Auth:Audience).</summary>
    public string Audience { get; set; } = "mep-platform";

    public List<ClientOptions> Clients { get; set; } = [];

    public List<PersonOptions> People { get; set; } = [];
}

/// <summary>A confidential client: authorization code with PKCE, refresh tokens.</summary>
public sealed class ClientOptions
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];
}

/// <summary>A person who may sign in, with the platform roles the tokens carry.</summary>
public sealed class PersonOptions
{
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public List<string> Roles { get; set; } = [];

    /// <summary>The school a school's IT contact (role school) acts for; nobody else has one.</summary>
    public string? SchoolId { get; set; }
}
