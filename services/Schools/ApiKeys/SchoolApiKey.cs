using Mep.Schools.Register;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.ApiKeys;

/// <summary>A school's API key: the secret is never stored, only its hash; a revoked key stays for audit.</summary>
public sealed class SchoolApiKey
{
    private SchoolApiKey()
    {
    }

    public Guid Id { get; private set; }
    public Guid SchoolId { get; private set; }

    /// <summary>Public part of the key, used to find it; safe to show and log.</summary>
    public string KeyId { get; private set; } = string.Empty;

    public byte[] SecretHash { get; private set; } = [];

    /// <summary>What the key is for, e.g. "inventory software".</summary>
    public string Label { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevokedBy { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }

    /// <summary>Row version (xmin): two concurrent rotations of one key cannot both succeed.</summary>
    public uint Version { get; private set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>Issues a new key; the plain text is returned once and must be handed to the school now.</summary>
    public static (SchoolApiKey Key, string PlainText) Issue(Guid schoolId, string label, string actor, DateTimeOffset now)
    {
        var issued = SchoolApiKeyFormat.Issue();
        var key = new SchoolApiKey
        {
            Id = Guid.CreateVersion7(now),
            SchoolId = schoolId,
            KeyId = issued.KeyId,
            SecretHash = issued.SecretHash,
            Label = label.Trim(),
            CreatedAt = now,
            CreatedBy = actor,
        };
        return (key, issued.PlainTextKey);
    }

    /// <summary>Revokes this key and issues its successor for the same school and purpose; a revoked key has no successor to give.</summary>
    public (SchoolApiKey Successor, string PlainText) Rotate(string actor, DateTimeOffset now)
    {
        Revoke(actor, now);
        return Issue(SchoolId, Label, actor, now);
    }

    public void Revoke(string actor, DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            throw new DomainRuleException("api-key-already-revoked", $"Key {KeyId} was already revoked at {RevokedAt:O}.") { IsStateConflict = true };
        }

        (RevokedAt, RevokedBy) = (now, actor);
    }
}

internal sealed class SchoolApiKeyConfiguration : IEntityTypeConfiguration<SchoolApiKey>
{
    public void Configure(EntityTypeBuilder<SchoolApiKey> key)
    {
        key.ToTable("school_api_keys");
        key.HasKey(k => k.Id);
        key.Ignore(k => k.IsActive);
        key.HasIndex(k => k.KeyId).IsUnique();
        key.HasIndex(k => k.SchoolId);
        key.HasOne<School>().WithMany().HasForeignKey(k => k.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}
