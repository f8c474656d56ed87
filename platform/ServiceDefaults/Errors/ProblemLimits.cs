namespace Mep.ServiceDefaults.Errors;

/// <summary>
/// How long the members of a problem document can be. The OpenAPI document promises these, so every problem is held to them where
/// it is written (<see cref="ProblemDetailsSetup"/>): a detail or message that echoes a client's input cannot grow beyond them.
/// </summary>
public static class ProblemLimits
{
    public const int MaxTitleLength = 200;
    public const int MaxDetailLength = 2_000;

    /// <summary>The request's path; the server refuses a request line over 8 KiB (Kestrel's default), so no path is longer.</summary>
    public const int MaxInstanceLength = 8_192;

    /// <summary>A W3C trace id is 32 hex digits; without an activity the server's request id, shorter still.</summary>
    public const int MaxTraceIdLength = 64;

    public const int MaxRuleLength = 100;
    public const int MaxMessagesPerField = 20;
    public const int MaxMessageLength = 500;

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxLength"/> characters, marking the cut.</summary>
    public static string? Cut(string? text, int maxLength) => Validation.Texts.Cut(text, maxLength);
}
