using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.BoardSystems;

public sealed record BoardComponentResponse(
    Guid DeviceId, BoardComponentKind ComponentKind, [MaxLength(SerialNumber.MaxLength)] string SerialNumber,
    [MaxLength(DeviceRow.MaxText)] string Manufacturer, [MaxLength(DeviceRow.MaxText)] string Model, DeviceStatus Status);

/// <param name="MissingComponents">The kinds of component the system has none of (at most every kind).</param>
public sealed record BoardSystemResponse(
    Guid Id, Guid SchoolId, Guid RoomId, [MaxLength(BoardSystemRequest.MaxLabel)] string? Label, DateOnly? InstalledOn, DateTimeOffset? DismantledAt,
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

/// <param name="IncludeDismantled">Also list systems taken out of their rooms (default false).</param>
public sealed record BoardSystemListQuery(Guid? SchoolId, Guid? RoomId, bool? IncludeDismantled, [PageNumber] int? Page, [PageSize] int? PageSize)
    : IValidatableRequest;
