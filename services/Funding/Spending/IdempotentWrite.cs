using System.Text.Json;
using Mep.Funding.Data;
using Mep.ServiceDefaults.Http;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Spending;

/// <summary>What a money write produced: the answer to send (and to store under the Idempotency-Key), or the refusal that stores nothing.</summary>
internal sealed record WriteOutcome(int Status, object? Body, string? Location, IResult? Refusal)
{
    public static WriteOutcome Refused(IResult refusal) => new(0, null, null, refusal);

    public static WriteOutcome Created(object body, string location) => new(StatusCodes.Status201Created, body, location, null);
}

/// <summary>
/// Draws and invoices are retried by clients: the key is claimed first in the write's own transaction (a concurrent retry waits for
/// it, then replays the stored answer), the write runs, and its answer is stored in the same commit. A refusal rolls the claim back
/// with everything else, so a retry after it is judged afresh.
/// </summary>
internal static class IdempotentWrite
{
    /// <summary>Reads the request's Idempotency-Key (hashed with the request as the API reads it) and runs the write under it.</summary>
    public static Task<IResult> RunAsync<TRequest>(FundingDbContext db, HttpRequest http, System.Security.Claims.ClaimsPrincipal user, TRequest request,
        TimeProvider clock, JsonSerializerOptions json, Func<DateTimeOffset, Task<WriteOutcome>> write, CancellationToken cancellationToken)
    {
        var (key, malformedKey) = IdempotentRequests.Read(http, user, JsonSerializer.SerializeToUtf8Bytes(request, json));
        return malformedKey is not null ? Task.FromResult<IResult>(malformedKey) : RunAsync(db, key, clock, json, write, cancellationToken);
    }

    private static Task<IResult> RunAsync(FundingDbContext db, IdempotencyKey? key, TimeProvider clock, JsonSerializerOptions json,
        Func<DateTimeOffset, Task<WriteOutcome>> write, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (key is not null && await IdempotentRequests.ClaimAsync(db, key, now, cancellationToken) is { } earlier)
            {
                return earlier;
            }

            var outcome = await write(now);
            if (outcome.Refusal is not null)
            {
                return outcome.Refusal;
            }

            var body = JsonSerializer.Serialize(outcome.Body, json);
            if (key is not null)
            {
                IdempotentRequests.Complete(db, key, outcome.Status, body, outcome.Location);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (IResult)new JsonAnswer(outcome.Status, body, outcome.Location);
        });
}
