using System.Net;
using MassTransit;

namespace Mep.TestKit;

/// <summary>
/// A service that consumes other services' events, hosted as <see cref="ServiceFactory{TProgram}"/> does, with a bus on the same virtual
/// host to publish those events the way their owners would. The host is ready (its queues bound) before the first test publishes:
/// the broker drops an event published to an exchange with no queue bound yet.
/// </summary>
public abstract class ConsumingServiceFactory<TProgram> : ServiceFactory<TProgram> where TProgram : class
{
    private IBusControl? _bus;
    private readonly Dictionary<string, string> _extraSettings = [];

    protected ConsumingServiceFactory()
    {
    }

    protected ConsumingServiceFactory(PostgresDatabase database, RabbitMqVirtualHost? broker = null) : base(database, broker)
    {
    }

    /// <summary>
    /// The bus's own retries switched off (Messaging:ConsumerRetries 0), so that a consumer has to get every delivery right the first
    /// time: races it only survives through redelivery show up as parked messages instead of staying hidden until load makes them five
    /// in a row.
    /// </summary>
    /// <remarks>Call before the host starts (before <see cref="InitializeAsync"/>).</remarks>
    public void SwitchOffBusRetries() => _extraSettings["Messaging:ConsumerRetries"] = "0";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _extraSettings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The test bus; started by <see cref="InitializeAsync"/>.</summary>
    protected IBusControl Bus => _bus ?? throw new InvalidOperationException("InitializeAsync has not run.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _bus = Broker.CreateBus();
        await _bus.StartAsync();
        await Eventually.AssertAsync(async () => (await CreateClient().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            $"{typeof(TProgram).Assembly.GetName().Name} is ready");
    }

    /// <summary>Publishes an event as its owning service would; with a message id, a redelivery is the same id sent again.</summary>
    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        messageId is { } id ? Bus.Publish(message, context => context.MessageId = id) : Bus.Publish(message);

    /// <summary>Publishes what Schools (and Assets) publish for the school <paramref name="seed"/> describes, and waits until the service knows all of it.</summary>
    public async Task<TestSchool> SeedSchoolAsync(SchoolSeed seed)
    {
        var school = await seed.PublishAsync(Bus, TestSchoolNumbers.Next());
        await Eventually.AssertAsync(() => seed.IsKnownAsync(Database),
            $"{typeof(TProgram).Assembly.GetName().Name} knows school {school.Number} and all that was published of it");
        return school;
    }

    /// <summary>
    /// Publishes the messages all at once, each with an id of its own, so the service handles them concurrently (prefetch, one queue per
    /// event type), and waits until it applied every one: an applied message's id is in the inbox, a parked one never gets there.
    /// Then no error queue of the service may hold a message (asked through the operator view, which asks the broker itself).
    /// </summary>
    public async Task DeliverAllAtOnceAsync(IReadOnlyList<object> messages, string pathPrefix, TimeSpan? within = null)
    {
        var ids = messages.Select(_ => NewId.NextGuid()).ToArray();
        await Task.WhenAll(messages.Select((message, i) => Bus.Publish(message, message.GetType(), context => context.MessageId = ids[i])));
        var idList = string.Join(",", ids.Select(id => $"'{id}'"));
        await Eventually.AssertAsync(async () =>
                await Database.ScalarAsync<long>($"SELECT count(DISTINCT message_id) FROM inbox_messages WHERE message_id IN ({idList})") == ids.Length,
            $"all {ids.Length} concurrent messages applied", within ?? TimeSpan.FromSeconds(30));
        using var admin = ClientAs(Mep.ServiceDefaults.Auth.PlatformRoles.Admin, "admin-udo");
        var operations = await (await admin.GetAsync($"{pathPrefix}/admin/operations")).ReadJsonAsync();
        var parked = operations.GetProperty("errorQueues").EnumerateArray()
            .Where(q => q.GetProperty("errorMessages").ValueKind != System.Text.Json.JsonValueKind.Number || q.GetProperty("errorMessages").GetUInt32() != 0)
            .Select(q => q.GetProperty("errorQueue").GetString()).ToList();
        Xunit.Assert.Empty(parked);
    }

    protected override async Task OnDisposingAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        await base.OnDisposingAsync();
    }
}
