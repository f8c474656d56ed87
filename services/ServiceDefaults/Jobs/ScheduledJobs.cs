using System.Reflection;
using Mep.ServiceDefaults.Data;
using Quartz;

namespace Mep.ServiceDefaults.Jobs;

/// <summary>What a service declares: recurring jobs, each with a cron expression read in the Europe/Berlin zone.</summary>
public sealed class RecurringJobs
{
    private readonly List<RecurringJobDeclaration> _jobs = [];

    public IReadOnlyList<RecurringJobDeclaration> All => _jobs;

    /// <param name="name">Stable name: the job's identity in the store and in the operator view.</param>
    /// <param name="cron">Quartz cron with seconds, e.g. "0 15 3 * * ?" (03:15 every day, Berlin time).</param>
    /// <param name="misfire">What to do when the scheduler was down at a fire time.</param>
    /// <param name="cronSetting">A configuration key that, when set, replaces <paramref name="cron"/> (read when the host starts).</param>
    public RecurringJobs Add<TJob>(string name, string cron, Misfire misfire = Misfire.FireOnceNow, string? cronSetting = null) where TJob : RecurringJob
    {
        if (!CronExpression.TryParse(cron, out _))
        {
            throw new ArgumentException($"'{cron}' is not a valid cron expression for job {name}.", nameof(cron));
        }

        _jobs.Add(new RecurringJobDeclaration(name, typeof(TJob), cron, misfire, cronSetting));
        return this;
    }
}

public sealed record RecurringJobDeclaration(string Name, Type JobType, string Cron, Misfire Misfire, string? CronSetting = null);

/// <summary>Misfire handling, stated per job rather than left to a default nobody reads.</summary>
public enum Misfire
{
    /// <summary>Missed fire times (scheduler down, all threads busy) are made up for by one run now, then the schedule goes on.</summary>
    FireOnceNow,

    /// <summary>Missed fire times are dropped; the next regular time runs. For jobs whose next run covers the missed work anyway.</summary>
    SkipToNextTime,
}

public static class ScheduledJobs
{
    /// <summary>People's time in Lower Saxony: cron expressions mean Berlin wall-clock time, daylight saving included.</summary>
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>
    /// Quartz with its persistent ADO store in the service's own PostgreSQL database, clustered (replicas
    /// share the store; each trigger fires on one of them), its tables created by the service's migrations.
    /// </summary>
    /// <param name="schedulerName">The service's name; replicas with the same name form one cluster.</param>
    public static WebApplicationBuilder AddScheduledJobs(this WebApplicationBuilder builder, string schedulerName, Action<RecurringJobs> declare)
    {
        var jobs = new RecurringJobs();
        declare(jobs);
        builder.Services.AddSingleton(jobs);
        builder.Services.AddSingleton<JobRunLog>();
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = schedulerName;
                scheduler.GenerateInstanceId = true;
                scheduler.DefaultTimeZone = Berlin;
            });
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(dataSource => dataSource.ConnectionStringName = ServiceDatabase.ConnectionStringName);
                store.UseClustering(cluster =>
                {
                    cluster.CheckinInterval = TimeSpan.FromSeconds(5);
                    cluster.CheckinMisfireThreshold = TimeSpan.FromSeconds(15);
                });
                // The migrator creates the tables (Jobs/QuartzSchema); the store only checks them.
                store.ConfigureStore(options => options.SchemaProvisioning = SchemaProvisioning.Validate);
            });
        });
        // Before the scheduler starts: declares what is missing or changed and leaves the rest as the store has it.
        builder.Services.AddHostedService<RecurringJobDeclarer>();
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}

/// <summary>The Quartz tables, as Quartz itself describes them for PostgreSQL (its script only adds what is missing).</summary>
public static class QuartzSchema
{
    private const string ResourceName = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";
    private const string TablePrefix = "qrtz_";

    /// <summary>A migration per Quartz version: an upgrade brings its additions as a new, idempotent step.</summary>
    public static SqlMigrator.Migration Migration()
    {
        var quartz = typeof(IJob).Assembly;
        var version = quartz.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? quartz.GetName().Version!.ToString();
        using var stream = quartz.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Quartz {version} does not carry {ResourceName}.");
        using var reader = new StreamReader(stream);
        var sql = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        return new SqlMigrator.Migration($"platform-quartz-{version}", "quartz_job_store", sql);
    }
}
