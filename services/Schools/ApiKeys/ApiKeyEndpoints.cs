using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using System.Security.Claims;
using Mep.Schools.Data;
using Mep.Schools.Register;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.ApiKeys;

public static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeyEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/api-keys", ListApiKeys).RequireAuthorization(SchoolsAccess.ManageKeys)
            .WithName(nameof(ListApiKeys)).WithSummary("The school's API keys, active and revoked (never the secret).");
        group.MapGet("/{id:guid}/api-keys/{keyId}", GetApiKey).RequireAuthorization(SchoolsAccess.ManageKeys)
            .WithName(nameof(GetApiKey)).WithSummary("One API key of the school (never the secret).");
        group.MapPost("/{id:guid}/api-keys", IssueApiKey).RequireAuthorization(SchoolsAccess.ManageKeys)
            .WithName(nameof(IssueApiKey)).WithSummary("Issue an API key for the school; the key is shown once in the answer.");
        group.MapPost("/{id:guid}/api-keys/{keyId}/rotate", RotateApiKey).RequireAuthorization(SchoolsAccess.ManageKeys)
            .WithName(nameof(RotateApiKey)).WithSummary("Revoke a key and issue its successor with the same label, in one step.");
        group.MapPost("/{id:guid}/api-keys/{keyId}/revoke", RevokeApiKey).RequireAuthorization(SchoolsAccess.ManageKeys)
            .WithName(nameof(RevokeApiKey)).WithSummary("Revoke a key; requests with it are refused from now on.");
        return group;
    }

    public static async Task<Results<Ok<List<ApiKeyResponse>>, ProblemHttpResult>> ListApiKeys(
        Guid id, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Schools.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var keys = await db.ApiKeys.Where(k => k.SchoolId == id).OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.ConvertAll(ApiKeyResponse.From));
    }

    public static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> GetApiKey(
        Guid id, [MaxLength(SchoolFields.ApiKeyIdLength)] string keyId, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.SchoolId == id && k.KeyId == keyId, cancellationToken);
        return key is null ? ApiProblems.NotFound("API key of this school") : TypedResults.Ok(ApiKeyResponse.From(key));
    }

    public static async Task<Results<Created<IssuedApiKeyResponse>, ProblemHttpResult>> IssueApiKey(
        Guid id, IssueApiKeyRequest request, ClaimsPrincipal user, SchoolsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await db.Schools.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var now = clock.GetUtcNow();
        var (key, plainText) = SchoolApiKey.Issue(id, request.Label!, user.Actor(), now);
        db.ApiKeys.Add(key);
        db.ApiKeyIssued(key, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{SchoolsService.PathPrefix}/{id}/api-keys/{key.KeyId}", new IssuedApiKeyResponse(key.KeyId, key.Label, key.CreatedAt, plainText));
    }

    public static async Task<Results<Created<IssuedApiKeyResponse>, ProblemHttpResult>> RotateApiKey(
        Guid id, [MaxLength(SchoolFields.ApiKeyIdLength)] string keyId, ClaimsPrincipal user, SchoolsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var old = await db.ApiKeys.AsTracking().FirstOrDefaultAsync(k => k.SchoolId == id && k.KeyId == keyId, cancellationToken);
        if (old is null)
        {
            return ApiProblems.NotFound("API key of this school");
        }

        var now = clock.GetUtcNow();
        var (successor, plainText) = old.Rotate(user.Actor(), now);
        db.ApiKeys.Add(successor);
        db.ApiKeyRevoked(old, now);
        db.ApiKeyIssued(successor, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"{SchoolsService.PathPrefix}/{id}/api-keys/{successor.KeyId}",
            new IssuedApiKeyResponse(successor.KeyId, successor.Label, successor.CreatedAt, plainText));
    }

    public static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeApiKey(
        Guid id, [MaxLength(SchoolFields.ApiKeyIdLength)] string keyId, ClaimsPrincipal user, SchoolsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsTracking().FirstOrDefaultAsync(k => k.SchoolId == id && k.KeyId == keyId, cancellationToken);
        if (key is null)
        {
            return ApiProblems.NotFound("API key of this school");
        }

        var now = clock.GetUtcNow();
        key.Revoke(user.Actor(), now);
        db.ApiKeyRevoked(key, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ApiKeyResponse.From(key));
    }
}
