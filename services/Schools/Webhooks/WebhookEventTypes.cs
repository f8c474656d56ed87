namespace Mep.Schools.Webhooks;

/// <summary>The events a school's software subscribes to, by the name a delivery's <c>type</c> carries.</summary>
public static class WebhookEventTypes
{
    /// <summary>Devices entered the school's inventory (one event per registration, up to <see cref="WebhookEvents.DevicesPerEvent"/> devices).</summary>
    public const string DeviceRegistered = "device.registered";

    /// <summary>A device's facts, status or room changed; <c>data.change</c> says which ("updated", "status", "moved").</summary>
    public const string DeviceChanged = "device.changed";

    /// <summary>A device left the inventory for good.</summary>
    public const string DeviceRetired = "device.retired";

    /// <summary>A ticket of the school was opened (by the school or by the service desk for it).</summary>
    public const string TicketOpened = "ticket.opened";

    /// <summary>A ticket of the school changed its status, or staff answered it publicly.</summary>
    public const string TicketChanged = "ticket.changed";

    public static readonly IReadOnlyList<string> All = [DeviceRegistered, DeviceChanged, DeviceRetired, TicketOpened, TicketChanged];

    // The pattern and its explanation are attribute arguments, so constants: made of the names above rather than written out again.
    // A name's dot stands unescaped in the pattern (a constant cannot escape it), so the pattern lets "deviceXregistered" through; the
    // subscription's own check of the names against All refuses it (422 naming eventTypes).

    /// <summary>The names as a pattern, for the request's declared limits.</summary>
    public const string Pattern = $"^({DeviceRegistered}|{DeviceChanged}|{DeviceRetired}|{TicketOpened}|{TicketChanged})$";

    public const string PatternExplanation = $"Use {DeviceRegistered}, {DeviceChanged}, {DeviceRetired}, {TicketOpened} or {TicketChanged}.";

    /// <summary>The names as a sentence lists them ("a, b or c").</summary>
    public static string Listed => $"{string.Join(", ", All.SkipLast(1))} or {All[^1]}";

    public const int MaxLength = 40;
}
