using Mep.Console.Platform;

namespace Mep.Console.SchoolContact;

/// <summary>The school's rooms with their buildings' names ("Hauptgebäude, H 1.01"), for the ticket form and the device list.</summary>
public sealed class SchoolRooms
{
    private readonly Dictionary<Guid, string> names = [];

    /// <summary>Rooms in the order the school walks them: by building, then number.</summary>
    public IReadOnlyList<(Guid Id, string Name)> All { get; private init; } = [];

    public string NameOf(Guid? roomId) => roomId is { } id && names.TryGetValue(id, out var name) ? name : "–";

    /// <summary>Every room of the school (a few pages of 200 at most); the problem when the API refused.</summary>
    public static async Task<(SchoolRooms? Rooms, ApiProblem? Problem)> LoadAsync(PlatformApi api, Guid schoolId, CancellationToken cancellationToken = default)
    {
        var buildings = await api.GetAsync<List<Building>>($"/api/schools/{schoolId}/buildings", cancellationToken);
        if (!buildings.Succeeded)
        {
            return (null, buildings.Problem);
        }

        var buildingNames = (buildings.Value ?? []).ToDictionary(b => b.Id, b => b.Name);
        var rooms = new List<Room>();
        for (var page = 1; ; page++)
        {
            var answer = await api.GetAsync<Page<Room>>($"/api/schools/{schoolId}/rooms?pageSize=200&page={page}", cancellationToken);
            if (!answer.Succeeded)
            {
                return (null, answer.Problem);
            }

            rooms.AddRange(answer.Value!.Items);
            if (page >= answer.Value.TotalPages)
            {
                break;
            }
        }

        var named = rooms.Select(r => (r.Id, Name: $"{buildingNames.GetValueOrDefault(r.BuildingId, "?")}, {r.Number}"))
            .OrderBy(r => r.Name, StringComparer.CurrentCulture).ToList();
        var result = new SchoolRooms { All = named };
        foreach (var (id, name) in named)
        {
            result.names[id] = name;
        }

        return (result, null);
    }
}
