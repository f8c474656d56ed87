namespace Mep.Schools.Webhooks;

/// <summary>Settings of the schools' webhooks ("Webhooks" section); the defaults are production's, tests shorten the waits.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Whether this process sends deliveries (every replica may; they share the work safely).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>
    /// Allows http:// to loopback addresses (127.0.0.0/8, ::1, localhost) and loopback destinations at all, for a receiver on the same
    /// machine: off in production, on only in tests and <c>./mep up</c>'s local setup. Private, link-local and metadata addresses stay
    /// refused either way.
    /// </summary>
    public bool AllowLoopbackHttp { get; set; }

    /// <summary>How long one delivery may take, connecting and answering together: a receiver should answer at once and work later.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after a subscription's first failed delivery; each further failure doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Failed attempts in a row after which a subscription pauses (until the school resumes it). With the defaults, 10 failures span
    /// about three hours of a receiver being unreachable; nothing is lost meanwhile: deliveries wait for the resume.
    /// </summary>
    public int PauseAfterFailures { get; set; } = 10;

    /// <summary>How often an idle sender looks for deliveries that came due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Senders one replica runs, each delivering to one subscription at a time (one delivery each: a subscription's events go out in
    /// order). They claim and send independently: a slow receiver holds up only the sender working for it.
    /// </summary>
    public int ConcurrentSubscriptions { get; set; } = 4;

    /// <summary>
    /// A school's subscriptions being delivered to at once, over all senders and replicas: a school whose receivers answer slowly
    /// cannot occupy every sender while other schools' deliveries wait.
    /// </summary>
    public int ConcurrentDeliveriesPerSchool { get; set; } = 2;

    /// <summary>
    /// Base64 of 32 random bytes (<c>openssl rand -base64 32</c>): the key that encrypts subscriptions' signing secrets in the database
    /// (<see cref="WebhookSecretCipher"/>). Kept outside the database (a secret store, an environment variable); required outside
    /// Development and Testing, where a fixed development key stands in.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>Earlier values of <see cref="SecretKey"/>: they still open what they sealed, which is sealed again under the new key at start.</summary>
    public List<string> RetiredSecretKeys { get; set; } = [];

    /// <summary>How long a rotated-out secret still signs deliveries beside the new one, so a receiver can switch without losing any.</summary>
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A school's subscriptions at most.</summary>
    public int MaxSubscriptionsPerSchool { get; set; } = 10;

    /// <summary>How long events and their delivery logs are kept (also deliveries still waiting on a paused subscription).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    internal WebhookRetryPolicy RetryPolicy => new(RetryBaseDelay, RetryMaxDelay, PauseAfterFailures);
}
