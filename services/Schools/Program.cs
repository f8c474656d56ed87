using Mep.Schools;
using Mep.Schools.ApiKeys;
using Mep.Schools.Buildings;
using Mep.Schools.Data;
using Mep.Schools.DemoData;
using Mep.Schools.Directory;
using Mep.Schools.Feeds;
using Mep.Schools.Register;
using Mep.Schools.Rollout;
using Mep.Schools.SchoolYears;
using Mep.Schools.Webhooks;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceHost;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformService<SchoolsDbContext>(SchoolsService.Description, new ServiceParts
{
    Feed = SchoolsFeed.Declare,
    Consumers = bus => bus.AddBoardSystemConsumers().AddWebhookConsumers().AddConsumer<ReplicaResyncConsumer>(),
    Jobs = jobs => jobs.Add<WebhookCleanupJob>(WebhookCleanupJob.Name, cron: "45 3 * * *"),
    MessagingCleanupCron = "15 3 * * *",
});
builder.Services.AddScoped<ISchoolApiKeyStore, SchoolApiKeyStore>();
builder.Services.AddScoped<ISchoolNumbers, RegisteredSchoolNumbers>();
builder.Services.Configure<AuthorizationOptions>(SchoolsAccess.AddPolicies);
builder.Services.AddScoped<RolloutLedger>();
builder.Services.AddScoped<DemoRollout>();
builder.Services.AddScoped<DemoCity>();
builder.Services.AddScoped<DirectoryRepublication>();
builder.AddWebhooks();

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

app.MapPlatformService<SchoolsDbContext>(SchoolsService.Description, api => api
    .MapSchoolEndpoints()
    .MapSchoolYearEndpoints()
    .MapBuildingEndpoints()
    .MapRolloutEndpoints()
    .MapRolloutPlanEndpoints()
    .MapRoomRolloutImport()
    .MapApiKeyEndpoints()
    .MapWebhookEndpoints()
    .MapDirectoryRepublication());

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
