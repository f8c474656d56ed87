using System.Net;
using Xunit;

namespace Mep.TestKit;

/// <summary>
/// Schools and their keys arranged through the Schools API itself, for tests that run the Schools service: the same requests a planner
/// and an admin send.
/// </summary>
public static class SchoolsHttp
{
    /// <summary>A complete registration body.</summary>
    public static object SchoolBody(string number, string name = "GY Testschule", string type = "GY", string district = "Mitte") => new
    {
        number,
        name,
        type,
        address = new { street = "Schulstraße 1", postalCode = "30159", city = "Hannover" },
        district,
    };

    /// <summary>Registers a school with a fresh number as <paramref name="planner"/>; fails the test on anything but 201. The school's id.</summary>
    public static async Task<Guid> RegisterSchoolAsync(this HttpClient planner, string? name = null, string type = "GY", string district = "Mitte")
    {
        var response = await planner.PostAsync("/api/schools",
            Json.Body(SchoolBody(TestSchoolNumbers.Next(), name ?? $"GY Test {Guid.NewGuid():N}", type, district)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Issues a key for a school as <paramref name="admin"/>; fails the test on anything but 201. The key's id and the key itself.</summary>
    public static async Task<(string KeyId, string Key)> IssueKeyAsync(this HttpClient admin, Guid schoolId, string label = "inventory software")
    {
        var response = await admin.PostAsync($"/api/schools/{schoolId}/api-keys", Json.Body(new { label }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.ReadJsonAsync();
        return (issued.GetProperty("keyId").GetString()!, issued.GetProperty("key").GetString()!);
    }
}
