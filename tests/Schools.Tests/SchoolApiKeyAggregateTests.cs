using Mep.Schools.ApiKeys;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>A school API key's issue, rotation and revocation, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class SchoolApiKeyAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid School = Guid.NewGuid();

    private static SchoolApiKey Issued() => SchoolApiKey.Issue(School, " inventory software ", "admin-ada", Now).Key;

    [Fact]
    public void An_issued_key_is_active_for_its_school_with_its_label_trimmed()
    {
        var key = Issued();

        Assert.Equal((true, School, "inventory software", "admin-ada"), (key.IsActive, key.SchoolId, key.Label, key.CreatedBy));
    }

    [Fact]
    public void The_plain_text_key_matches_the_stored_hash_and_names_the_key()
    {
        var (key, plainText) = SchoolApiKey.Issue(School, "inventory software", "admin-ada", Now);

        Assert.True(SchoolApiKeyFormat.TryParse(plainText, out var keyId, out var secret));
        Assert.Equal((key.KeyId, true), (keyId, SchoolApiKeyFormat.SecretMatches(secret, key.SecretHash)));
    }

    [Fact]
    public void A_revoked_key_records_who_revoked_it_and_when()
    {
        var key = Issued();

        key.Revoke("admin-ada", Now.AddDays(1));

        Assert.Equal((false, Now.AddDays(1), "admin-ada"), (key.IsActive, key.RevokedAt, key.RevokedBy));
    }

    [Fact]
    public void A_revoked_key_is_not_revoked_again()
    {
        var key = Issued();
        key.Revoke("admin-ada", Now);

        var refused = Assert.Throws<DomainRuleException>(() => key.Revoke("admin-ada", Now.AddDays(1)));

        Assert.Equal(("api-key-already-revoked", true), (refused.Rule, refused.IsStateConflict));
    }

    [Fact]
    public void Rotation_revokes_the_key()
    {
        var key = Issued();

        key.Rotate("admin-ada", Now.AddDays(1));

        Assert.Equal((false, Now.AddDays(1)), (key.IsActive, key.RevokedAt));
    }

    [Fact]
    public void Rotation_issues_a_new_active_key_for_the_same_school_and_label()
    {
        var key = Issued();

        var (successor, plainText) = key.Rotate("admin-ada", Now.AddDays(1));

        Assert.Equal((true, School, "inventory software", true), (successor.IsActive, successor.SchoolId, successor.Label, plainText.Contains(successor.KeyId, StringComparison.Ordinal)));
        Assert.NotEqual(key.KeyId, successor.KeyId);
    }

    [Fact]
    public void A_revoked_key_is_not_rotated()
    {
        var key = Issued();
        key.Revoke("admin-ada", Now);

        var refused = Assert.Throws<DomainRuleException>(() => key.Rotate("admin-ada", Now.AddDays(1)));

        Assert.Equal(("api-key-already-revoked", true), (refused.Rule, refused.IsStateConflict));
    }
}
