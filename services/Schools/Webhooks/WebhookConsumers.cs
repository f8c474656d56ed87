using MassTransit;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.Messaging;
using Mep.Schools.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Webhooks;

/// <summary>
/// Assets' device events and Support's ticket events, turned into deliveries for the subscriptions of the school they concern. Each
/// integration event is applied once (inbox), so a redelivered one makes no second webhook event; the event and its deliveries are
/// written in the inbox's transaction, and the sender sends them once committed.
/// </summary>
public static class WebhookConsumers
{
    public static IBusRegistrationConfigurator AddWebhookConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<WebhookDevicesRegistered>();
        bus.AddConsumer<WebhookDeviceUpdated>();
        bus.AddConsumer<WebhookDeviceStatusChanged>();
        bus.AddConsumer<WebhookDeviceMoved>();
        bus.AddConsumer<WebhookDeviceRetired>();
        bus.AddConsumer<WebhookTicketOpened>();
        bus.AddConsumer<WebhookTicketChanged>();
        return bus;
    }

    /// <summary>Base of the consumers: each maps its event to the schools' events (<see cref="WebhookEvents"/>).</summary>
    public abstract class WebhookConsumer<TMessage>(SchoolsDbContext db, TimeProvider clock, Func<TMessage, IReadOnlyList<SchoolEvent>> map)
        : IdempotentConsumer<TMessage, SchoolsDbContext>(db, clock) where TMessage : class
    {
        protected override Task HandleAsync(TMessage message, ConsumeContext<TMessage> context) =>
            RecordAsync(Db, map(message), Clock.GetUtcNow(), context.CancellationToken);
    }

    public sealed class WebhookDevicesRegistered(SchoolsDbContext db, TimeProvider clock) : WebhookConsumer<DevicesRegistered>(db, clock, WebhookEvents.Of)
    {
        protected override string ConsumerName => "schools/webhooks/devices-registered";
    }

    public sealed class WebhookDeviceUpdated(SchoolsDbContext db, TimeProvider clock) : WebhookConsumer<DeviceUpdated>(db, clock, WebhookEvents.Of)
    {
        protected override string ConsumerName => "schools/webhooks/device-updated";
    }

    public sealed class WebhookDeviceStatusChanged(SchoolsDbContext db, TimeProvider clock)
        : WebhookConsumer<DeviceStatusChanged>(db, clock, WebhookEvents.Of)
    {
        protected override string ConsumerName => "schools/webhooks/device-status-changed";
    }

    public sealed class WebhookDeviceMoved(SchoolsDbContext db, TimeProvider clock) : WebhookConsumer<DeviceMoved>(db, clock, WebhookEvents.Of)
    {
        protected override string ConsumerName => "schools/webhooks/device-moved";
    }

    public sealed class WebhookDeviceRetired(SchoolsDbContext db, TimeProvider clock) : WebhookConsumer<DeviceRetired>(db, clock, WebhookEvents.Of)
    {
        protected override string ConsumerName => "schools/webhooks/device-retired";
    }

    public sealed class WebhookTicketOpened(SchoolsDbContext db, TimeProvider clock) : WebhookConsumer<TicketOpened>(db, clock, WebhookEvents.Of)
    {
        protected override string ConsumerName => "schools/webhooks/ticket-opened";
    }

    public sealed class WebhookTicketChanged(SchoolsDbContext db, TimeProvider clock) : WebhookConsumer<TicketChanged>(db, clock, WebhookEvents.Of)
    {
        protected override string ConsumerName => "schools/webhooks/ticket-changed";
    }

    /// <summary>
    /// Keeps each event that a subscription of its school wants, with one delivery per such subscription (paused ones too: their
    /// deliveries wait for the resume). An event no subscription wants is not kept.
    /// </summary>
    private static async Task RecordAsync(SchoolsDbContext db, IReadOnlyList<SchoolEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var schools = events.Select(e => e.SchoolId).Distinct().ToList();
        var subscriptions = await db.Set<WebhookSubscription>().Where(s => schools.Contains(s.SchoolId)).ToListAsync(cancellationToken);
        foreach (var schoolEvent in events)
        {
            var interested = subscriptions.Where(s => s.SchoolId == schoolEvent.SchoolId && s.Wants(schoolEvent.Type)).ToList();
            if (interested.Count == 0)
            {
                continue;
            }

            var webhookEvent = WebhookEvent.Create(schoolEvent.SchoolId, schoolEvent.Type, schoolEvent.OccurredAt, schoolEvent.Data, now);
            db.Add(webhookEvent);
            db.AddRange(interested.Select(s => s.Offer(webhookEvent, now)!));
        }
    }
}
