using System.Net;
using System.Text.Json;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;

namespace Mep.Assets.Tests;

/// <summary>
/// The Assets service on a database and broker virtual host of its own. Tests arrange schools, keys and rooms
/// the way production does: by publishing Schools' events on the broker, which the service consumes.
/// </summary>
public sealed class AssetsApi : ConsumingServiceFactory<Program>
{
    public HttpClient Planner => ClientAs(PlatformRoles.Planner);
    public HttpClient Admin => ClientAs(PlatformRoles.Admin);

    /// <summary>A school with a key and <paramref name="rooms"/> rooms (the first a computer room), as Schools announces them; Assets knows it on return.</summary>
    public Task<TestSchool> SchoolAsync(SchoolType type = SchoolType.GY, int rooms = 2, string district = "Mitte") =>
        SeedSchoolAsync(new SchoolSeed { Type = type, Rooms = rooms, District = district });

    /// <summary>Publishes what Schools publishes when a school is accepted into the MEP standard, and waits until Assets knows it.</summary>
    public async Task AcceptIntoMepStandardAsync(TestSchool school, DateOnly acceptedOn)
    {
        await Bus.Publish(new SchoolAcceptedIntoMepStandard(school.Id, acceptedOn, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
                await Database.ScalarAsync<long>($"SELECT count(*) FROM known_schools WHERE school_id = '{school.Id}' AND at_mep_standard") == 1,
            $"Assets knows school {school.Number} is at MEP standard");
    }

    /// <summary>A valid device row; override fields with <paramref name="fields"/> (null removes a field).</summary>
    public static Dictionary<string, object?> Tablet(string serial, string ownership = "teacher", params (string Field, object? Value)[] fields)
    {
        var row = new Dictionary<string, object?>
        {
            ["serialNumber"] = serial, ["kind"] = "tablet", ["manufacturer"] = "Apple", ["model"] = "iPad 10.2 (9th gen)", ["ownership"] = ownership,
            ["purchaseDate"] = "2020-08-01", ["purchasePrice"] = 329.00m, ["fundingSource"] = "digitalPaktBase", ["usefulLifeMonths"] = 60,
        };
        if (ownership == "parentFinancedPupil")
        {
            row["fundingSource"] = "parentFinanced";
            row["pupilReference"] = $"P-{serial}";
            row["subsidyCategory"] = "none";
            row["contractMonthlyRate"] = 10.90m;
            row["contractMonths"] = 36;
            row["contractProvider"] = "GfdB";
        }

        return row.With(fields);
    }

    public static Dictionary<string, object?> Device(string serial, string kind, params (string Field, object? Value)[] fields)
    {
        var row = new Dictionary<string, object?> { ["serialNumber"] = serial, ["kind"] = kind, ["manufacturer"] = "Acme", ["model"] = "M1" };
        foreach (var (field, value) in fields)
        {
            row[field] = value;
        }

        return row;
    }

    public static StringContent Batch(IEnumerable<object> devices) => Json.Body(new { devices });

    /// <summary>A board system set up in a room; its id.</summary>
    public static async Task<Guid> SetUpBoardSystemAsync(HttpClient client, Guid roomId)
    {
        var response = await client.PostAsync("/api/assets/board-systems", Json.Body(new { roomId }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    public static StringContent Csv(string text) => new(text, System.Text.Encoding.UTF8, "text/csv");

    public static async Task<JsonElement> CountsAsync(HttpClient client, Guid schoolId)
    {
        var response = await client.GetAsync($"/api/assets/counts?schoolId={schoolId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single((await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList());
    }

    public Task<long> DeviceRowsAsync(Guid schoolId) => Database.ScalarAsync<long>($"SELECT count(*) FROM devices WHERE school_id = '{schoolId}'")!;
}
