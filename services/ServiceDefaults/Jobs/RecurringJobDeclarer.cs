using Quartz;

namespace Mep.ServiceDefaults.Jobs;

/// <summary>
/// Puts the declared jobs and their cron triggers into the shared store before the scheduler starts, touching only
/// what is missing or changed. Replacing a trigger at every start raced with a replica that had just acquired it:
/// the replacement carried the fire time the other replica was firing, so that time fired twice.
/// </summary>
internal sealed partial class RecurringJobDeclarer(ISchedulerFactory schedulers, RecurringJobs jobs, IConfiguration configuration,
    TimeProvider clock, ILogger<RecurringJobDeclarer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var declared in jobs.All)
        {
            var job = declared.CronSetting is { } setting && configuration[setting] is { Length: > 0 } configured
                ? declared with { Cron = CronExpression.TryParse(configured, out _) ? configured
                    : throw new InvalidOperationException($"{setting} = '{configured}' is not a valid cron expression.") }
                : declared;
            var jobKey = new JobKey(job.Name);
            var stored = await scheduler.GetJobDetail(jobKey, cancellationToken);
            if (stored is null || stored.JobType.Type != job.JobType)
            {
                var detail = JobBuilder.Create().OfType(job.JobType).WithIdentity(jobKey).StoreDurably().DisallowConcurrentExecution().Build();
                await scheduler.AddJob(detail, AddJobOptions.Replacing, cancellationToken);
            }

            await DeclareTriggerAsync(scheduler, job, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task DeclareTriggerAsync(IScheduler scheduler, RecurringJobDeclaration job, CancellationToken cancellationToken)
    {
        var wanted = CronTrigger(job);
        var stored = await scheduler.GetTrigger(wanted.Key, cancellationToken);
        if (stored is ICronTrigger cron && cron.CronExpressionString == job.Cron && cron.TimeZone.Id == ScheduledJobs.Berlin.Id
            && cron.MisfireInstructionCode == wanted.MisfireInstructionCode)
        {
            return;
        }

        if (stored is null)
        {
            try
            {
                await scheduler.ScheduleJob(wanted, default, cancellationToken);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another replica declared it a moment ago, from the same declaration.
            }

            return;
        }

        LogTriggerChanged(logger, job.Name, job.Cron);
        await scheduler.RescheduleJob(wanted.Key, wanted, cancellationToken);
    }

    /// <summary>Stamped with the clock the scheduler runs on (the service's): a start time from another clock could lie days ahead of it.</summary>
    private ITrigger CronTrigger(RecurringJobDeclaration job) => TriggerBuilder.Create(clock)
        .ForJob(job.Name)
        .WithIdentity($"{job.Name}-cron")
        .WithCronSchedule(job.Cron, cron => cron
            .InTimeZone(ScheduledJobs.Berlin)
            .WithMisfireInstruction(job.Misfire == Misfire.FireOnceNow
                ? CronTriggerMisfireInstruction.FireAndProceed
                : CronTriggerMisfireInstruction.DoNothing))
        .Build();

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Scheduled job {Job} has a new schedule: {Cron}")]
    private static partial void LogTriggerChanged(ILogger logger, string job, string cron);
}
