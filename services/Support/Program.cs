using Mep.Contracts.Support;
using Mep.Jobs;
using Mep.Mail;
using Mep.ServiceHost;
using Mep.Support;
using Mep.Support.Contractor;
using Mep.Support.Data;
using Mep.Support.Directory;
using Mep.Support.Feeds;
using Mep.Support.Knowledge;
using Mep.Support.Metrics;
using Mep.Support.Notifications;
using Mep.Support.People;
using Mep.Support.Repairs;
using Mep.Support.Routing;
using Mep.Support.Sla;
using Mep.Support.Tickets;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformService<SupportDbContext>(SupportService.Description, new ServiceParts
{
    Feed = SupportFeed.Declare,
    Consumers = bus => bus.AddKnownInventoryConsumers().AddRepairConsumers().AddMailDelivery<SupportMailQueued, SupportDbContext>(),
    // Every minute by default: a warning is at most a minute late (tests run it every second). A missed minute is not made
    // up: the next run announces everything that came due meanwhile, in the order it came due.
    Jobs = jobs => jobs.Add<EscalationJob>(EscalationJob.Name, cron: "* * * * *", Misfire.SkipToNextTime, cronSetting: "Support:EscalationCron")
        .Add<NotificationDigestJob>(NotificationDigestJob.Name, cron: "0 7 * * *", cronSetting: "Support:NotificationDigestCron")
        .Add<MailUpkeepJob<SupportDbContext>>(MailUpkeepJob<SupportDbContext>.Name, cron: "*/10 * * * *"),
    MessagingCleanupCron = "35 3 * * *",
});
builder.Services.Configure<AuthorizationOptions>(SupportAccess.AddPolicies);
// The context pool (AddServiceDatabase) takes every registered interceptor.
builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, PreparedStatements>();
builder.Services.AddSingleton<ReferenceData>();
builder.Services.AddSingleton<RecentSchools>();
builder.Services.AddScoped<TicketWriter>();
builder.Services.AddScoped<TicketNotifications>();
builder.Services.AddSingleton<TicketNumbers>();
builder.Services.AddSingleton<SignInRecorder>();
builder.Services.AddSingleton<SlaMetrics>();

var app = builder.Build();

app.MapPlatformService<SupportDbContext>(SupportService.Description, api => api
    .MapTicketEndpoints()
    .MapTicketWorkEndpoints()
    .MapRoutingEndpoints()
    .MapPeopleEndpoints()
    .MapNotificationEndpoints()
    .MapSlaEndpoints()
    .MapKnowledgeEndpoints()
    .MapContractorEndpoints()
    .MapRepairEndpoints()
    .MapMetricsEndpoints(), middleware: host => host.UseSignInRecording());

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
