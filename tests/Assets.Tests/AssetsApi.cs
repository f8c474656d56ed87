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
    private TimeProvider? _clock;

    public HttpClient Planner => ClientAs(PlatformRoles.Planner);

    /// <summary>The service on a clock the test sets (loans fall due by its Berlin day).</summary>
    public static AssetsApi WithClock(TimeProvider clock) => new() { _clock = clock };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_clock is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton(_clock));
        }
    }
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

    /// <summary>A loan tablet of the immediate-equipment programme (pupils only); override fields as for <see cref="Tablet"/>.</summary>
    public static Dictionary<string, object?> LoanTablet(string serial, string programme = "immediateEquipmentLoan") =>
        Tablet(serial, "loan", ("fundingSource", programme));

    /// <summary>Registers the devices for the school and answers their ids by serial.</summary>
    public static async Task<Dictionary<string, Guid>> RegisterAsync(HttpClient client, IEnumerable<Dictionary<string, object?>> devices)
    {
        var response = await client.PostAsync("/api/assets/devices/batch", Batch(devices));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("devices").EnumerateArray()
            .ToDictionary(d => d.GetProperty("serialNumber").GetString()!, d => d.GetProperty("deviceId").GetGuid());
    }

    /// <summary>One row of a hand-out: the device and its pupil (with a guardian); override or add fields with <paramref name="fields"/>.</summary>
    public static Dictionary<string, object?> PupilLoan(string serial, string pupil, params (string Field, object? Value)[] fields) =>
        new Dictionary<string, object?> { ["serialNumber"] = serial, ["borrowerKind"] = "pupil", ["borrowerReference"] = pupil, ["guardianReference"] = $"G-{pupil}" }
            .With(fields);

    /// <summary>A hand-out for the school key's own school, lent on 2026-09-01 and due back on 2027-07-15 with charger and case.</summary>
    public static Dictionary<string, object?> HandOut(IEnumerable<object> loans, params (string Field, object? Value)[] fields) =>
        new Dictionary<string, object?>
        {
            ["lentOn"] = "2026-09-01", ["dueBack"] = "2027-07-15", ["className"] = "5b",
            ["agreement"] = new { template = "Leihvertrag Sofortausstattung", version = "2", signedOn = "2026-08-28" },
            ["accessories"] = new[] { "charger", "case" }, ["condition"] = "new", ["loans"] = loans.ToList(),
        }.With(fields);

    /// <summary>Lends the devices (rows of <see cref="PupilLoan"/>) and answers the loans' ids by serial.</summary>
    public static async Task<Dictionary<string, Guid>> LendAsync(HttpClient client, IEnumerable<object> loans, params (string Field, object? Value)[] fields)
    {
        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(HandOut(loans, fields)));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("loans").EnumerateArray()
            .ToDictionary(l => l.GetProperty("serialNumber").GetString()!, l => l.GetProperty("loanId").GetGuid());
    }

    public Task<long> LoanRowsAsync(Guid schoolId) => Database.ScalarAsync<long>($"SELECT count(*) FROM loans WHERE school_id = '{schoolId}'")!;

    /// <summary>How many loans the outbox's events of <paramref name="eventType"/> carry for the school, and in how many events.</summary>
    public async Task<(long Events, long Loans)> OutboxLoansAsync(string eventType, string listField, Guid schoolId) => (
        await Database.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.{eventType}' AND body::jsonb->>'schoolId' = '{schoolId}'"),
        await Database.ScalarAsync<long>($"SELECT coalesce(sum(jsonb_array_length(body::jsonb->'{listField}')), 0)::bigint FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.{eventType}' AND body::jsonb->>'schoolId' = '{schoolId}'"));
}
