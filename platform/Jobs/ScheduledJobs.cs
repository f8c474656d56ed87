using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Mep.ServiceDefaults.Data;
using Microsoft.Extensions.Options;

namespace Mep.Jobs;

/// <summary>What a service declares: recurring jobs, each with a cron expression read in the Europe/Berlin zone.</summary>
public sealed class RecurringJobs
{
    /// <summary>The longest job name and cron text; the operator view documents them, so a declaration cannot exceed them.</summary>
    public const int MaxNameLength = 100;

    public const int MaxCronLength = 100;

    private readonly List<RecurringJobDeclaration> _jobs = [];

    public IReadOnlyList<RecurringJobDeclaration> All => _jobs;

    /// <param name="name">Stable name: the job's identity in the store, in the dashboard and in the operator view.</param>
    /// <param name="cron">Cron with five fields, or six with seconds first, e.g. "15 3 * * *" (03:15 every day, Berlin time); checked when the host starts.</param>
    /// <param name="misfire">What to do with fire times that passed while no replica was running.</param>
    /// <param name="cronSetting">A configuration key that, when set, replaces <paramref name="cron"/> (read when the host starts).</param>
    public RecurringJobs Add<TJob>(string name, string cron, Misfire misfire = Misfire.FireOnceNow, string? cronSetting = null) where TJob : RecurringJob
    {
        if (name.Length > MaxNameLength || cron.Length > MaxCronLength)
        {
            throw new ArgumentException($"A job's name and cron are at most {MaxNameLength} and {MaxCronLength} characters: {name}");
        }

        _jobs.Add(new RecurringJobDeclaration(name, typeof(TJob), cron, misfire, cronSetting));
        return this;
    }
}

public sealed record RecurringJobDeclaration(string Name, Type JobType, string Cron, Misfire Misfire, string? CronSetting = null);

/// <summary>
/// What happens to fire times that passed while every replica was down (or the store was unreachable), stated per job rather
/// than left to a default nobody reads. Hangfire keeps each job's next fire time in the store; the first replica to come back
/// finds it in the past and applies this.
/// </summary>
public enum Misfire
{
    /// <summary>
    /// However many fire times were missed, the job runs once as soon as a replica is back, then keeps its schedule
    /// (Hangfire's <see cref="MisfireHandlingMode.Relaxed"/>). For jobs whose run covers everything up to now (a clean-up,
    /// warnings for what is due by today, today's snapshot): one late run does what the missed ones would have done, and a run
    /// per missed time would only repeat it.
    /// </summary>
    FireOnceNow,

    /// <summary>
    /// Missed fire times are dropped; the next regular time runs (Hangfire's <see cref="MisfireHandlingMode.Ignorable"/>). For
    /// frequent jobs whose next regular run comes soon and covers the missed work anyway.
    /// </summary>
    SkipToNextTime,
}

/// <summary>Settings of the job server ("Jobs" section); the defaults are production's, tests shorten the intervals.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>How often a replica looks for recurring and retried jobs that came due.</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Jobs one replica runs at once: the few recurring jobs need no more, and each holds a database connection.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// Attempts after a failure, each after the matching delay; then the run stays failed (dashboard) until the next fire time.
    /// Null means 1, 5 and 15 minutes (a default here would have configured values appended to it, not put in its place).
    /// </summary>
    public int[]? RetryDelaysSeconds { get; set; }

    internal int[] RetryDelays => RetryDelaysSeconds ?? [60, 300, 900];
}

public static class ScheduledJobs
{
    /// <summary>The job store's own schema in the service's database, apart from the service's tables in public.</summary>
    public const string SchemaName = "hangfire";

    /// <summary>People's time in Lower Saxony: cron expressions mean Berlin wall-clock time, daylight saving included.</summary>
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>
    /// Hangfire with its PostgreSQL store in the service's own database (schema <see cref="SchemaName"/>). Replicas share the
    /// store: a recurring job's next fire time is claimed under the store's lock, so each occurrence is enqueued once, and each
    /// enqueued run is fetched by one worker. Storage, activator and filters are this host's own, not Hangfire's process-wide
    /// defaults, so that several hosts in one process (tests) each run their own jobs on their own database.
    /// </summary>
    public static WebApplicationBuilder AddScheduledJobs(this WebApplicationBuilder builder, Action<RecurringJobs> declare)
    {
        var jobs = new RecurringJobs();
        declare(jobs);
        builder.Services.AddSingleton(jobs);
        builder.Services.AddSingleton<JobRunLog>();
        builder.Services.Configure<JobOptions>(builder.Configuration.GetSection(JobOptions.Section));
        builder.AddDashboardSession();
        builder.Services.AddSingleton<JobStorage>(services => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(ConnectionString(services), StorageOptions(services)), StorageOptions(services)));
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddSingleton<IJobFilterProvider>(services => new JobFilterProviderCollection(
            JobFilterProviders.Providers, new RetryFilterProvider(services.GetRequiredService<IOptions<JobOptions>>().Value)));
        builder.Services.AddHangfire((services, configuration) =>
        {
            LiveHostLogProvider.Instance.Add(services.GetRequiredService<ILoggerFactory>());
            configuration
                .UseLogProvider(LiveHostLogProvider.Instance)
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });
        // Before the job server starts: the store's schema, then the declared schedules.
        builder.Services.AddHostedService<RecurringJobDeclarer>();
        builder.Services.AddHangfireServer((services, server) =>
        {
            var options = services.GetRequiredService<IOptions<JobOptions>>().Value;
            server.WorkerCount = options.Workers;
            server.SchedulePollingInterval = options.PollingInterval;
        });
        return builder;
    }

    internal static PostgreSqlStorageOptions StorageOptions(IServiceProvider services) => new()
    {
        SchemaName = SchemaName,
        // The declarer installs the schema under a lock (several replicas starting at once); the storage only uses it.
        PrepareSchemaIfNecessary = false,
        QueuePollInterval = services.GetRequiredService<IOptions<JobOptions>>().Value.PollingInterval,
        // A run whose replica died is handed to another one after the heartbeat stops, not after a fixed half hour.
        UseSlidingInvisibilityTimeout = true,
    };

    internal static string ConnectionString(IServiceProvider services) =>
        ServiceDatabase.HousekeepingConnectionString(services.GetRequiredService<IConfiguration>());

    /// <summary>Retries as configured for every job of this host (the attribute's defaults, 10 attempts up to hours apart, are not ours).</summary>
    private sealed class RetryFilterProvider(JobOptions options) : IJobFilterProvider
    {
        private readonly JobFilter[] _filters =
        [
            new(new AutomaticRetryAttribute
            {
                Attempts = options.RetryDelays.Length,
                DelaysInSeconds = options.RetryDelays,
                OnAttemptsExceeded = AttemptsExceededAction.Fail,
            }, JobFilterScope.Method, null),
        ];

        public IEnumerable<JobFilter> GetFilters(Job job) => _filters;
    }
}
