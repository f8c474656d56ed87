using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Jobs;
using Mep.ServiceDefaults.Messaging;
using Mep.ServiceDefaults.OData;
using Mep.ServiceDefaults.SchoolDirectory;
using Mep.ServiceDefaults.Validation;
using Mep.Support;
using Mep.Support.Contractor;
using Mep.Support.Data;
using Mep.Support.Directory;
using Mep.Support.Feeds;
using Mep.Support.Knowledge;
using Mep.Support.Metrics;
using Mep.Support.People;
using Mep.Support.Routing;
using Mep.Support.Sla;
using Mep.Support.Tickets;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(SupportService.Description);
builder.AddServiceDatabase<SupportDbContext>();
builder.AddSchoolDirectory<SupportDbContext>();
builder.AddPlatformMessaging<SupportDbContext>(endpointPrefix: "support", bus => bus
    .AddSchoolDirectoryConsumers<SupportDbContext>()
    .AddKnownInventoryConsumers());
builder.AddScheduledJobs(jobs => jobs
    // Every minute by default: a warning is at most a minute late (tests run it every second). A missed minute is not made
    // up: the next run announces everything that came due meanwhile, in the order it came due.
    .Add<EscalationJob>(EscalationJob.Name, cron: "* * * * *", Misfire.SkipToNextTime, cronSetting: "Support:EscalationCron")
    .Add<MessagingCleanupJob<SupportDbContext>>("messaging-cleanup", cron: "35 3 * * *"));
builder.Services.Configure<AuthorizationOptions>(SupportAccess.AddPolicies);
// The context pool (AddServiceDatabase) takes every registered interceptor.
builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, PreparedStatements>();
builder.Services.AddSingleton<ReferenceData>();
builder.Services.AddSingleton<RecentSchools>();
builder.Services.AddScoped<TicketWriter>();
builder.Services.AddSingleton<TicketNumbers>();
builder.Services.AddSingleton<SignInRecorder>();
builder.Services.AddODataFeed(builder.Configuration, SupportService.PathPrefix, serviceNamespace: "Mep.Support", SupportFeed.Declare);

var app = builder.Build();

app.UseServiceDefaults();
app.UseSignInRecording();
app.MapJobDashboard();

app.MapGroup(SupportService.PathPrefix)
    .WithTags("Support")
    .WithRequestValidation()
    .MapTicketEndpoints()
    .MapTicketWorkEndpoints()
    .MapRoutingEndpoints()
    .MapPeopleEndpoints()
    .MapSlaEndpoints()
    .MapKnowledgeEndpoints()
    .MapContractorEndpoints()
    .MapMetricsEndpoints()
    .MapOperatorEndpoints<SupportDbContext>();
app.MapODataFeed();

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
