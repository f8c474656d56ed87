using Mep.Schools;
using Mep.Schools.ApiKeys;
using Mep.Schools.Buildings;
using Mep.Schools.Data;
using Mep.Schools.DemoData;
using Mep.Schools.Directory;
using Mep.Schools.Feeds;
using Mep.Schools.Rollout;
using Mep.Schools.Register;
using Mep.Schools.SchoolYears;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Jobs;
using Mep.ServiceDefaults.Messaging;
using Mep.ServiceDefaults.OData;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(SchoolsService.Description);
builder.AddServiceDatabase<SchoolsDbContext>();
builder.AddPlatformMessaging<SchoolsDbContext>(endpointPrefix: "schools", bus => bus
    .AddBoardSystemConsumers()
    .AddConsumer<ReplicaResyncConsumer>());
builder.AddScheduledJobs(jobs => jobs
    .Add<MessagingCleanupJob<SchoolsDbContext>>("messaging-cleanup", cron: "15 3 * * *"));
builder.Services.AddScoped<ISchoolApiKeyStore, SchoolApiKeyStore>();
builder.Services.Configure<AuthorizationOptions>(SchoolsAccess.AddPolicies);
builder.Services.AddScoped<RolloutLedger>();
builder.Services.AddScoped<DemoRollout>();
builder.Services.AddScoped<DemoCity>();
builder.Services.AddScoped<DirectoryRepublication>();
builder.Services.AddODataFeed(builder.Configuration, SchoolsService.PathPrefix, serviceNamespace: "Mep.Schools", SchoolsFeed.Declare);

var app = builder.Build();

if (args.Contains(DemoCity.Command))
{
    await DemoCity.RunFromCommandLineAsync(app);
    return;
}

if (args.Contains(DirectoryRepublication.Command))
{
    await DirectoryRepublication.RunFromCommandLineAsync(app);
    return;
}

app.UseServiceDefaults();
app.MapJobDashboard();

app.MapGroup(SchoolsService.PathPrefix)
    .WithTags("Schools")
    .WithRequestValidation()
    .MapSchoolEndpoints()
    .MapSchoolYearEndpoints()
    .MapBuildingEndpoints()
    .MapRolloutEndpoints()
    .MapRolloutPlanEndpoints()
    .MapRoomRolloutImport()
    .MapApiKeyEndpoints()
    .MapDirectoryRepublication()
    .MapOperatorEndpoints<SchoolsDbContext>();
app.MapODataFeed();

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
