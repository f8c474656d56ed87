using MassTransit;
using Mep.ServiceDefaults.Data;
using Mep.Jobs;
using Mep.Mail;
using Mep.Messaging;
using Mep.Feeds;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Validation;

using Mep.ServiceDefaults.Hosting;

namespace Mep.ServiceHost;

/// <summary>What a service adds to the platform parts every service has (<see cref="PlatformService.AddPlatformService{TContext}"/>).</summary>
public sealed record ServiceParts
{
    /// <summary>The service's OData feed: its entity sets.</summary>
    public required Action<FeedBuilder> Feed { get; init; }

    /// <summary>When the nightly clean-up of the outbox and inbox runs; the services' times differ, so that they do not run at once.</summary>
    public required string MessagingCleanupCron { get; init; }

    /// <summary>The service's own consumers (the school directory's are added for every service that keeps it).</summary>
    public Action<IBusRegistrationConfigurator> Consumers { get; init; } = _ => { };

    /// <summary>The service's own recurring jobs (the messaging clean-up is added to them).</summary>
    public Action<RecurringJobs> Jobs { get; init; } = _ => { };

    /// <summary>See <see cref="ServiceDatabase.AddServiceDatabase{TContext}"/>.</summary>
    public bool PlanForEveryValue { get; init; }
}

/// <summary>
/// The parts every service sets up alike, so that its Program.cs names only what is its own: hosting defaults, its database, the
/// school directory, messaging, jobs with the messaging clean-up and the OData feed; then the middleware, the job dashboard, the API
/// under the service's path with request validation and the operator endpoints, and the feed.
/// </summary>
public static class PlatformService
{
    public static WebApplicationBuilder AddPlatformService<TContext>(this WebApplicationBuilder builder, ServiceDescription service,
        ServiceParts parts) where TContext : ServiceDbContext
    {
        builder.AddServiceDefaults(service);
        builder.AddServiceDatabase<TContext>(parts.PlanForEveryValue);
        var keepsSchoolDirectory = ServiceDbContext.KeepsSchoolDirectory(typeof(TContext));
        if (keepsSchoolDirectory)
        {
            builder.AddSchoolDirectory<TContext>();
        }

        // Every service has the mail delivery records, as it has an outbox; a service that sends mail adds its delivery (AddMailDelivery).
        builder.Services.AddSingleton(MailSetup.Migrations);

        builder.AddPlatformMessaging<TContext>(service.Name, bus =>
        {
            if (keepsSchoolDirectory)
            {
                bus.AddSchoolDirectoryConsumers<TContext>();
            }

            parts.Consumers(bus);
        });
        builder.AddScheduledJobs(jobs =>
        {
            parts.Jobs(jobs);
            jobs.Add<MessagingCleanupJob<TContext>>("messaging-cleanup", cron: parts.MessagingCleanupCron);
        });
        builder.Services.AddODataFeed(builder.Configuration, service.PathPrefix, serviceNamespace: $"Mep.{service.Tag}", parts.Feed);
        return builder;
    }

    /// <param name="endpoints">The service's endpoints, mapped below its path.</param>
    /// <param name="middleware">The service's own middleware, after the platform's (authentication and the rest).</param>
    public static WebApplication MapPlatformService<TContext>(this WebApplication app, ServiceDescription service,
        Func<RouteGroupBuilder, RouteGroupBuilder> endpoints, Action<WebApplication>? middleware = null) where TContext : ServiceDbContext
    {
        app.UseServiceDefaults();
        middleware?.Invoke(app);
        app.MapJobDashboard();
        endpoints(app.MapGroup(service.PathPrefix).WithTags(service.Tag).WithRequestValidation()).MapOperatorEndpoints<TContext>();
        app.MapODataFeed();
        return app;
    }
}
