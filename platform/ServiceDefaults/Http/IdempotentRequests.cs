using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.ServiceDefaults.Http;

/// <summary>The stored answer to a write sent with an Idempotency-Key (table idempotent_requests, platform migration 0004).</summary>
public sealed class IdempotentRequest
{
    public string Caller { get; internal set; } = string.Empty;
    public string Key { get; internal set; } = string.Empty;

    /// <summary>SHA-256 of method, path, query, content type and body: a retry must be the same request.</summary>
    public byte[] RequestHash { get; internal set; } = [];

    /// <summary>0 while the first request holding the key is still running.</summary>
    public int StatusCode { get; internal set; }

    public string ResponseBody { get; internal set; } = string.Empty;
    public string? Location { get; internal set; }
    public DateTimeOffset CreatedAt { get; internal set; }
}

/// <summary>An Idempotency-Key as sent by a caller, bound to the exact request it came with.</summary>
internal sealed record IdempotencyKey(string Caller, string Key, byte[] RequestHash);

/// <summary>
/// The keys and stored answers behind <see cref="IdempotentWrite"/>, the one way a write uses them. The key is claimed in the
/// same transaction as the write: a concurrent request with the same key waits for the first to commit and
/// then replays its answer; if the first rolls back (a refused request), the key stays free, and a retry is
/// judged afresh. Keys are per caller, so two schools cannot collide or read each other's answers.
/// </summary>
public static class IdempotentRequests
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    /// <summary>The key the request carries (null without the header), or the 400 for a malformed one.</summary>
    internal static (IdempotencyKey? Key, ProblemHttpResult? Problem) Read(HttpRequest request, ClaimsPrincipal user, ReadOnlySpan<byte> body)
    {
        var header = request.Headers[HeaderName];
        if (header.Count == 0)
        {
            return (null, null);
        }

        var key = header.Count == 1 ? header[0] : null;
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            return (null, ApiProblems.Malformed($"{HeaderName} must be one value of 1 to {MaxKeyLength} visible ASCII characters (a UUID is a good choice).",
                new Dictionary<string, string[]> { [HeaderName] = ["Not a valid idempotency key."] }));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n{request.ContentType}\n"));
        hash.AppendData(body);
        return (new IdempotencyKey(user.Actor(), key, hash.GetHashAndReset()), null);
    }

    /// <summary>
    /// Claims the key inside the open transaction of <paramref name="db"/>. Null means the request is new: do
    /// the work, call <see cref="Complete"/> and save before committing. Otherwise the result to answer with:
    /// the stored answer of the earlier request, or 422 when the key came with a different request.
    /// </summary>
    internal static async Task<IResult?> ClaimAsync(DbContext db, IdempotencyKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Claim an idempotency key inside the transaction of the write it protects.");
        }

        // ON CONFLICT waits for a concurrent holder of the key to commit or roll back, then decides.
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO idempotent_requests (caller, key, request_hash, status_code, response_body, created_at)
             VALUES ({key.Caller}, {key.Key}, {key.RequestHash}, 0, '', {now}) ON CONFLICT DO NOTHING
             """, cancellationToken);
        if (claimed == 1)
        {
            return null;
        }

        return await EarlierAnswerAsync(db, key, cancellationToken)
            ?? throw new InvalidOperationException($"The key {key.Key} was taken, yet no answer is stored with it.");
    }

    /// <summary>
    /// The answer to repeat when the key was used before: the stored answer of the earlier request, or 422 when the key came
    /// with a different request; null when the key is new.
    /// </summary>
    internal static async Task<IResult?> EarlierAnswerAsync(DbContext db, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var earlier = await db.Set<IdempotentRequest>().AsNoTracking()
            .SingleOrDefaultAsync(r => r.Caller == key.Caller && r.Key == key.Key, cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(earlier.RequestHash, key.RequestHash))
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Idempotency key reused",
                $"This {HeaderName} was already used for a different request. Nothing was changed; send a new request with a new key.");
        }

        return new StoredResponse(earlier.StatusCode, earlier.ResponseBody, earlier.Location);
    }

    /// <summary>
    /// The optimistic way, for writes that are cheap to redo: no claim first; the answer is added with the write and saved in
    /// its SaveChanges. A key used before makes that SaveChanges fail on the key (<see cref="IsTaken"/>): the caller throws
    /// its work away and answers <see cref="EarlierAnswerAsync"/>. A concurrent request with the same key waits on the
    /// key's row, as with <see cref="ClaimAsync"/>. A request refused before it writes must ask
    /// <see cref="EarlierAnswerAsync"/> too: the first attempt may have succeeded when things were different.
    /// </summary>
    internal static void Record(DbContext db, IdempotencyKey key, DateTimeOffset now, int statusCode, string responseBody, string? location) =>
        db.Add(new IdempotentRequest
        {
            Caller = key.Caller, Key = key.Key, RequestHash = key.RequestHash, StatusCode = statusCode, ResponseBody = responseBody,
            Location = location, CreatedAt = now,
        });

    /// <summary>The save failed because the key's answer is already stored (see <see cref="Record"/>).</summary>
    internal static bool IsTaken(DbUpdateException failure) =>
        failure.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_idempotent_requests" };

    /// <summary>Stages the answer on the claimed key: the caller's next SaveChanges writes it with the rest of the write.</summary>
    internal static void Complete(DbContext db, IdempotencyKey key, int statusCode, string responseBody, string? location)
    {
        var claimed = new IdempotentRequest { Caller = key.Caller, Key = key.Key };
        db.Attach(claimed);
        (claimed.StatusCode, claimed.ResponseBody, claimed.Location) = (statusCode, responseBody, location);
    }

    public static ModelBuilder AddIdempotentRequestsTable(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<IdempotentRequest>(request =>
        {
            request.ToTable("idempotent_requests");
            request.HasKey(r => new { r.Caller, r.Key });
            request.HasIndex(r => r.CreatedAt);
        });
        return modelBuilder;
    }

    /// <summary>The earlier answer, sent again as it was, marked as a replay.</summary>
    private sealed class StoredResponse(int statusCode, string body, string? location) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.Headers[ReplayedHeaderName] = "true";
            if (location is not null)
            {
                response.Headers.Location = location;
            }

            response.ContentType = statusCode >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
            await response.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
