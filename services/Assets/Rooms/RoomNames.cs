using System.Security.Claims;
using Mep.Assets.Data;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mep.Assets.Rooms;

/// <summary>Rooms as people on site name them: the building's name and the room's number, within one school (from Schools' RoomRecorded).</summary>
public static class RoomNames
{
    /// <summary>
    /// What a list's query names: the school by id or number (<see cref="SchoolSelection"/>), and within it the rooms by building and
    /// number (within it, literally, whatever their case); or the refusal to answer with.
    /// </summary>
    public static async Task<(SchoolSelection School, IQueryable<Guid>? RoomIds, ProblemHttpResult? Refusal)> SelectAsync(AssetsDbContext db,
        ISchoolNumbers numbers, ClaimsPrincipal user, Guid? schoolId, string? schoolNumber, string? building, string? room,
        CancellationToken cancellationToken)
    {
        var school = await SchoolSelection.SelectAsync(numbers, user, schoolId, schoolNumber, cancellationToken);
        if (school.Refused(out var refusal))
        {
            return (school, null, refusal);
        }

        var (rooms, unnamed) = Select(db, school, building, room);
        return (school, rooms, unnamed);
    }

    /// <summary>
    /// The ids of the rooms that <paramref name="building"/> and <paramref name="room"/> name in the selected school (literally, whatever
    /// their case); null when neither is given or the selection matches no school. A room's number means something only within a
    /// school: staff who name no school are refused with a 400 naming the fields.
    /// </summary>
    private static (IQueryable<Guid>? RoomIds, ProblemHttpResult? Refusal) Select(AssetsDbContext db, SchoolSelection school, string? building,
        string? room)
    {
        var (buildingName, roomNumber) = (Named(building), Named(room));
        if ((buildingName is null && roomNumber is null) || school.NoSuchSchool)
        {
            return (null, null);
        }

        if (school.SchoolId is not { } schoolId)
        {
            const string WithinSchool = "A room is named within a school: give schoolId or schoolNumber too.";
            var fields = new Dictionary<string, string[]>();
            if (buildingName is not null)
            {
                fields["building"] = [WithinSchool];
            }

            if (roomNumber is not null)
            {
                fields["room"] = [WithinSchool];
            }

            return (null, ApiProblems.InvalidFields("Rooms are found by building and number within one school; name the school.", fields));
        }

        var rooms = db.KnownRooms.Where(r => r.SchoolId == schoolId).NamedAs(r => r.BuildingName, buildingName).NamedAs(r => r.Number, roomNumber);
        return (rooms.Select(r => r.RoomId), null);
    }

    private static string? Named(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
