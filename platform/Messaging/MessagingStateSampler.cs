using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Messaging;

/// <summary>
/// Reads the outbox's backlog and the error queues' depths every <see cref="MessagingOptions.StateSampleInterval"/> for the gauges of
/// <see cref="MessagingMetrics"/>, so that a scrape answers from memory and never waits for the database or the broker.
/// </summary>
public sealed partial class MessagingStateSampler<TContext>(
    IServiceScopeFactory scopes,
    ReceiveQueues queues,
    ErrorQueues errorQueues,
    MessagingMetrics metrics,
    TimeProvider clock,
    IOptions<MessagingOptions> options,
    ILogger<MessagingStateSampler<TContext>> logger) : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StateSampleInterval, clock);
        do
        {
            try
            {
                metrics.Sampled(await SampleAsync(stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The gauges keep their last values; a database or broker outage shows in the health checks and the relay's failures.
                LogSampleFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public async Task<MessagingMetrics.MessagingState> SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pending = scope.ServiceProvider.GetRequiredService<TContext>().Set<OutboxMessage>().Where(m => m.PublishedAt == null);
        var count = await pending.LongCountAsync(cancellationToken);
        var oldest = await pending.OrderBy(m => m.Sequence).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var age = oldest is null ? 0 : Math.Max(0, (clock.GetUtcNow() - oldest.Value).TotalSeconds);
        return new MessagingMetrics.MessagingState(count, age, await errorQueues.DepthsAsync(queues.Names, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Sampling the outbox and error queues for the metrics failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
