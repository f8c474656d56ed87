using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mep.Schools.Webhooks;

/// <summary>
/// How a delivery is signed, so that a receiver knows it comes from the platform and is fresh: HMAC-SHA256, keyed with the UTF-8 bytes
/// of the subscription's secret, over "{id}.{timestamp}.{body}" (the event's id as sent in <see cref="IdHeader"/>, the timestamp as Unix
/// seconds as sent in <see cref="TimestampHeader"/>, and the body's exact bytes), written as <c>v1=&lt;lowercase hex&gt;</c>. The id is
/// signed because receivers deduplicate on it: unsigned, a captured delivery could be replayed within the timestamp's window under a
/// fresh id and be taken as a new event. While a rotated-out secret still overlaps, the signature
/// header carries one <c>v1=</c> per secret, separated by ", ": a receiver accepts the delivery if any of them matches its secret.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The event's id: the same for every attempt and redelivery of one event, for the receiver to deduplicate on.</summary>
    public const string IdHeader = "Mep-Webhook-Id";

    public const string EventHeader = "Mep-Webhook-Event";
    public const string TimestampHeader = "Mep-Webhook-Timestamp";
    public const string SignatureHeader = "Mep-Webhook-Signature";

    /// <summary>Which attempt of the delivery this is (1 for the first).</summary>
    public const string AttemptHeader = "Mep-Webhook-Attempt";

    public const string Version = "v1";

    public static string Sign(IReadOnlyList<string> secrets, Guid eventId, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes($"{eventId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}");
        return string.Join(", ", secrets.Select(secret =>
            $"{Version}={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}"));
    }
}
