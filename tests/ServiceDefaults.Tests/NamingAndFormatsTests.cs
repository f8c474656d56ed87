using Mep.Contracts;
using Mep.ServiceDefaults.Auth;

namespace Mep.ServiceDefaults.Tests;

public sealed class NamingAndFormatsTests
{
    [Fact]
    public void An_issued_school_key_parses_back_and_only_its_own_secret_matches_its_hash()
    {
        var issued = SchoolApiKeyFormat.Issue();
        var other = SchoolApiKeyFormat.Issue();

        Assert.True(SchoolApiKeyFormat.TryParse(issued.PlainTextKey, out var keyId, out var secret));
        Assert.Equal(issued.KeyId, keyId);
        Assert.True(SchoolApiKeyFormat.SecretMatches(secret, issued.SecretHash));
        Assert.False(SchoolApiKeyFormat.SecretMatches(secret, other.SecretHash));
    }

    [Fact]
    public void Many_issued_keys_are_all_different_and_parse_even_when_they_contain_underscores()
    {
        var keys = Enumerable.Range(0, 2_000).Select(_ => SchoolApiKeyFormat.Issue()).ToList();

        Assert.Equal(keys.Count, keys.Select(k => k.PlainTextKey).Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, key =>
        {
            Assert.True(SchoolApiKeyFormat.TryParse(key.PlainTextKey, out var keyId, out var secret));
            Assert.Equal(key.KeyId, keyId);
            Assert.True(SchoolApiKeyFormat.SecretMatches(secret, key.SecretHash));
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("mep_sk_short")]
    [InlineData("mep_sk_AAAAAAAAAAAAxsecret")]
    public void Strings_that_are_not_school_keys_do_not_parse(string? presented) =>
        Assert.False(SchoolApiKeyFormat.TryParse(presented, out _, out _));

    [Theory]
    [InlineData("GY", SchoolType.GY)]
    [InlineData("gy", SchoolType.GY)]
    [InlineData("FöS", SchoolType.FoeS)]
    [InlineData("FoeS", SchoolType.FoeS)]
    [InlineData(" BBS ", SchoolType.BBS)]
    public void School_types_parse_in_api_and_ascii_spelling(string text, SchoolType expected)
    {
        Assert.True(SchoolTypes.TryParse(text, out var type));
        Assert.Equal(expected, type);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Gymnasium")]
    [InlineData("")]
    public void Unknown_school_types_and_numbers_do_not_parse(string text) => Assert.False(SchoolTypes.TryParse(text, out _));
}
