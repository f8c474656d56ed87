using System.Text.RegularExpressions;

namespace Mep.Contracts.Assets;

/// <summary>
/// The one form a serial number is stored and compared in, in every service: without any whitespace, upper case. A serial
/// typed as "dmpx 1234abcd " by a school and stored as "DMPX1234ABCD" by Assets must find the same device everywhere, so no
/// service normalises serials its own way.
/// </summary>
public static partial class SerialNumber
{
    /// <summary>The longest serial number Assets registers; every service that shows one documents this limit.</summary>
    public const int MaxLength = 64;

    public static string Normalise(string serial) => WhiteSpace().Replace(serial, string.Empty).ToUpperInvariant();

    /// <summary>Null for a serial that is absent or blank (nothing to compare), otherwise <see cref="Normalise"/>d.</summary>
    public static string? NormaliseOptional(string? serial) => string.IsNullOrWhiteSpace(serial) ? null : Normalise(serial);

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

/// <summary>
/// Which devices are "in use": on site and not lost or retired. They need support, count for staffing and appear in the counts
/// per school; Assets, Staffing and every feed must agree on them, so the rule is written here once.
/// </summary>
public static class DevicesInUse
{
    public static IReadOnlyList<DeviceStatus> Statuses { get; } = [DeviceStatus.Delivered, DeviceStatus.InService, DeviceStatus.InRepair];

    /// <summary>The statuses as stored in text columns (the enum members' names), for SQL parameters.</summary>
    public static IReadOnlyList<string> StatusNames { get; } = [.. Statuses.Select(status => status.ToString())];

    public static bool Includes(DeviceStatus status) => Statuses.Contains(status);
}
