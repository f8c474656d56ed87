using System.Security.Cryptography;
using System.Text;

namespace Mep.ServiceDefaults.Auth;

/// <summary>
/// School API keys look like <c>mep_sk_{keyId}_{secret}</c>: the key id is public and finds the stored
/// record; the secret is 32 random bytes, shown once at issue and stored only as its SHA-256 hash (a
/// slow hash adds nothing for 256 random bits, and keeps each request cheap).
/// </summary>
public static class SchoolApiKeyFormat
{
    private const string Prefix = "mep_sk_";
    private const int KeyIdBytes = 9;
    private const int SecretBytes = 32;

    /// <summary>A whole key: "mep_sk_", the 12-character id, "_", and the 43-character secret.</summary>
    public const int KeyLength = 7 + 12 + 1 + 43;

    public sealed record IssuedKey(string KeyId, string PlainTextKey, byte[] SecretHash);

    public static IssuedKey Issue()
    {
        var keyId = Base64Url(RandomNumberGenerator.GetBytes(KeyIdBytes));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        return new IssuedKey(keyId, $"{Prefix}{keyId}_{secret}", Hash(secret));
    }

    public static bool TryParse(string? presented, out string keyId, out string secret)
    {
        keyId = secret = string.Empty;
        if (presented is null || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = presented.AsSpan(Prefix.Length);
        // Base64url may contain '_', so the key id is cut at its fixed length (9 bytes = 12 characters), not at a '_'.
        const int keyIdLength = 12;
        if (rest.Length < keyIdLength + 2 || rest[keyIdLength] != '_')
        {
            return false;
        }

        keyId = rest[..keyIdLength].ToString();
        secret = rest[(keyIdLength + 1)..].ToString();
        return true;
    }

    public static bool SecretMatches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>What authentication needs to know about a stored key.</summary>
public sealed record SchoolApiKeyRecord(string KeyId, Guid SchoolId, byte[] SecretHash, DateTimeOffset? RevokedAt);

/// <summary>
/// Where a service looks up school keys. Schools owns the keys and implements this on its own table;
/// other services implement it on the replica they keep from Schools' key events.
/// </summary>
public interface ISchoolApiKeyStore
{
    Task<SchoolApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>Records that the key was used (implementations may coarsen this to avoid a write per request).</summary>
    Task MarkUsedAsync(string keyId, DateTimeOffset usedAt, CancellationToken cancellationToken);
}
