using Mep.Assets;
using Mep.Assets.BoardSystems;
using Mep.Assets.Data;
using Mep.Assets.DemoData;
using Mep.Assets.Devices;
using Mep.Assets.Feeds;
using Mep.Assets.Inventory;
using Mep.Assets.Loans;
using Mep.Assets.Registration;
using Mep.Assets.Repairs;
using Mep.Assets.Rooms;
using Mep.ServiceHost;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformService<AssetsDbContext>(AssetsService.Description, new ServiceParts
{
    Feed = AssetsFeed.Declare,
    Consumers = bus => bus.AddReplicaResyncConsumer().AddRepairConsumers().AddConsumer<RoomRecordedConsumer>(),
    MessagingCleanupCron = "25 3 * * *",
    PlanForEveryValue = true,
});
builder.Services.Configure<AuthorizationOptions>(AssetsAccess.AddPolicies);
builder.Services.AddScoped<DeviceRegistrar>();
builder.Services.AddSingleton<RegistrationMetrics>();
builder.Services.AddScoped<InventoryRepublication>();
builder.Services.AddScoped<DemoInventory>();

var app = builder.Build();

if (args.Contains(DemoInventory.Command))
{
    await DemoInventory.RunFromCommandLineAsync(app);
    return;
}

app.MapPlatformService<AssetsDbContext>(AssetsService.Description, api => api
    .MapDeviceEndpoints()
    .MapRegistrationEndpoints()
    .MapBoardSystemEndpoints()
    .MapInventoryEndpoints()
    .MapInventoryRepublication()
    .MapLoanEndpoints());

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
