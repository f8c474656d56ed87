using Mep.Contracts.Funding;
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
using Mep.Funding.Lending;
using Mep.Funding.Programmes;
using Mep.Funding.Reports;
using Mep.Funding.Spending;
using Mep.Funding.Subsidies;
using Mep.Jobs;
using Mep.Mail;
using Mep.ServiceHost;
using Microsoft.AspNetCore.Authorization;

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformService<FundingDbContext>(FundingService.Description, new ServiceParts
{
    Feed = FundingFeed.Declare,
    Consumers = bus =>
    {
        bus.AddDeviceConsumers();
        bus.AddConsumer<SchoolYearFiguresConsumer>();
        bus.AddConsumer<MediaConceptConsumer>();
        bus.AddLendingConsumers();
        bus.AddMailDelivery<FundingMailQueued, FundingDbContext>();
    },
    Jobs = jobs => jobs
        .Add<DeadlineWarningJob>(DeadlineWarningJob.Name, cron: "15 6 * * *", Misfire.FireOnceNow, cronSetting: "Funding:DeadlineWarningCron")
        .Add<MailUpkeepJob<FundingDbContext>>(MailUpkeepJob<FundingDbContext>.Name, cron: "*/10 * * * *"),
    MessagingCleanupCron = "50 3 * * *",
});
builder.Services.Configure<AuthorizationOptions>(FundingAccess.AddPolicies);
builder.Services.AddScoped<DeadlineWatch>();
builder.Services.AddSingleton<DrawMetrics>();
builder.Services.AddSingleton<DeadlineWarningMail>();
builder.Services.AddScoped<DemoFunding>();

var app = builder.Build();

if (args.Contains(DemoFunding.Command))
{
    await DemoFunding.RunFromCommandLineAsync(app);
    return;
}

app.MapPlatformService<FundingDbContext>(FundingService.Description, api => api
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
    .MapLendingEndpoints()
    .MapAuditEndpoints());

app.Run();

/// <summary>Entry point; public so that tests can host the service.</summary>
public partial class Program;
