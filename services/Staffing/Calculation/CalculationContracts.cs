using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Mep.Staffing.Data;
using Mep.Staffing.Models;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Calculation;

/// <summary>The model version a figure was computed with.</summary>
public sealed record ModelReference(
    [MaxLength(CreateModelRequest.MaxCode)] string Code, [MaxLength(CreateModelRequest.MaxName)] string Name, [Range(1, int.MaxValue)] int Version,
    DateOnly ValidFrom, DateOnly? ValidUntil, CountedSchools CountedSchools, [MaxLength(100)] string Rounding, decimal CostPerFte)
{
    public static ModelReference From(StaffingModel model, StaffingModelVersion version) => new(model.Code, model.Name, version.Version,
        version.ValidFrom, version.ValidUntil, version.Definition.CountedSchools, version.Definition.Rounding.Describe(), version.Definition.CostPerFte);
}

public sealed record DistrictStaffing([MaxLength(SchoolFields.MaxDistrict)] string District, StaffingFigure Figure);

/// <param name="OrgUnit">The unit's code.</param>
/// <param name="Name">The unit's name.</param>
public sealed record PostLine(
    [MaxLength(OrgUnits.OrgUnit.MaxCode)] string OrgUnit, [MaxLength(OrgUnits.OrgUnit.MaxName)] string Name, [DecimalRange(0, PostRequest.MaxPosts)] decimal Posts)
{
    /// <summary>The posts of every active unit (0 where none were set), by code: retired units hold none and are no longer listed.</summary>
    public static Task<List<PostLine>> CurrentAsync(StaffingDbContext db, CancellationToken cancellationToken) =>
        (from u in db.OrgUnits
         where u.RetiredAt == null
         join p in db.CurrentPosts on u.Code equals p.OrgUnit into posts
         from p in posts.DefaultIfEmpty()
         orderby u.Code
         select new PostLine(u.Code, u.Name, p == null ? 0m : p.Posts)).ToListAsync(cancellationToken);
}

/// <summary>
/// The posts the city has against the need: <see cref="Difference"/> = the need in posts (the model's rounding) minus the current
/// posts; positive means posts are missing. Costs at the model's cost per FTE, except the current posts' cost where a source published it
/// for exactly these posts (<paramref name="CostOfCurrentPostsPublished"/>): then the printed figure.
/// </summary>
/// <param name="PublishedFigures">Each published figure beside what the platform derives for it, with the difference.</param>
public sealed record PostsComparison(decimal CurrentPosts, IReadOnlyList<PostLine> ByOrgUnit, decimal NeedFte, decimal NeedPosts, decimal Difference,
    decimal CostOfCurrentPosts, bool CostOfCurrentPostsPublished, decimal CostOfNeed, decimal CostOfDifference,
    IReadOnlyList<PublishedFigureCheck> PublishedFigures);

/// <summary>
/// A figure as a source prints it beside the platform's derivation of it (posts times the model's cost per FTE); the difference is printed
/// minus computed, as Funding shows its pools: the council paper's 1,734,000.00 for 18.5 posts against 1,734,005.00 shows -5.00.
/// </summary>
public sealed record PublishedFigureCheck(
    [MaxLength(200)] string Figure, decimal Posts, decimal Printed, [MaxLength(500)] string Source, decimal Computed, decimal DifferenceToComputed);

/// <param name="Posts">The city's posts against the city's need; null when the figure is one district's (posts are not kept per district).</param>
public sealed record CityStaffing(ModelReference Model, DateOnly On, int SchoolsCounted, int SchoolsNotCounted, StaffingFigure City,
    IReadOnlyList<DistrictStaffing> Districts, PostsComparison? Posts);

/// <param name="Number">The school's number (also as schoolNumber, the name every row that refers to a school uses).</param>
/// <param name="Name">The school's name (also as schoolName).</param>
public sealed record SchoolStaffing(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string Number, [MaxLength(SchoolFields.MaxName)] string Name,
    [MaxLength(SchoolFields.MaxTypeCode)] string SchoolType, [MaxLength(SchoolFields.MaxDistrict)] string District, bool AtMepStandard, bool Counted,
    StaffingFigure Figure)
{
    [MaxLength(SchoolFields.NumberLength)]
    public string SchoolNumber => Number;

    [MaxLength(SchoolFields.MaxName)]
    public string SchoolName => Name;
}

/// <param name="Model">A model's code; default hannover-mep-2020.</param>
/// <param name="On">The day whose model version applies; default today (Berlin). Counts are always the live ones.</param>
public sealed record CalculationQuery(
    [MaxLength(CreateModelRequest.MaxCode)] string? Model, DateOnly? On, [MaxLength(SchoolFields.MaxDistrict)] string? District) : IValidatableRequest;

/// <param name="Counted">Only schools the model counts (true) or does not count (false).</param>
public sealed record SchoolCalculationQuery(
    [MaxLength(CreateModelRequest.MaxCode)] string? Model, DateOnly? On, [MaxLength(SchoolFields.MaxDistrict)] string? District, bool? Counted,
    [PageNumber] int? Page, [PageSize] int? PageSize) : IValidatableRequest;

/// <param name="Models">Comma-separated model codes; default the built-in ones.</param>
public sealed record ComparisonQuery([MaxLength(1000)] string? Models, DateOnly? On) : IValidatableRequest;

public sealed record ModelComparison(DateOnly On, IReadOnlyList<ComparedModel> Models);

public sealed record ComparedModel(ModelReference Model, int SchoolsCounted, DeviceCountsSummary Devices, decimal Fte, decimal FteRounded,
    decimal PersonnelCost, decimal PersonnelCostRounded);

/// <summary>Devices a comparison is based on: the counted schools' devices in use.</summary>
public sealed record DeviceCountsSummary(int Tablets, int ClassSetTablets, int ComputerRoomDevices, int BoardSystems, int NetworkDevices);

public sealed record PostRequest(
    [Required, DecimalRange(0, PostRequest.MaxPosts, Message = "0 to 1,000, at most two decimals (half posts: 0.5).")] decimal? Posts) : IValidatableRequest
{
    public const double MaxPosts = 1_000;
}
