using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Mep.Console.Admin;

/// <summary>
/// Carries a just-issued key's secret from the form post to the page that shows it, once. The page after a post is a redirect (so a
/// reload does not issue a second key); the secret must not ride in that address, so it goes in a cookie encrypted with the console's
/// Data Protection keys, HttpOnly, for the key page only, living two minutes, and the page deletes it as it shows the secret. A reload
/// then finds no cookie, and the secret is gone for good.
/// </summary>
public static class IssuedKeyHandoff
{
    private const string CookieName = "mep-neuer-schluessel";
    private const string Purpose = "Mep.Console.Admin.IssuedKey";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public sealed record Handed(string KeyId, string Label, string Key, bool Rotated);

    public static void Hand(HttpContext http, AdminIssuedApiKey issued, bool rotated)
    {
        var protector = Protector(http);
        var payload = JsonSerializer.Serialize(new Handed(issued.KeyId, issued.Label, issued.Key, rotated));
        http.Response.Cookies.Append(CookieName, protector.Protect(payload, Lifetime), Options(http, Lifetime));
    }

    /// <summary>The secret of <paramref name="keyId"/>, if this browser was just handed it; the cookie is deleted either way.</summary>
    public static Handed? Take(HttpContext http, string keyId)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value))
        {
            return null;
        }

        http.Response.Cookies.Delete(CookieName, Options(http, TimeSpan.Zero));
        try
        {
            var handed = JsonSerializer.Deserialize<Handed>(Protector(http).Unprotect(value));
            return handed?.KeyId == keyId ? handed : null;
        }
        catch (CryptographicException)
        {
            // Expired, or not ours: nothing to show.
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();

    private static CookieOptions Options(HttpContext http, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = AdminPages.SchoolKeys,
        MaxAge = lifetime > TimeSpan.Zero ? lifetime : null,
        IsEssential = true,
    };
}
