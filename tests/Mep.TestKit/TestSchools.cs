using System.Globalization;
using MassTransit;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;

namespace Mep.TestKit;

/// <summary>A school as a test arranges it: its id and number, a school API key, its rooms, and its devices by serial number.</summary>
public sealed record TestSchool(Guid Id, string Number, string ApiKey, IReadOnlyList<Guid> Rooms, IReadOnlyDictionary<string, Guid> Devices);

/// <summary>A device a test school has, as Assets announces it.</summary>
public sealed record TestDevice(string Serial, DeviceKind Kind = DeviceKind.Tablet, TabletOwnership? Ownership = TabletOwnership.Teacher);

/// <summary>School numbers for the schools tests arrange: five digits as Schools requires, never the same twice in a test run.</summary>
public static class TestSchoolNumbers
{
    // Below the demo city (90001-90099) and apart from the fixed numbers single tests use (10000-10001, 40001-46000, 55555, 8xxxx), so
    // a counted school is never one a test names itself.
    private static int _last = 20_000;

    public static string Next() => Interlocked.Increment(ref _last).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// What Schools (and Assets) publish about a school a test arranges for a service that consumes their events: the registration, a key,
/// and what else the test asks for. A seeded school always gets a key: every consuming service keeps the keys (the school directory).
/// </summary>
public sealed record SchoolSeed
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public SchoolType Type { get; init; } = SchoolType.GY;
    public string District { get; init; } = "Mitte";

    /// <summary>The school's name; without one, "{type} Testschule {number}".</summary>
    public string? Name { get; init; }

    /// <summary>The school's contact mail address, as Schools publishes it with the registration.</summary>
    public string? ContactEmail { get; init; }

    /// <summary>With a value, a SchoolUpdated carrying it follows the registration; without one, the school is only registered.</summary>
    public bool? AtMepStandard { get; init; }

    /// <summary>Rooms in one building; the first a computer room, the others classrooms.</summary>
    public int Rooms { get; init; }

    public IReadOnlyList<TestDevice> Devices { get; init; } = [];

    /// <summary>Pupils per school year (by start year); teachers and classes follow from them.</summary>
    public IReadOnlyDictionary<int, int> PupilsByStartYear { get; init; } = new Dictionary<int, int>();

    public MediaConceptStatus? Concept { get; init; }

    /// <summary>Publishes the school's events the way their owners would.</summary>
    internal async Task<TestSchool> PublishAsync(IPublishEndpoint bus, string number)
    {
        var now = DateTimeOffset.UtcNow;
        var name = Name ?? $"{Type.Code()} Testschule {number}";
        await bus.Publish(new SchoolRegistered(Id, number, name, Type, District, now, ContactEmail));
        if (AtMepStandard is { } atMepStandard)
        {
            await bus.Publish(new SchoolUpdated(Id, number, name, Type, District, atMepStandard, now.AddTicks(1), ContactEmail));
        }

        var key = SchoolApiKeyFormat.Issue();
        await bus.Publish(new SchoolApiKeyIssued(Id, key.KeyId, Convert.ToBase64String(key.SecretHash), now));

        var rooms = new List<Guid>();
        var building = Guid.NewGuid();
        for (var i = 1; i <= Rooms; i++)
        {
            var room = Guid.NewGuid();
            rooms.Add(room);
            await bus.Publish(new RoomRecorded(Id, building, room, "Hauptgebäude", $"H 1.{i:00}", i == 1 ? RoomKind.ComputerRoom : RoomKind.Classroom, now));
        }

        var devices = Devices.ToDictionary(d => d.Serial, _ => Guid.NewGuid());
        if (Devices.Count > 0)
        {
            await bus.Publish(new DevicesRegistered(Id, [.. Devices.Select(d => new RegisteredDevice(devices[d.Serial], null, d.Serial,
                new DeviceClassification(d.Kind, d.Ownership, d.Ownership == TabletOwnership.ParentFinancedPupil ? SubsidyCategory.None : null,
                    null, null, null, DeviceStatus.InService)))], now));
        }

        foreach (var (startYear, pupils) in PupilsByStartYear)
        {
            await bus.Publish(new SchoolYearFiguresRecorded(Id, startYear, pupils, Math.Max(4, pupils / 14), Math.Max(1, pupils / 25), now));
        }

        if (Concept is { } concept)
        {
            await bus.Publish(new MediaConceptRecorded(Id, concept, concept == MediaConceptStatus.None ? null : new DateOnly(2020, 3, 1), now));
        }

        return new TestSchool(Id, number, key.PlainTextKey, rooms, devices);
    }

    /// <summary>Whether the consuming service's replica holds all that <see cref="PublishAsync"/> published (and only asks for that).</summary>
    internal async Task<bool> IsKnownAsync(PostgresDatabase database)
    {
        var school = $"school_id = '{Id}'";
        var state = AtMepStandard is { } atMepStandard ? $" AND at_mep_standard = {atMepStandard}" : string.Empty;
        return await database.ScalarAsync<long>($"SELECT count(*) FROM known_schools WHERE {school}{state}") == 1
            && await database.ScalarAsync<long>($"SELECT count(*) FROM known_school_api_keys WHERE {school}") == 1
            && (Rooms == 0 || await database.ScalarAsync<long>($"SELECT count(*) FROM known_rooms WHERE {school}") == Rooms)
            && (Devices.Count == 0 || await database.ScalarAsync<long>($"SELECT count(*) FROM known_devices WHERE {school}") == Devices.Count)
            && (PupilsByStartYear.Count == 0
                || await database.ScalarAsync<long>($"SELECT count(*) FROM known_school_years WHERE {school}") == PupilsByStartYear.Count)
            && (Concept is null || await database.ScalarAsync<long>($"SELECT count(*) FROM known_media_concepts WHERE {school}") == 1);
    }
}
