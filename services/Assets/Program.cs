using Mep.Assets;
using Mep.Assets.BoardSystems;
using Mep.Assets.Data;
using Mep.Assets.DemoData;
using Mep.Assets.Devices;
using Mep.Assets.Feeds;
using Mep.Assets.Inventory;
using Mep.Assets.Registration;
using Mep.Assets.Rooms;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Jobs;
using Mep.ServiceDefaults.Messaging;
using Mep.ServiceDefaults.OData;
using Mep.ServiceDefaults.SchoolDirectory;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(AssetsService.Description);
builder.AddServiceDatabase<AssetsDbContext>(planForEveryValue: true);
builder.AddSchoolDirectory<AssetsDbContext>();
builder.AddPlatformMessaging<AssetsDbContext>(endpointPrefix: "assets", bus => bus
    .AddSchoolDirectoryConsumers<AssetsDbContext>()
    .AddReplicaResyncConsumer()
    .AddConsumer<RoomRecordedConsumer>());
builder.AddScheduledJobs(jobs => jobs
    .Add<MessagingCleanupJob<AssetsDbContext>>("messaging-cleanup", cron: "25 3 * * *"));
builder.Services.Configure<AuthorizationOptions>(AssetsAccess.AddPolicies);
builder.Services.AddScoped<DeviceRegistrar>();
builder.Services.AddScoped<InventoryRepublication>();
builder.Services.AddScoped<DemoInventory>();
builder.Services.AddODataFeed(builder.Configuration, AssetsService.PathPrefix, serviceNamespace: "Mep.Assets", AssetsFeed.Declare);

var app = builder.Build();

if (args.Contains(DemoInventory.Command))
{
    await DemoInventory.RunFromCommandLineAsync(app);
    return;
}

app.UseServiceDefaults();
app.MapJobDashboard();

app.MapGroup(AssetsService.PathPrefix)
    .WithTags("Assets")
    .WithRequestValidation()
    .MapDeviceEndpoints()
    .MapRegistrationEndpoints()
    .MapBoardSystemEndpoints()
    .MapInventoryEndpoints()
    .MapInventoryRepublication()
    .MapOperatorEndpoints<AssetsDbContext>();
app.MapODataFeed();

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
