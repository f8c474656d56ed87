using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.BoardSystems;

public sealed record BoardComponentResponse(
    Guid DeviceId, BoardComponentKind ComponentKind, [MaxLength(SerialNumber.MaxLength)] string SerialNumber,
    [MaxLength(DeviceRow.MaxText)] string Manufacturer, [MaxLength(DeviceRow.MaxText)] string Model, DeviceStatus Status);

/// <param name="SchoolNumber">The school's number, from the school directory (null only while the directory does not know the school yet).</param>
/// <param name="SchoolName">The school's name, from the school directory.</param>
/// <param name="MissingComponents">The kinds of component the system has none of (at most every kind).</param>
public sealed record BoardSystemResponse(
    Guid Id, Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber, [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    Guid RoomId, [MaxLength(BoardSystemRequest.MaxLabel)] string? Label, DateOnly? InstalledOn, DateTimeOffset? DismantledAt,
    IReadOnlyList<BoardComponentResponse> Components, [MaxLength(5)] IReadOnlyList<BoardComponentKind> MissingComponents, DateTimeOffset CreatedAt);

/// <param name="SchoolId">Required for staff; a school key may omit it (its own school).</param>
/// <param name="InstalledOn">The day the system went into use, yyyy-MM-dd.</param>
public sealed record BoardSystemRequest(
    Guid? SchoolId, [Required] Guid? RoomId, [MaxLength(BoardSystemRequest.MaxLabel)] string? Label,
    [MaxLength(DeviceRow.DayLength)] string? InstalledOn) : IValidatableRequest
{
    public const int MaxLabel = 100;

    public void Validate(ValidationErrors errors)
    {
        if (InstalledOn is not null && Day(InstalledOn) is null)
        {
            errors.Add("installedOn", "A date as yyyy-MM-dd.");
        }
    }

    /// <summary>The day <paramref name="text"/> names as yyyy-MM-dd, if it does.</summary>
    public static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}

/// <param name="SchoolNumber">Only the systems of the school with this number (with schoolId, both must name the same school).</param>
/// <param name="Building">Only systems in rooms of the building with this name, as used on site (needs the school; case is ignored).</param>
/// <param name="Room">Only the system in the room with this number, as used on site (needs the school; with building, the one room).</param>
/// <param name="IncludeDismantled">Also list systems taken out of their rooms (default false).</param>
public sealed record BoardSystemListQuery(
    Guid? SchoolId, [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber, Guid? RoomId,
    [MaxLength(SchoolFields.MaxBuildingName)] string? Building, [MaxLength(SchoolFields.MaxRoomNumber)] string? Room, bool? IncludeDismantled,
    [PageNumber] int? Page, [PageSize] int? PageSize)
    : IValidatableRequest;
