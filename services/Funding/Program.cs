using Mep.Funding;
using Mep.Funding.Allocations;
using Mep.Funding.Applications;
using Mep.Funding.Audit;
using Mep.Funding.CostTables;
using Mep.Funding.Data;
using Mep.Funding.Deadlines;
using Mep.Funding.DemoData;
using Mep.Funding.Directory;
using Mep.Funding.Feeds;
using Mep.Funding.Programmes;
using Mep.Funding.Reports;
using Mep.Funding.Spending;
using Mep.Funding.Subsidies;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Jobs;
using Mep.ServiceDefaults.Messaging;
using Mep.ServiceDefaults.OData;
using Mep.ServiceDefaults.SchoolDirectory;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(FundingService.Description);
builder.AddServiceDatabase<FundingDbContext>();
builder.AddSchoolDirectory<FundingDbContext>();
builder.AddPlatformMessaging<FundingDbContext>(endpointPrefix: "funding", bus =>
{
    bus.AddSchoolDirectoryConsumers<FundingDbContext>().AddDeviceConsumers();
    bus.AddConsumer<SchoolYearFiguresConsumer>();
    bus.AddConsumer<MediaConceptConsumer>();
});
builder.AddScheduledJobs(jobs => jobs
    .Add<DeadlineWarningJob>(DeadlineWarningJob.Name, cron: "15 6 * * *", Misfire.FireOnceNow, cronSetting: "Funding:DeadlineWarningCron")
    .Add<MessagingCleanupJob<FundingDbContext>>("messaging-cleanup", cron: "50 3 * * *"));
builder.Services.Configure<AuthorizationOptions>(FundingAccess.AddPolicies);
builder.Services.AddScoped<DeadlineWatch>();
builder.Services.AddScoped<DemoFunding>();
builder.Services.AddODataFeed(builder.Configuration, FundingService.PathPrefix, serviceNamespace: "Mep.Funding", FundingFeed.Declare);

var app = builder.Build();

if (args.Contains(DemoFunding.Command))
{
    await DemoFunding.RunFromCommandLineAsync(app);
    return;
}

app.UseServiceDefaults();
app.MapJobDashboard();

app.MapGroup(FundingService.PathPrefix)
    .WithTags("Funding")
    .WithRequestValidation()
    .MapProgrammeEndpoints()
    .MapAllocationEndpoints()
    .MapApplicationEndpoints()
    .MapExpenditureEndpoints()
    .MapDrawEndpoints()
    .MapSettlementEndpoints()
    .MapReportEndpoints()
    .MapDeadlineEndpoints()
    .MapCostTableEndpoints()
    .MapSubsidyEndpoints()
    .MapAuditEndpoints()
    .MapOperatorEndpoints<FundingDbContext>();
app.MapODataFeed();

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
