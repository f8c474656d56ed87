using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.Jobs;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Messaging;

/// <summary>What an operator sees per service: outbox backlog, error queues, last run of each job; and replay of an error queue.</summary>
public static class OperatorEndpoints
{
    /// <summary>How much of an error's text the operator view shows (the logs have all of it).</summary>
    public const int MaxErrorLength = 2_000;

    /// <summary>A service's consumers, jobs and error queues are declared in its code: a few dozen at most.</summary>
    public const int MaxListed = 100;

    public sealed record OutboxState([Range(0, int.MaxValue)] int Pending, DateTimeOffset? OldestPendingAt, double? OldestPendingAgeSeconds,
        [Range(0, int.MaxValue)] int Failing, [MaxLength(MaxErrorLength)] string? LastError, [Range(0, int.MaxValue)] int PublishedLastHour);

    /// <summary>A declared or stored job and its last run (null fields: it has not run yet).</summary>
    public sealed record JobState([MaxLength(RecurringJobs.MaxNameLength)] string Job, [MaxLength(RecurringJobs.MaxCronLength)] string? Cron,
        DateTimeOffset? LastStartedAt, DateTimeOffset? LastFinishedAt, bool? LastSucceeded, [MaxLength(MaxErrorLength)] string? LastError,
        [Range(0, DeclaredLimits.MaxSafeInteger)] long Runs, [Range(0, DeclaredLimits.MaxSafeInteger)] long Failures);

    /// <summary>How fresh the read models fed by events are: the last event applied (null: none yet), its age, and per consumer.</summary>
    public sealed record ReadModelState(DateTimeOffset? LastEventAppliedAt, double? SecondsSinceLastEventApplied,
        [MaxLength(MaxListed)] IReadOnlyList<ReadModelFreshness.ConsumerFreshness> ByConsumer);

    public sealed record OperationsState(OutboxState Outbox, [MaxLength(MaxListed)] IReadOnlyList<ErrorQueues.QueueDepth> ErrorQueues,
        [MaxLength(MaxListed)] IReadOnlyList<JobState> Jobs, ReadModelState ReadModels);

    public sealed record ReplayResult([MaxLength(ErrorQueues.MaxQueueNameLength)] string Queue, [Range(0, int.MaxValue)] int Replayed);

    /// <summary>Maps <c>GET {prefix}/admin/operations</c> and <c>POST {prefix}/admin/operations/error-queues/{queue}/replay</c> for admins.</summary>
    public static RouteGroupBuilder MapOperatorEndpoints<TContext>(this RouteGroupBuilder group) where TContext : DbContext
    {
        var admin = group.MapGroup("/admin/operations").RequireAuthorization(PlatformRoles.Admin).WithTags("Operations");
        // The service's context is resolved by type here: a generic handler parameter trips the route analyzer.
        admin.MapGet("/", (HttpContext http, ReceiveQueues queues, ErrorQueues errorQueues, TimeProvider clock) =>
                GetOperationsState(http.RequestServices.GetRequiredService<TContext>(), queues, errorQueues, http.RequestServices.GetService<JobRunLog>(),
                    http.RequestServices.GetService<RecurringJobs>(), clock, http.RequestAborted))
            .WithName("GetOperationsState")
            .WithSummary("Outbox backlog and age of the oldest pending event, failing publishes, the error queues of this service's consumers, "
                + "and the last run of each scheduled job.");
        admin.MapPost("/error-queues/{queue}/replay", ReplayErrorQueue).WithName("ReplayErrorQueue")
            .WithSummary("Move up to 'max' messages (default 100) from a consumer's error queue back to its queue.");
        return group;
    }

    public static async Task<Ok<OperationsState>> GetOperationsState<TContext>(TContext db, ReceiveQueues queues, ErrorQueues errorQueues,
        JobRunLog? runs, RecurringJobs? declared, TimeProvider clock, CancellationToken cancellationToken) where TContext : DbContext
    {
        var now = clock.GetUtcNow();
        var hourAgo = now.AddHours(-1);
        var outbox = db.Set<OutboxMessage>();
        var pending = outbox.Where(m => m.PublishedAt == null);
        var oldest = await pending.OrderBy(m => m.Sequence).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var state = new OutboxState(
            await pending.CountAsync(cancellationToken),
            oldest,
            oldest is null ? null : Math.Round((now - oldest.Value).TotalSeconds, 1),
            await pending.CountAsync(m => m.Attempts > 0, cancellationToken),
            Texts.Cut(await pending.Where(m => m.LastError != null).OrderByDescending(m => m.Sequence).Select(m => m.LastError)
                .FirstOrDefaultAsync(cancellationToken), MaxErrorLength),
            await outbox.CountAsync(m => m.PublishedAt >= hourAgo, cancellationToken));
        var byConsumer = await ReadModelFreshness.ByConsumerAsync(db, cancellationToken);
        DateTimeOffset? lastApplied = byConsumer.Count == 0 ? null : byConsumer[0].LastAppliedAt;
        return TypedResults.Ok(new OperationsState(state, await errorQueues.DepthsAsync(queues.Names, cancellationToken),
            await JobStatesAsync(runs, declared, cancellationToken),
            new ReadModelState(lastApplied, lastApplied is null ? null : Math.Round((now - lastApplied.Value).TotalSeconds, 1), byConsumer)));
    }

    private static async Task<IReadOnlyList<JobState>> JobStatesAsync(JobRunLog? runs, RecurringJobs? declared, CancellationToken cancellationToken)
    {
        var lastRuns = runs is null ? [] : await runs.AllAsync(cancellationToken);
        var crons = (declared?.All ?? []).ToDictionary(job => job.Name, job => job.Cron, StringComparer.Ordinal);
        return [.. crons.Keys.Union(lastRuns.Select(run => run.Job), StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(name =>
        {
            var run = lastRuns.FirstOrDefault(r => r.Job == name);
            return new JobState(name, crons.GetValueOrDefault(name), run?.LastStartedAt, run?.LastFinishedAt, run?.LastSucceeded,
                Texts.Cut(run?.LastError, MaxErrorLength),
                run?.Runs ?? 0, run?.Failures ?? 0);
        })];
    }

    public static async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> ReplayErrorQueue(
        [MaxLength(ErrorQueues.MaxQueueNameLength)] string queue, [Range(1, 10_000)] int? max, ReceiveQueues queues,
        ErrorQueues errorQueues, CancellationToken cancellationToken)
    {
        if (!queues.Contains(queue))
        {
            return ApiProblems.NotFound("receive queue of this service");
        }

        var outcome = await errorQueues.ReplayAsync(queue, max ?? 100, cancellationToken);
        if (outcome.QueueMissing)
        {
            return ApiProblems.Conflict($"The queue {queue} does not exist on the broker (yet); start the service's consumers first.");
        }

        return outcome.BrokerError is null
            ? TypedResults.Ok(new ReplayResult(queue, outcome.Replayed))
            : ApiProblems.Problem(503, ProblemTypes.Unavailable, "Broker unavailable",
                $"The replay stopped after {outcome.Replayed} messages: the broker is not reachable. The rest stays in the error queue.",
                new Dictionary<string, object?> { ["replayed"] = outcome.Replayed });
    }
}
