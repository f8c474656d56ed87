using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.Inventory;

/// <summary>Tablets of a school by ownership, and parent-financed ones by subsidy category.</summary>
public sealed record TabletCounts(int ParentFinancedPupil, int SubsidyNone, int SubsidyButAsylbLG, int SubsidySibling, int Teacher, int Loan,
    int SchoolClassSet);

/// <summary>
/// The device counts the staffing ratios apply to (docs/domain.md, "Staffing ratios"): teacher and pupil tablets
/// (1 FTE per 1,500), computer-room devices (1 per 700), and board systems at three devices each together with
/// class-set tablets. Network gear is listed but not in a staffing group.
/// </summary>
public sealed record StaffingCounts(int Tablets, int ComputerRoomDevices, int BoardSystemsAndClassSets);

/// <summary>
/// What a school has in use: devices that are delivered, in service or in repair (not ordered, lost or retired),
/// and board systems that are not dismantled. A board system counts whatever its components; its components
/// are not counted as devices on their own.
/// </summary>
public sealed record SchoolInventoryCounts(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string SchoolNumber, [MaxLength(SchoolFields.MaxName)] string SchoolName,
    [MaxLength(SchoolFields.MaxDistrict)] string District, TabletCounts Tablets, int ComputerRoomDevices, int NetworkDevices,
    int BoardSystems, int BoardSystemComponents, int UnassignedBoardComponents, StaffingCounts Staffing);

/// <param name="SchoolId">Only this school (a school key sees only its own anyway).</param>
/// <param name="SchoolNumber">Only the school with this number (with schoolId, both must name the same school).</param>
/// <param name="District">Only schools of this district.</param>
public sealed record InventoryCountsQuery(
    Guid? SchoolId, [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber, [MaxLength(SchoolFields.MaxDistrict)] string? District,
    [PageNumber] int? Page, [PageSize] int? PageSize) : IValidatableRequest;

/// <param name="IncludeRetired">Also export retired devices (default false).</param>
public sealed record InventoryExportQuery(bool? IncludeRetired);
