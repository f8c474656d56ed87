namespace Mep.ServiceDefaults.Telemetry;

public static class CountedWrites
{
    /// <summary>
    /// Counts a write once its answer went out as a success, so the count is of committed writes: a write whose commit failed answers
    /// an error, and a replayed answer (a retried Idempotency-Key) runs no handler and counts nothing.
    /// </summary>
    public static void CountOnSuccess(this HttpResponse response, Action count) =>
        response.OnCompleted(() =>
        {
            if (response.StatusCode is >= StatusCodes.Status200OK and < StatusCodes.Status300MultipleChoices)
            {
                count();
            }

            return Task.CompletedTask;
        });
}
