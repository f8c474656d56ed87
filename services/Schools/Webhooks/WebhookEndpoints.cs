using System.Security.Claims;
using System.Text.Json;
using Mep.Contracts;
using Mep.Schools.Data;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Schools.Webhooks;

/// <summary>
/// A school's webhook subscriptions, managed with its key; admins see them too, and may pause, resume, delete and redeliver (never see
/// or make a secret). A school key names its own school only: any other school, and any subscription of another school, is a 404.
/// </summary>
public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/webhooks", CreateWebhookSubscription).RequireAuthorization(SchoolsAccess.SubscribeWebhooks)
            .WithName(nameof(CreateWebhookSubscription))
            .WithSummary("Subscribe an https address to some of the school's events; the answer shows the signing secret this once.")
            .WithDescription($"Event types: {WebhookEventTypes.Listed}. The address must be "
                + "https and public: loopback, private, link-local and metadata addresses (also names resolving to them) are a 422. Deliveries "
                + "are POSTs signed with HMAC-SHA256 over \"{id}.{timestamp}.{body}\" (README, \"Webhooks\"): headers Mep-Webhook-Id, -Event, -Timestamp, "
                + "-Signature (v1=hex). Any port is allowed.");
        group.MapGet("/{id:guid}/webhooks", ListWebhookSubscriptions).RequireAuthorization(SchoolsAccess.ReadWebhooks)
            .WithName(nameof(ListWebhookSubscriptions)).WithSummary("The school's webhook subscriptions, newest first (never a secret).");
        group.MapGet("/{id:guid}/webhooks/{subscriptionId:guid}", GetWebhookSubscription).RequireAuthorization(SchoolsAccess.ReadWebhooks)
            .WithName(nameof(GetWebhookSubscription)).WithSummary("One webhook subscription: its state, why it paused, what is waiting.");
        group.MapDelete("/{id:guid}/webhooks/{subscriptionId:guid}", DeleteWebhookSubscription).RequireAuthorization(SchoolsAccess.ManageWebhooks)
            .WithName(nameof(DeleteWebhookSubscription)).WithSummary("Delete a subscription with its waiting deliveries and its delivery log.");
        group.MapPost("/{id:guid}/webhooks/{subscriptionId:guid}/pause", PauseWebhookSubscription).RequireAuthorization(SchoolsAccess.ManageWebhooks)
            .WithName(nameof(PauseWebhookSubscription))
            .WithSummary("Pause deliveries; events keep being collected and go out, in order, when the subscription is resumed.");
        group.MapPost("/{id:guid}/webhooks/{subscriptionId:guid}/resume", ResumeWebhookSubscription).RequireAuthorization(SchoolsAccess.ManageWebhooks)
            .WithName(nameof(ResumeWebhookSubscription))
            .WithSummary("Resume a paused subscription (paused by hand or after repeated failure); what waited goes out at once.");
        group.MapPost("/{id:guid}/webhooks/{subscriptionId:guid}/rotate-secret", RotateWebhookSecret).RequireAuthorization(SchoolsAccess.SubscribeWebhooks)
            .WithName(nameof(RotateWebhookSecret))
            .WithSummary("Make a new signing secret, shown this once; for a day deliveries carry signatures with the old and the new one.");
        group.MapGet("/{id:guid}/webhooks/{subscriptionId:guid}/deliveries", ListWebhookDeliveries).RequireAuthorization(SchoolsAccess.ReadWebhooks)
            .WithName(nameof(ListWebhookDeliveries))
            .WithSummary("The delivery log, newest first: each event's delivery, its attempts, the last status code or error.");
        group.MapGet("/{id:guid}/webhooks/{subscriptionId:guid}/deliveries/{deliveryId:guid}", GetWebhookDelivery)
            .RequireAuthorization(SchoolsAccess.ReadWebhooks)
            .WithName(nameof(GetWebhookDelivery))
            .WithSummary("One delivery with its body and every attempt (time, duration, status code, the start of the answer).");
        group.MapPost("/{id:guid}/webhooks/{subscriptionId:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverWebhook)
            .RequireAuthorization(SchoolsAccess.ManageWebhooks)
            .WithName(nameof(RedeliverWebhook))
            .WithSummary("Send a delivered event again, with the same Mep-Webhook-Id and a fresh signature (a paused subscription sends it on resume).");
        return group;
    }

    public static async Task<Results<Created<WebhookSubscriptionCreatedResponse>, ProblemHttpResult>> CreateWebhookSubscription(Guid id,
        WebhookSubscriptionRequest request, ClaimsPrincipal user, SchoolsDbContext db, IOptions<WebhookOptions> options, WebhookSecretCipher cipher,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await db.IsVisibleSchoolAsync(user, id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var settings = options.Value;
        var address = WebhookAddress.Parse(request.Url!, settings.AllowLoopbackHttp);
        if (address.Literal is null)
        {
            address.EnsureResolvesToPublic(await WebhookDestinations.ResolveAsync(address.Host, cancellationToken), settings.AllowLoopbackHttp);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var (subscription, secret) = await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The school's subscriptions are counted and the new one added in turn: two at once would both see room for one more.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"webhook-subscriptions/" + id}, 0))", cancellationToken);
            var existing = await db.Set<WebhookSubscription>().Where(s => s.SchoolId == id).ToListAsync(cancellationToken);
            var created = WebhookSubscription.Create(id, address, request.EventTypes!, request.Description, existing,
                settings.MaxSubscriptionsPerSchool, user.Actor(), cipher, clock.GetUtcNow());
            db.Add(created.Subscription);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return created;
        });
        return TypedResults.Created($"{SchoolsService.PathPrefix}/{id}/webhooks/{subscription.Id}",
            new WebhookSubscriptionCreatedResponse(WebhookSubscriptionResponse.From(subscription, 0), secret));
    }

    public static async Task<Results<Ok<List<WebhookSubscriptionResponse>>, ProblemHttpResult>> ListWebhookSubscriptions(Guid id,
        ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.IsVisibleSchoolAsync(user, id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var subscriptions = await db.Set<WebhookSubscription>().Where(s => s.SchoolId == id)
            .OrderByDescending(s => s.CreatedAt).ToListAsync(cancellationToken);
        var ids = subscriptions.ConvertAll(s => s.Id);
        var pending = await db.Set<WebhookDelivery>().Where(d => ids.Contains(d.SubscriptionId) && d.Status == WebhookDeliveryStatus.Pending)
            .GroupBy(d => d.SubscriptionId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return TypedResults.Ok(subscriptions.ConvertAll(s => WebhookSubscriptionResponse.From(s, pending.GetValueOrDefault(s.Id))));
    }

    public static async Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> GetWebhookSubscription(Guid id, Guid subscriptionId,
        ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        var subscription = await FindAsync(db, user, id, subscriptionId, forUpdate: false, cancellationToken);
        return subscription is null ? NotFound() : TypedResults.Ok(await ResponseAsync(db, subscription, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhookSubscription(Guid id, Guid subscriptionId, ClaimsPrincipal user,
        SchoolsDbContext db, CancellationToken cancellationToken)
    {
        // Deliveries and their log go with it (ON DELETE CASCADE); an event no other subscription wants is removed by the clean-up.
        var deleted = user.MaySee(id)
            ? await db.Set<WebhookSubscription>().Where(s => s.Id == subscriptionId && s.SchoolId == id).ExecuteDeleteAsync(cancellationToken)
            : 0;
        return deleted == 0 ? NotFound() : TypedResults.NoContent();
    }

    public static Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> PauseWebhookSubscription(Guid id, Guid subscriptionId,
        ClaimsPrincipal user, SchoolsDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(db, user, id, subscriptionId, subscription => subscription.Pause(user.Actor(), clock.GetUtcNow()), cancellationToken);

    public static Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> ResumeWebhookSubscription(Guid id, Guid subscriptionId,
        ClaimsPrincipal user, SchoolsDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(db, user, id, subscriptionId, subscription => subscription.Resume(clock.GetUtcNow()), cancellationToken);

    public static async Task<Results<Ok<WebhookSecretResponse>, ProblemHttpResult>> RotateWebhookSecret(Guid id, Guid subscriptionId,
        ClaimsPrincipal user, SchoolsDbContext db, IOptions<WebhookOptions> options, WebhookSecretCipher cipher, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var answer = await ChangeUnderLockAsync(db, user, id, subscriptionId, subscription => new WebhookSecretResponse(
            subscription.RotateSecret(options.Value.SecretRotationOverlap, cipher, clock.GetUtcNow()), subscription.PreviousSecretExpiresAt!.Value),
            cancellationToken);
        return answer is null ? NotFound() : TypedResults.Ok(answer);
    }

    public static async Task<Results<Ok<Page<WebhookDeliveryRow>>, ProblemHttpResult>> ListWebhookDeliveries(Guid id, Guid subscriptionId,
        [AsParameters] WebhookDeliveryQuery query, ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, user, id, subscriptionId, forUpdate: false, cancellationToken) is null)
        {
            return NotFound();
        }

        var deliveries = db.Set<WebhookDelivery>().Where(d => d.SubscriptionId == subscriptionId);
        if (EnumText.ParseOptionalName<WebhookDeliveryStatus>(query.Status) is { } wanted)
        {
            deliveries = deliveries.Where(d => d.Status == wanted);
        }

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await deliveries.CountAsync(cancellationToken);
        var rows = await (
            from delivery in deliveries.OrderByDescending(d => d.Sequence).Page(skip, take)
            join webhookEvent in db.Set<WebhookEvent>() on delivery.EventId equals webhookEvent.Id
            orderby delivery.Sequence descending
            select new { Delivery = delivery, webhookEvent.OccurredAt }).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<WebhookDeliveryRow>(rows.ConvertAll(r => WebhookDeliveryRow.From(r.Delivery, r.OccurredAt)), page, pageSize, total));
    }

    public static async Task<Results<Ok<WebhookDeliveryResponse>, ProblemHttpResult>> GetWebhookDelivery(Guid id, Guid subscriptionId, Guid deliveryId,
        ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        var (found, refusal) = await FindDeliveryAsync(db, user, id, subscriptionId, deliveryId, cancellationToken);
        if (found is null)
        {
            return refusal!;
        }

        var attempts = await db.Set<WebhookDeliveryAttempt>().Where(a => a.DeliveryId == deliveryId)
            .OrderByDescending(a => a.Id).Take(WebhookDeliveryResponse.MaxAttemptsShown).ToListAsync(cancellationToken);
        using var payload = JsonDocument.Parse(found.Event.Body);
        return TypedResults.Ok(new WebhookDeliveryResponse(WebhookDeliveryRow.From(found.Delivery, found.Event.OccurredAt), payload.RootElement.Clone(),
            attempts.ConvertAll(WebhookAttemptResponse.From)));
    }

    public static async Task<Results<Accepted<WebhookDeliveryRow>, ProblemHttpResult>> RedeliverWebhook(Guid id, Guid subscriptionId, Guid deliveryId,
        ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        var (found, refusal) = await FindDeliveryAsync(db, user, id, subscriptionId, deliveryId, cancellationToken);
        if (found is null)
        {
            return refusal!;
        }

        db.Attach(found.Delivery);
        found.Delivery.Redeliver();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"{SchoolsService.PathPrefix}/{id}/webhooks/{subscriptionId}/deliveries/{deliveryId}",
            WebhookDeliveryRow.From(found.Delivery, found.Event.OccurredAt));
    }

    /// <summary>A delivery of a subscription the caller may see, with its event; or the 404 for the subscription or the delivery.</summary>
    private static async Task<(DeliveryOfEvent? Found, ProblemHttpResult? Refusal)> FindDeliveryAsync(SchoolsDbContext db, ClaimsPrincipal user, Guid id,
        Guid subscriptionId, Guid deliveryId, CancellationToken cancellationToken)
    {
        if (!user.MaySee(id))
        {
            return (null, NotFound());
        }

        // One query: the subscription (of this school) left-joined with the delivery asked for, so that a missing delivery is told from a
        // missing subscription.
        var found = await (
            from subscription in db.Set<WebhookSubscription>()
            where subscription.Id == subscriptionId && subscription.SchoolId == id
            from delivery in db.Set<WebhookDelivery>().Where(d => d.Id == deliveryId && d.SubscriptionId == subscription.Id).DefaultIfEmpty()
            from webhookEvent in db.Set<WebhookEvent>().Where(e => delivery != null && e.Id == delivery.EventId).DefaultIfEmpty()
            select new { Delivery = delivery, Event = webhookEvent }).SingleOrDefaultAsync(cancellationToken);
        return found switch
        {
            null => (null, NotFound()),
            { Delivery: null } or { Event: null } => (null, ApiProblems.NotFound("webhook delivery")),
            _ => (new DeliveryOfEvent(found.Delivery, found.Event), null),
        };
    }

    private sealed record DeliveryOfEvent(WebhookDelivery Delivery, WebhookEvent Event);

    /// <summary>Applies <paramref name="change"/> under the row's lock (<see cref="ChangeUnderLockAsync"/>) and answers the subscription's state.</summary>
    private static async Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> ChangeAsync(SchoolsDbContext db, ClaimsPrincipal user,
        Guid id, Guid subscriptionId, Action<WebhookSubscription> change, CancellationToken cancellationToken)
    {
        var changed = await ChangeUnderLockAsync(db, user, id, subscriptionId, subscription =>
        {
            change(subscription);
            return subscription;
        }, cancellationToken);
        return changed is null ? NotFound() : TypedResults.Ok(await ResponseAsync(db, changed, cancellationToken));
    }

    /// <summary>
    /// Loads the subscription under its row's lock, applies <paramref name="change"/> (which refuses with the domain's rule) and saves:
    /// the sender records its outcomes under the same lock, so neither overwrites the other. What the change returned, or null when the
    /// caller may not see the subscription.
    /// </summary>
    private static Task<T?> ChangeUnderLockAsync<T>(SchoolsDbContext db, ClaimsPrincipal user, Guid id, Guid subscriptionId,
        Func<WebhookSubscription, T> change, CancellationToken cancellationToken) where T : class
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await FindAsync(db, user, id, subscriptionId, forUpdate: true, cancellationToken) is not { } subscription)
            {
                return null;
            }

            var result = change(subscription);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        });
    }

    /// <summary>The subscription if it belongs to the school and the caller may see that school; a school key sees only its own.</summary>
    private static async Task<WebhookSubscription?> FindAsync(SchoolsDbContext db, ClaimsPrincipal user, Guid schoolId, Guid subscriptionId,
        bool forUpdate, CancellationToken cancellationToken)
    {
        if (!user.MaySee(schoolId))
        {
            return null;
        }

        var subscriptions = forUpdate
            ? db.Set<WebhookSubscription>().FromSql($"SELECT * FROM webhook_subscriptions WHERE id = {subscriptionId} FOR UPDATE").AsTracking()
            : db.Set<WebhookSubscription>().Where(s => s.Id == subscriptionId);
        return await subscriptions.SingleOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken);
    }

    private static async Task<WebhookSubscriptionResponse> ResponseAsync(SchoolsDbContext db, WebhookSubscription subscription,
        CancellationToken cancellationToken) =>
        WebhookSubscriptionResponse.From(subscription, await db.Set<WebhookDelivery>()
            .CountAsync(d => d.SubscriptionId == subscription.Id && d.Status == WebhookDeliveryStatus.Pending, cancellationToken));

    private static ProblemHttpResult NotFound() => ApiProblems.NotFound("webhook subscription");
}
