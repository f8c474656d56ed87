using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Mep.Schools.Webhooks;

/// <summary>
/// Keeps subscriptions' signing secrets encrypted in the database (AES-256-GCM) with a key that is not in the database
/// (<see cref="WebhookOptions.SecretKey"/>): a copy of the database, a backup or a read-only SQL hole shows no secret a delivery's
/// signature could be forged with. A sealed secret reads <c>v1.{key id}.{nonce, ciphertext and tag, base64url}</c>; the key id
/// names the key it was sealed with, so the key can be rotated: the new one seals, retired ones (<see cref="WebhookOptions.RetiredSecretKeys"/>)
/// still open, and <see cref="WebhookSecretsAtRest"/> seals what they sealed again under the new one when the service starts. The
/// subscription's id is bound to the ciphertext (associated data): a sealed secret copied to another subscription's row does not open.
/// </summary>
public sealed class WebhookSecretCipher
{
    public const string Version = "v1";

    /// <summary>Base64 of the 32 bytes of an AES-256 key.</summary>
    public const int KeyBytes = 32;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _current;
    private readonly Dictionary<string, byte[]> _keys;

    public WebhookSecretCipher(IOptions<WebhookOptions> options) : this(options.Value.SecretKey!, options.Value.RetiredSecretKeys)
    {
    }

    /// <param name="currentKey">Base64 of <see cref="KeyBytes"/> bytes: seals, and opens what it sealed.</param>
    /// <param name="retiredKeys">Earlier keys, base64: they only open.</param>
    public WebhookSecretCipher(string currentKey, IEnumerable<string> retiredKeys)
    {
        _current = Convert.FromBase64String(currentKey);
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [KeyId(_current)] = _current };
        foreach (var key in retiredKeys.Select(Convert.FromBase64String))
        {
            _keys.TryAdd(KeyId(key), key);
        }

        CurrentKeyId = KeyId(_current);
    }

    /// <summary>The id of the key that seals now: a sealed secret naming another one is sealed again at start.</summary>
    public string CurrentKeyId { get; }

    /// <summary>Whether <paramref name="text"/> is a valid key setting: base64 of exactly <see cref="KeyBytes"/> bytes.</summary>
    public static bool IsKey(string? text)
    {
        var bytes = new byte[KeyBytes + 1];
        return !string.IsNullOrWhiteSpace(text) && Convert.TryFromBase64String(text, bytes, out var written) && written == KeyBytes;
    }

    public string Seal(Guid subscriptionId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), subscriptionId.ToByteArray());
        return $"{Version}.{CurrentKeyId}.{Base64Url.EncodeToString(sealedBytes)}";
    }

    /// <summary>The secret <see cref="Seal"/> sealed for this subscription.</summary>
    /// <exception cref="CryptographicException">It was sealed with a key this service no longer has, for another subscription, or altered.</exception>
    public string Open(Guid subscriptionId, string sealedSecret)
    {
        var parts = sealedSecret.Split('.');
        if (parts is not [Version, var keyId, var payload] || !_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException(
                "A webhook secret is sealed with a key this service does not have; add that key to Webhooks:RetiredSecretKeys.");
        }

        var sealedBytes = new byte[Base64Url.GetMaxDecodedLength(payload.Length)];
        if (Base64Url.DecodeFromChars(payload, sealedBytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written < NonceBytes + TagBytes)
        {
            throw new CryptographicException("A sealed webhook secret is damaged.");
        }

        var length = written - NonceBytes - TagBytes;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length),
            plain, subscriptionId.ToByteArray());
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Whether <paramref name="sealedSecret"/> is sealed with the current key (else it is sealed again at start).</summary>
    public bool IsSealedWithCurrentKey(string sealedSecret) => sealedSecret.StartsWith($"{Version}.{CurrentKeyId}.", StringComparison.Ordinal);

    /// <summary>Eight hex digits that name a key without revealing it (an HMAC of a fixed label under the key).</summary>
    private static string KeyId(byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, "mep-webhook-secret-key-id"u8))[..8];
}
