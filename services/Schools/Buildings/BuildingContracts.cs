using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Schools.Buildings;

public sealed record BuildingResponse(Guid Id, [MaxLength(SchoolFields.MaxBuildingName)] string Name, [Range(0, int.MaxValue)] int Rooms, DateTimeOffset CreatedAt);

public sealed record BuildingRequest([Required, MaxLength(SchoolFields.MaxBuildingName)] string? Name) : IValidatableRequest;

public sealed record RoomResponse(
    Guid Id, Guid BuildingId, [MaxLength(SchoolFields.MaxRoomNumber)] string Number, RoomKind Kind,
    [MaxLength(SchoolFields.MaxRoomDescription)] string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static RoomResponse From(Room r) => new(r.Id, r.BuildingId, r.Number, r.Kind, r.Description, r.CreatedAt, r.UpdatedAt);
}

public sealed record RoomRequest(
    [Required, MaxLength(SchoolFields.MaxRoomNumber)] string? Number, [Required] RoomKind? Kind,
    [MaxLength(SchoolFields.MaxRoomDescription)] string? Description) : IValidatableRequest;

/// <param name="Kind">classroom, computerRoom, staffRoom or other.</param>
/// <param name="BuildingId">Only rooms of this building.</param>
/// <param name="Building">Only rooms of the building with this name, as used on site (e.g. Hauptgebäude; case is ignored).</param>
/// <param name="Room">Only the room with this number, as used on site (e.g. 0.L; case is ignored); with building, the one room.</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Items per page, 1 to 200 (default 50).</param>
public sealed record RoomListQuery(
    [EnumName<RoomKind>] string? Kind, Guid? BuildingId,
    [MaxLength(SchoolFields.MaxBuildingName)] string? Building, [MaxLength(SchoolFields.MaxRoomNumber)] string? Room,
    [PageNumber] int? Page, [PageSize] int? PageSize) : IValidatableRequest;
