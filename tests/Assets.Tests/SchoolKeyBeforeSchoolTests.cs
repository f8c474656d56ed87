using System.Net;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

/// <summary>
/// A school's key and the school's registration are two events that can reach Assets in either order. A key is let in only once
/// Assets knows its school too, so a school's software never passes authentication and is then told its own school is unknown.
/// </summary>
public sealed class SchoolKeyBeforeSchoolTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task A_key_that_arrived_before_its_schools_registration_is_refused_as_unauthenticated()
    {
        var (_, key) = await KeyOfUnregisteredSchoolAsync();

        using var response = await api.ClientWithSchoolKey(key).GetAsync("/api/assets/devices");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ProblemTypes.Unauthenticated);
    }

    [Fact]
    public async Task A_key_that_arrived_before_its_schools_registration_registers_devices_once_the_registration_arrives()
    {
        var (schoolId, key) = await KeyOfUnregisteredSchoolAsync();
        using var school = api.ClientWithSchoolKey(key);

        await api.PublishAsync(new SchoolRegistered(schoolId, TestSchoolNumbers.Next(), "GY Testschule spät", SchoolType.GY, "Mitte",
            DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await school.GetAsync("/api/assets/devices")).StatusCode == HttpStatusCode.OK,
            "Assets lets the key in once it knows the school");
        using var registered = await school.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet($"LATE-{schoolId:N}")]));

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal(1, await api.DeviceRowsAsync(schoolId));
    }

    /// <summary>A key Schools issued for a school whose registration has not reached Assets; returns once Assets holds the key.</summary>
    private async Task<(Guid SchoolId, string Key)> KeyOfUnregisteredSchoolAsync()
    {
        var schoolId = Guid.NewGuid();
        var key = SchoolApiKeyFormat.Issue();
        await api.PublishAsync(new SchoolApiKeyIssued(schoolId, key.KeyId, Convert.ToBase64String(key.SecretHash), DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
                await api.Database.ScalarAsync<long>($"SELECT count(*) FROM known_school_api_keys WHERE key_id = '{key.KeyId}'") == 1,
            "Assets holds the key");
        return (schoolId, key.PlainTextKey);
    }
}
