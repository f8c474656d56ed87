using Mep.Jobs;
using Mep.ServiceHost;
using Mep.Staffing;
using Mep.Staffing.Calculation;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Mep.Staffing.Feeds;
using Mep.Staffing.History;
using Mep.Staffing.Models;
using Mep.Staffing.OrgUnits;
using Mep.Staffing.Scenarios;
using Mep.Staffing.TicketLoad;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformService<StaffingDbContext>(StaffingService.Description, new ServiceParts
{
    Feed = StaffingFeed.Declare,
    Consumers = bus =>
    {
        bus.AddInventoryConsumers();
        bus.AddConsumer<SchoolYearFiguresConsumer>();
        bus.AddConsumer<TicketOpenedConsumer>();
    },
    Jobs = jobs => jobs
        .Add<SnapshotJob>(SnapshotJob.Name, cron: "30 2 * * *", Misfire.FireOnceNow, cronSetting: "Staffing:SnapshotCron"),
    MessagingCleanupCron = "45 3 * * *",
});
builder.Services.Configure<AuthorizationOptions>(StaffingAccess.AddPolicies);
builder.Services.AddScoped<StaffingSnapshots>();

var app = builder.Build();

app.MapPlatformService<StaffingDbContext>(StaffingService.Description, api => api
    .MapCountEndpoints()
    .MapModelEndpoints()
    .MapOrgUnitEndpoints()
    .MapCalculationEndpoints()
    .MapScenarioEndpoints()
    .MapHistoryEndpoints()
    .MapTicketLoadEndpoints());

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
