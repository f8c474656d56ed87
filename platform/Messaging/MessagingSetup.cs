using MassTransit;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Mep.Messaging;

public static class MessagingSetup
{
    public const string BrokerConnectionStringName = "Broker";

    /// <summary>
    /// The one call per service: MassTransit on RabbitMQ (connection string "Broker", an amqp:// URL),
    /// consumer retry, quorum queues, the broker in the readiness check, and the outbox relay for
    /// <typeparamref name="TContext"/>. Register the service's consumers in <paramref name="consumers"/>.
    /// </summary>
    /// <param name="endpointPrefix">The service's short name, prefixing its queue names ("schools-...").</param>
    public static WebApplicationBuilder AddPlatformMessaging<TContext>(this WebApplicationBuilder builder, string endpointPrefix,
        Action<IBusRegistrationConfigurator>? consumers = null) where TContext : DbContext
    {
        builder.Services.Configure<MessagingOptions>(options => options.EndpointPrefix = endpointPrefix);
        builder.Services.Configure<MessagingOptions>(builder.Configuration.GetSection(MessagingOptions.Section));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<ReceiveQueues>();
        builder.Services.AddSingleton<ErrorQueues>();
        builder.Services.AddSingleton<IInterceptor, OutboxCommittedInterceptor>();
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        builder.Services.AddSingleton<MessagingMetrics>();
        builder.Services.AddHostedService<MessagingStateSampler<TContext>>();
        builder.Services.AddSingleton(services => new ReadModelFreshness(services.GetRequiredService<IServiceScopeFactory>(),
            scoped => scoped.GetRequiredService<TContext>()));
        builder.Services.AddSingleton<IReadModelFreshness>(services => services.GetRequiredService<ReadModelFreshness>());
        builder.Services.AddTransient<IStartupFilter, ReadModelFreshnessStartupFilter>();
        builder.Services.AddMassTransit(bus =>
        {
            consumers?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
            {
                context.GetRequiredService<ReceiveQueues>().Add(queue);
                var settings = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                if (settings.QuorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }

                // Each message in progress holds a connection of the EF pool: a quarter of the pool per queue (consumers of
                // several queues then wait for a connection now and then, never for the server), and no more prefetched
                // than twice that, so that a republished directory waits in the broker, not in this process.
                var pool = context.GetService<IOptions<DatabaseOptions>>()?.Value.MaxPoolSize ?? new DatabaseOptions().MaxPoolSize;
                var concurrency = Math.Max(1, pool / 4);
                endpoint.ConcurrentMessageLimit = concurrency;
                endpoint.PrefetchCount = 2 * concurrency;
                var own = context.GetServices<IQueueRetryPolicy>().FirstOrDefault(policy => policy.Covers(queue));
                endpoint.UseMessageRetry(retry =>
                {
                    if (own is not null)
                    {
                        own.Configure(retry);
                    }
                    else
                    {
                        retry.Exponential(settings.ConsumerRetries, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200));
                    }
                });
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var settings = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                var url = context.GetRequiredService<IConfiguration>().GetConnectionString(BrokerConnectionStringName)
                    ?? throw new InvalidOperationException($"ConnectionStrings:{BrokerConnectionStringName} is not configured.");
                var broker = new Uri(url);
                var credentials = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
                var virtualHost = broker.AbsolutePath.Trim('/');
                rabbit.Host(broker.Host, (ushort)(broker.IsDefaultPort ? 5672 : broker.Port), string.IsNullOrEmpty(virtualHost) ? "/" : Uri.UnescapeDataString(virtualHost), host =>
                {
                    host.Username(credentials[0]);
                    host.Password(credentials.Length > 1 ? credentials[1] : string.Empty);
                    host.PublisherConfirmation = true;
                });
                rabbit.ConfigureEndpoints(context, new KebabCaseEndpointNameFormatter(settings.EndpointPrefix, includeNamespace: false));
            });
        });
        return builder;
    }

    /// <summary>
    /// Tells the relay that this process just committed outbox rows: after SaveChanges when it committed on
    /// its own, after the commit when SaveChanges ran inside an explicit transaction.
    /// </summary>
    private sealed class OutboxCommittedInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
    {
        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            NotifyIfCommittedOutboxRows(eventData.Context);
            return base.SavedChangesAsync(eventData, result, cancellationToken);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            NotifyIfCommittedOutboxRows(eventData.Context);
            return base.SavedChanges(eventData, result);
        }

        /// <summary>Inside an explicit transaction the rows are not committed yet; the commit notifies instead.</summary>
        private void NotifyIfCommittedOutboxRows(DbContext? context)
        {
            if (context?.Database.CurrentTransaction is null && context?.ChangeTracker.Entries<OutboxMessage>().Any() == true)
            {
                signal.Notify();
            }
        }

        public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
            CancellationToken cancellationToken = default)
        {
            signal.Notify();
            return Task.CompletedTask;
        }
    }
}
