using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Jobs;
using Mep.ServiceDefaults.Messaging;
using Mep.ServiceDefaults.OData;
using Mep.ServiceDefaults.SchoolDirectory;
using Mep.ServiceDefaults.Validation;
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

builder.AddServiceDefaults(StaffingService.Description);
builder.AddServiceDatabase<StaffingDbContext>();
builder.AddSchoolDirectory<StaffingDbContext>();
builder.AddPlatformMessaging<StaffingDbContext>(endpointPrefix: "staffing", bus =>
{
    bus.AddSchoolDirectoryConsumers<StaffingDbContext>().AddInventoryConsumers();
    bus.AddConsumer<SchoolYearFiguresConsumer>();
    bus.AddConsumer<TicketOpenedConsumer>();
});
builder.AddScheduledJobs(jobs => jobs
    .Add<SnapshotJob>(SnapshotJob.Name, cron: "30 2 * * *", Misfire.FireOnceNow, cronSetting: "Staffing:SnapshotCron")
    .Add<MessagingCleanupJob<StaffingDbContext>>("messaging-cleanup", cron: "45 3 * * *"));
builder.Services.Configure<AuthorizationOptions>(StaffingAccess.AddPolicies);
builder.Services.AddScoped<StaffingSnapshots>();
builder.Services.AddODataFeed(builder.Configuration, StaffingService.PathPrefix, serviceNamespace: "Mep.Staffing", StaffingFeed.Declare);

var app = builder.Build();

app.UseServiceDefaults();
app.MapJobDashboard();

app.MapGroup(StaffingService.PathPrefix)
    .WithTags("Staffing")
    .WithRequestValidation()
    .MapCountEndpoints()
    .MapModelEndpoints()
    .MapOrgUnitEndpoints()
    .MapCalculationEndpoints()
    .MapScenarioEndpoints()
    .MapHistoryEndpoints()
    .MapTicketLoadEndpoints()
    .MapOperatorEndpoints<StaffingDbContext>();
app.MapODataFeed();

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
