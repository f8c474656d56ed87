using System.Net;
using System.Text.Json;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;

namespace Mep.Assets.Tests;

/// <summary>A school as the tests arrange it: known to Assets through Schools' events, with a key and rooms.</summary>
public sealed record TestSchool(Guid Id, string Number, string ApiKey, IReadOnlyList<Guid> Rooms);

/// <summary>
/// The Assets service on a database and broker virtual host of its own. Tests arrange schools, keys and rooms
/// the way production does: by publishing Schools' events on the broker, which the service consumes.
/// </summary>
public sealed class AssetsApi : ConsumingServiceFactory<Program>
{
    private int _nextNumber = 40_000;

    public HttpClient Planner => ClientAs(PlatformRoles.Planner);
    public HttpClient Admin => ClientAs(PlatformRoles.Admin);

    /// <summary>Publishes what Schools publishes for a new school with a key and <paramref name="rooms"/> classrooms, and waits until Assets knows all of it.</summary>
    public async Task<TestSchool> SchoolAsync(SchoolType type = SchoolType.GY, int rooms = 2, string district = "Mitte")
    {
        var id = Guid.NewGuid();
        var number = Interlocked.Increment(ref _nextNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow;
        await Bus.Publish(new SchoolRegistered(id, number, $"{type} Testschule {number}", type, district, now));
        var key = SchoolApiKeyFormat.Issue();
        await Bus.Publish(new SchoolApiKeyIssued(id, key.KeyId, Convert.ToBase64String(key.SecretHash), now));
        var roomIds = new List<Guid>();
        var building = Guid.NewGuid();
        for (var i = 1; i <= rooms; i++)
        {
            var room = Guid.NewGuid();
            roomIds.Add(room);
            await Bus.Publish(new RoomRecorded(id, building, room, "Hauptgebäude", $"H 1.{i:00}", i == 1 ? RoomKind.ComputerRoom : RoomKind.Classroom, now));
        }

        await Eventually.AssertAsync(async () =>
                await Database.ScalarAsync<long>($"SELECT count(*) FROM known_schools WHERE school_id = '{id}'") == 1
                && await Database.ScalarAsync<long>($"SELECT count(*) FROM known_school_api_keys WHERE school_id = '{id}'") == 1
                && await Database.ScalarAsync<long>($"SELECT count(*) FROM known_rooms WHERE school_id = '{id}'") == rooms,
            $"Assets knows school {number}, its key and its rooms");
        return new TestSchool(id, number, key.PlainTextKey, roomIds);
    }

    /// <summary>Publishes what Schools publishes when a school is accepted into the MEP standard, and waits until Assets knows it.</summary>
    public async Task AcceptIntoMepStandardAsync(TestSchool school, DateOnly acceptedOn)
    {
        await Bus.Publish(new SchoolAcceptedIntoMepStandard(school.Id, acceptedOn, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
                await Database.ScalarAsync<long>($"SELECT count(*) FROM known_schools WHERE school_id = '{school.Id}' AND at_mep_standard") == 1,
            $"Assets knows school {school.Number} is at MEP standard");
    }

    public HttpClient ClientFor(TestSchool school) => ClientWithSchoolKey(school.ApiKey);

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

        foreach (var (field, value) in fields)
        {
            if (value is null)
            {
                row.Remove(field);
            }
            else
            {
                row[field] = value;
            }
        }

        return row;
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
