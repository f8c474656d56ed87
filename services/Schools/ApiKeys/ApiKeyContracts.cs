using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Validation;

namespace Mep.Schools.ApiKeys;

/// <summary>A key as listed: never the secret.</summary>
public sealed record ApiKeyResponse(
    [MaxLength(SchoolFields.ApiKeyIdLength)] string KeyId, [MaxLength(SchoolFields.MaxApiKeyLabel)] string Label, bool Active,
    DateTimeOffset CreatedAt, [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy, DateTimeOffset? RevokedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string? RevokedBy, DateTimeOffset? LastUsedAt)
{
    public static ApiKeyResponse From(SchoolApiKey k) =>
        new(k.KeyId, k.Label, k.IsActive, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.RevokedBy, k.LastUsedAt);
}

/// <summary>A newly issued key: <see cref="Key"/> is shown this once and cannot be read again.</summary>
public sealed record IssuedApiKeyResponse(
    [MaxLength(SchoolFields.ApiKeyIdLength)] string KeyId, [MaxLength(SchoolFields.MaxApiKeyLabel)] string Label, DateTimeOffset CreatedAt,
    [MaxLength(SchoolApiKeyFormat.KeyLength)] string Key);

public sealed record IssueApiKeyRequest([Required, MaxLength(SchoolFields.MaxApiKeyLabel)] string? Label) : IValidatableRequest;
