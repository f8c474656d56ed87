using System.ComponentModel.DataAnnotations;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;
using Mep.ServiceDefaults.Data;

namespace Mep.Assets.Devices;

/// <summary>Filters and order of the device list. Enum filters take one value or several separated by commas (status=inService,inRepair).</summary>
/// <param name="SchoolId">Only this school's devices (a school key sees only its own school anyway).</param>
/// <param name="SchoolNumber">Only the devices of the school with this number (with schoolId, both must name the same school).</param>
/// <param name="Kind">tablet, computerRoomDevice, boardSystemComponent, networkDevice.</param>
/// <param name="Ownership">parentFinancedPupil, schoolClassSet, teacher, loan.</param>
/// <param name="SubsidyCategory">none, butAsylbLG, sibling.</param>
/// <param name="Status">ordered, delivered, inService, inRepair, lost, retired.</param>
/// <param name="MdmState">notEnrolled, enrolled, unenrolled.</param>
/// <param name="FundingSource">digitalPaktBase, immediateEquipmentLoan, teacherLoanDevices, cityMepBudget, parentFinanced.</param>
/// <param name="Building">Only devices in rooms of the building with this name, as used on site (needs the school; case is ignored).</param>
/// <param name="Room">Only devices in the room with this number, as used on site (needs the school; with building, the one room).</param>
/// <param name="SerialNumber">The device with this serial (normalised as stored: spaces removed, upper case).</param>
/// <param name="Sort">serialNumber (default), createdAt, updatedAt, purchaseDate, status or kind; prefix with - for descending.</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Items per page, 1 to 200 (default 50).</param>
public sealed record DeviceListQuery(
    Guid? SchoolId,
    [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber,
    [MaxLength(DeviceListQuery.MaxEnumList)] string? Kind,
    [MaxLength(DeviceListQuery.MaxEnumList)] string? Ownership,
    [MaxLength(DeviceListQuery.MaxEnumList)] string? SubsidyCategory,
    [MaxLength(DeviceListQuery.MaxEnumList)] string? Status,
    [MaxLength(DeviceListQuery.MaxEnumList)] string? MdmState,
    [MaxLength(DeviceListQuery.MaxEnumList)] string? FundingSource,
    Guid? RoomId,
    [MaxLength(SchoolFields.MaxBuildingName)] string? Building,
    [MaxLength(SchoolFields.MaxRoomNumber)] string? Room,
    Guid? BoardSystemId,
    [MaxLength(DeviceRow.MaxRawSerial)] string? SerialNumber,
    [OneOf("serialNumber", "-serialNumber", "createdAt", "-createdAt", "updatedAt", "-updatedAt", "purchaseDate", "-purchaseDate", "status", "-status",
        "kind", "-kind", IgnoreCase = true,
        Message = "Use one of serialNumber, createdAt, updatedAt, purchaseDate, status, kind, with - in front for descending.")] string? Sort,
    [PageNumber] int? Page,
    [PageSize] int? PageSize) : IValidatableRequest
{
    /// <summary>An enum filter names one value or several separated by commas; every name of the longest enum, listed, fits.</summary>
    public const int MaxEnumList = 200;

    public void Validate(ValidationErrors errors)
    {
        Check<DeviceKind>(errors, "kind", Kind);
        Check<TabletOwnership>(errors, "ownership", Ownership);
        Check<SubsidyCategory>(errors, "subsidyCategory", SubsidyCategory);
        Check<DeviceStatus>(errors, "status", Status);
        Check<MdmState>(errors, "mdmState", MdmState);
        Check<FundingSource>(errors, "fundingSource", FundingSource);
    }

    /// <remarks>
    /// One value becomes <c>=</c>, not <c>= ANY(...)</c>: PostgreSQL reads an index in order only for the former,
    /// which is what keeps one school's filtered, sorted page fast (bench/AssetsBench).
    /// </remarks>
    public IQueryable<Device> Apply(IQueryable<Device> devices)
    {
        if (Values<DeviceKind>(Kind) is { } kinds)
        {
            devices = kinds.Count == 1 ? devices.Where(d => d.Kind == kinds[0]) : devices.Where(d => kinds.Contains(d.Kind));
        }

        if (Values<TabletOwnership>(Ownership) is { } ownerships)
        {
            devices = devices.Where(d => d.Ownership != null && ownerships.Contains(d.Ownership.Value));
        }

        if (Values<SubsidyCategory>(SubsidyCategory) is { } categories)
        {
            devices = devices.Where(d => d.SubsidyCategory != null && categories.Contains(d.SubsidyCategory.Value));
        }

        if (Values<DeviceStatus>(Status) is { } statuses)
        {
            devices = statuses.Count == 1 ? devices.Where(d => d.Status == statuses[0]) : devices.Where(d => statuses.Contains(d.Status));
        }

        if (Values<MdmState>(MdmState) is { } mdmStates)
        {
            devices = devices.Where(d => mdmStates.Contains(d.MdmState));
        }

        if (Values<FundingSource>(FundingSource) is { } sources)
        {
            devices = devices.Where(d => d.FundingSource != null && sources.Contains(d.FundingSource.Value));
        }

        if (RoomId is { } room)
        {
            devices = devices.Where(d => d.RoomId == room);
        }

        if (BoardSystemId is { } system)
        {
            devices = devices.Where(d => d.BoardSystemId == system);
        }

        if (!string.IsNullOrWhiteSpace(SerialNumber))
        {
            var serial = Contracts.Assets.SerialNumber.Normalise(SerialNumber);
            devices = devices.Where(d => d.SerialNumber == serial);
        }

        return devices;
    }

    /// <summary>
    /// One page of <paramref name="matching"/> in the requested order, in one statement: the page's ids first, then only those
    /// devices, each joined to its school in the directory (for its number and name). For one school in serial or creation order
    /// the ids come from an index alone (Migrations/0002), so a deep page costs index entries, not a table row per device skipped.
    /// A page in the back half is read from the end, in reverse order, and turned round: no page reads more than half of the
    /// matching entries.
    /// </summary>
    public async Task<List<DeviceResponse>> OnePageAsync(IQueryable<Device> devices, IQueryable<KnownSchool> schools, IQueryable<Device> matching,
        int total, int skip, int take, CancellationToken cancellationToken)
    {
        var fromEnd = skip > total / 2;
        if (fromEnd)
        {
            (skip, take) = (Math.Max(0, total - skip - take), Math.Min(take, total - skip));
        }

        if (take <= 0)
        {
            return [];
        }

        var pageIds = Order(matching, fromEnd).Page(skip, take).Select(d => d.Id);
        var page = await Order(devices.Where(d => pageIds.Contains(d.Id)), fromEnd)
            .LeftJoin(schools, d => d.SchoolId, s => s.SchoolId, (d, s) => new { Device = d, School = s })
            .ToListAsync(cancellationToken);
        if (fromEnd)
        {
            page.Reverse();
        }

        return page.ConvertAll(row => DeviceResponse.From(row.Device, row.School));
    }

    /// <summary>
    /// The requested order (or exactly its reverse), then by id in the same direction, so that one index serves both and pages
    /// never overlap or skip.
    /// </summary>
    public IQueryable<Device> Order(IQueryable<Device> devices, bool reverse = false)
    {
        var descending = (Sort?.StartsWith('-') == true) != reverse;
        return (Sort?.TrimStart('-').ToLowerInvariant()) switch
        {
            "createdat" => descending ? devices.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id) : devices.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id),
            "updatedat" => descending ? devices.OrderByDescending(d => d.UpdatedAt).ThenByDescending(d => d.Id) : devices.OrderBy(d => d.UpdatedAt).ThenBy(d => d.Id),
            "purchasedate" => descending ? devices.OrderByDescending(d => d.PurchaseDate).ThenByDescending(d => d.Id) : devices.OrderBy(d => d.PurchaseDate).ThenBy(d => d.Id),
            "status" => descending ? devices.OrderByDescending(d => d.Status).ThenByDescending(d => d.SerialNumber) : devices.OrderBy(d => d.Status).ThenBy(d => d.SerialNumber),
            "kind" => descending ? devices.OrderByDescending(d => d.Kind).ThenByDescending(d => d.SerialNumber) : devices.OrderBy(d => d.Kind).ThenBy(d => d.SerialNumber),
            // Serials are unique: no tie-breaker needed.
            _ => descending ? devices.OrderByDescending(d => d.SerialNumber) : devices.OrderBy(d => d.SerialNumber),
        };
    }

    private static void Check<TEnum>(ValidationErrors errors, string field, string? text) where TEnum : struct, Enum
    {
        if (text is not null && Values<TEnum>(text) is null)
        {
            errors.Add(field, $"Use {string.Join(", ", Enum.GetValues<TEnum>().Select(DeviceRules.Name))} (several separated by commas).");
        }
    }

    /// <summary>The parsed values, or null when the filter is absent or any value is not a member.</summary>
    private static List<TEnum>? Values<TEnum>(string? text) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var values = new List<TEnum>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!EnumText.TryParseName<TEnum>(part, out var value))
            {
                return null;
            }

            values.Add(value);
        }

        return values.Count == 0 ? null : values;
    }
}
