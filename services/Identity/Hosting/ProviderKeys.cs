using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Mep.Identity.Hosting;

/// <summary>The provider's two keys, read from configuration once: the RSA key that signs (RS256) and the AES key that encrypts.</summary>
public sealed class ProviderKeys
{
    public const int EncryptionKeyBytes = 32;
    public const int MinimumRsaBits = 2048;

    private ProviderKeys(RsaSecurityKey signing, SymmetricSecurityKey encryption) => (Signing, Encryption) = (signing, encryption);

    public RsaSecurityKey Signing { get; }

    public SymmetricSecurityKey Encryption { get; }

    public static ProviderKeys From(ProviderOptions options)
    {
        var signing = SigningKey(options.SigningKeyPem, out var signingError) ?? throw new InvalidOperationException(signingError);
        var encryption = EncryptionKey(options.EncryptionKey, out var encryptionError) ?? throw new InvalidOperationException(encryptionError);
        return new ProviderKeys(signing, encryption);
    }

    /// <summary>The signing key, named by its RFC 7638 thumbprint so that services find it in the JWKS by <c>kid</c>.</summary>
    internal static RsaSecurityKey? SigningKey(string? pem, out string error)
    {
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(pem))
        {
            error = "Identity:SigningKeyPem is not configured: the PEM text of an RSA private key (PKCS#8 or PKCS#1) that signs the tokens.";
            return null;
        }

        // Kept for the process's lifetime: OpenIddict signs with it on every token.
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // A public key imports too, but cannot sign.
            _ = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            error = "Identity:SigningKeyPem is not the PEM text of an RSA private key (PKCS#8 \"PRIVATE KEY\" or PKCS#1 \"RSA PRIVATE KEY\").";
            return null;
        }

        if (rsa.KeySize is var bits && bits < MinimumRsaBits)
        {
            rsa.Dispose();
            error = $"Identity:SigningKeyPem is an RSA key of {bits} bits; at least {MinimumRsaBits} are needed.";
            return null;
        }

        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))).ComputeJwkThumbprint());
        return key;
    }

    internal static SymmetricSecurityKey? EncryptionKey(string? base64, out string error)
    {
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(base64))
        {
            error = $"Identity:EncryptionKey is not configured: base64 of {EncryptionKeyBytes} random bytes.";
            return null;
        }

        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), bytes, out var length) || length != EncryptionKeyBytes)
        {
            error = $"Identity:EncryptionKey must be base64 of exactly {EncryptionKeyBytes} bytes.";
            return null;
        }

        return new SymmetricSecurityKey(bytes[..length]);
    }
}
