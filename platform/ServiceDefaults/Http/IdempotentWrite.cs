using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Mep.ServiceDefaults.Http;

/// <summary>What a write produced: the answer to send (and to store under the Idempotency-Key), or the refusal that stores nothing.</summary>
public sealed record WriteOutcome(int Status, object? Body, string? Location, IResult? Refusal)
{
    public static WriteOutcome Refused(IResult refusal) => new(0, null, null, refusal);

    public static WriteOutcome Created(object body, string location) => new(StatusCodes.Status201Created, body, location, null);

    public static WriteOutcome Ok(object body, string? location = null) => new(StatusCodes.Status200OK, body, location, null);

    /// <summary>
    /// How the rows the write staged are stored together with the answer; SaveChanges when null. For a write that stores its new rows
    /// another way (a prepared batch): it must store the context's tracked entities too, where the answer is.
    /// </summary>
    public Func<CancellationToken, Task>? Save { get; init; }
}

/// <summary>When a write claims its Idempotency-Key; see <see cref="IdempotentWrite"/>.</summary>
public enum IdempotencyClaim
{
    /// <summary>
    /// First, in a transaction around the write: a second request with the key waits for the first to end, then replays its
    /// answer, or does the write itself if the first rolled back. For writes that are costly to redo or would collide when one
    /// request runs twice at once (a batch of serial numbers), and for writes that need a transaction anyway (a draw holds its
    /// application's lock).
    /// </summary>
    BeforeTheWrite,

    /// <summary>
    /// With the answer, in the write's one save (a batch or a SaveChanges, atomic on its own), without a transaction around the
    /// write: a key answered before makes the save fail on the key; the work is thrown away and the earlier answer replayed. A
    /// second request with the key waits on the key's row all the same. Saves the claim's and the transaction's round trips on
    /// every request, for writes that are cheap to redo and save once (a new ticket).
    /// </summary>
    WithTheWrite,
}

/// <summary>
/// The one way a write honours an Idempotency-Key (docs/architecture.md, "Conventions"): a repeat gets the first answer, byte for
/// byte and marked as a replay; the same key with another request is refused (422); the write and the answer stored with the key
/// are one transaction, so a refused or failed write leaves the key free and a retry is judged afresh. Keys are per caller
/// (<see cref="IdempotentRequests"/>). The OpenAPI document learns that a handler reads the header from its call of this.
/// </summary>
public static class IdempotentWrite
{
    /// <summary>Runs the write under the request's key, hashed with the request as the API read it (the bound record).</summary>
    public static Task<IResult> RunAsync<TRequest>(DbContext db, HttpRequest http, ClaimsPrincipal user, TRequest request, TimeProvider clock,
        JsonSerializerOptions json, Func<DateTimeOffset, Task<WriteOutcome>> write, CancellationToken cancellationToken,
        IdempotencyClaim claim = IdempotencyClaim.BeforeTheWrite) =>
        RunOnSentBodyAsync(db, http, user, JsonSerializer.SerializeToUtf8Bytes(request, json), clock, json, write, cancellationToken, claim);

    /// <summary>Runs the write under the request's key, hashed with the body as it was sent (a CSV file).</summary>
    public static Task<IResult> RunOnSentBodyAsync(DbContext db, HttpRequest http, ClaimsPrincipal user, ReadOnlyMemory<byte> requestBody,
        TimeProvider clock, JsonSerializerOptions json, Func<DateTimeOffset, Task<WriteOutcome>> write, CancellationToken cancellationToken,
        IdempotencyClaim claim = IdempotencyClaim.BeforeTheWrite)
    {
        var (key, malformedKey) = IdempotentRequests.Read(http, user, requestBody.Span);
        if (malformedKey is not null)
        {
            return Task.FromResult<IResult>(malformedKey);
        }

        return db.Database.CreateExecutionStrategy().ExecuteAsync(() => claim == IdempotencyClaim.BeforeTheWrite
            ? ClaimFirstAsync(db, key, clock, json, write, cancellationToken)
            : ClaimWithTheAnswerAsync(db, key, clock, json, write, cancellationToken));
    }

    private static async Task<IResult> ClaimFirstAsync(DbContext db, IdempotencyKey? key, TimeProvider clock, JsonSerializerOptions json,
        Func<DateTimeOffset, Task<WriteOutcome>> write, CancellationToken cancellationToken)
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
            // Nothing is committed: the rollback frees the key for a corrected retry.
            return outcome.Refusal;
        }

        var body = JsonSerializer.Serialize(outcome.Body, json);
        if (key is not null)
        {
            IdempotentRequests.Complete(db, key, outcome.Status, body, outcome.Location);
        }

        await SaveAsync(db, outcome, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new JsonAnswer(outcome.Status, body, outcome.Location);
    }

    private static async Task<IResult> ClaimWithTheAnswerAsync(DbContext db, IdempotencyKey? key, TimeProvider clock, JsonSerializerOptions json,
        Func<DateTimeOffset, Task<WriteOutcome>> write, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow();
        var outcome = await write(now);
        if (outcome.Refusal is not null)
        {
            // A retry of a write taken before answers as it did then, even if it would be refused now (a device retired since).
            return key is not null && await IdempotentRequests.EarlierAnswerAsync(db, key, cancellationToken) is { } earlier
                ? earlier
                : outcome.Refusal;
        }

        var body = JsonSerializer.Serialize(outcome.Body, json);
        if (key is not null)
        {
            // Optimistic: a repeated key is rare, and the work is cheap to throw away when it comes.
            IdempotentRequests.Record(db, key, now, outcome.Status, body, outcome.Location);
        }

        try
        {
            await SaveAsync(db, outcome, cancellationToken);
        }
        catch (DbUpdateException taken) when (key is not null && IdempotentRequests.IsTaken(taken))
        {
            db.ChangeTracker.Clear();
            if (await IdempotentRequests.EarlierAnswerAsync(db, key, cancellationToken) is { } earlier)
            {
                return earlier;
            }

            throw;
        }

        return new JsonAnswer(outcome.Status, body, outcome.Location);
    }

    private static Task SaveAsync(DbContext db, WriteOutcome outcome, CancellationToken cancellationToken) =>
        outcome.Save is { } save ? save(cancellationToken) : db.SaveChangesAsync(cancellationToken);
}
