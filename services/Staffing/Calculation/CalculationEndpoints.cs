using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Staffing.Data;
using Mep.Staffing.Models;
using Mep.Staffing.OrgUnits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mep.Jobs;

namespace Mep.Staffing.Calculation;

public static class CalculationEndpoints
{
    public static RouteGroupBuilder MapCalculationEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/calculation", CalculateCity).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(CalculateCity))
            .WithSummary("FTE city-wide and per district under a model, each figure explained (counts, weights, ratio), with personnel cost and "
                + "the current posts against the need.");
        group.MapGet("/calculation/schools", CalculateSchools).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(CalculateSchools)).WithSummary("FTE per school under a model, explained, paged (ordered by school number).");
        group.MapGet("/calculation/schools/{schoolId:guid}", CalculateSchool).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(CalculateSchool)).WithSummary("One school's FTE under a model, explained.");
        group.MapGet("/calculation/comparison", CompareModels).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(CompareModels)).WithSummary("City-wide FTE and cost under several models side by side.");
        group.MapGet("/posts", ListPosts).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(ListPosts)).WithSummary("Current posts of every active organisational unit (0 where none were set).");
        group.MapPut("/posts/{orgUnit}", SetPosts).RequireAuthorization(StaffingAccess.Posts)
            .WithName(nameof(SetPosts))
            .WithSummary("Set an active organisational unit's current posts (create the unit first: POST /org-units); each change is kept in the unit's history.");
        return group;
    }

    public static async Task<Results<Ok<CityStaffing>, ProblemHttpResult>> CalculateCity([AsParameters] CalculationQuery query, StaffingDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var (resolved, problem) = await ResolveAsync(db, query.Model, query.On, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (model, version, on) = resolved!.Value;
        var definition = version.Definition;
        var schools = await StaffingInputs.SchoolsAsync(db, Blank(query.District), cancellationToken);
        var counted = schools.Where(s => definition.Counts(s.Type, s.AtMepStandard)).ToList();
        var city = StaffingCalculator.Figure(definition, counted);
        var districts = counted.GroupBy(s => s.District).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DistrictStaffing(g.Key, StaffingCalculator.Figure(definition, g.ToList()))).ToList();
        var district = Blank(query.District);
        var posts = await PostLine.CurrentAsync(db, cancellationToken);
        var published = await db.PublishedFigures.OrderBy(f => f.Figure).ToListAsync(cancellationToken);
        return TypedResults.Ok(new CityStaffing(ModelReference.From(model, version), on, counted.Count, schools.Count - counted.Count, city, districts,
            district is null ? Compare(posts, city, definition, published) : null));
    }

    public static async Task<Results<Ok<Page<SchoolStaffing>>, ProblemHttpResult>> CalculateSchools([AsParameters] SchoolCalculationQuery query,
        StaffingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (resolved, problem) = await ResolveAsync(db, query.Model, query.On, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var definition = resolved!.Value.Version.Definition;
        var schools = (await StaffingInputs.SchoolsAsync(db, Blank(query.District), cancellationToken))
            .Where(s => query.Counted is not { } counted || definition.Counts(s.Type, s.AtMepStandard) == counted).ToList();
        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var items = schools.Skip(skip).Take(take).Select(s => SchoolFigure(definition, s)).ToList();
        return TypedResults.Ok(new Page<SchoolStaffing>(items, page, pageSize, schools.Count));
    }

    public static async Task<Results<Ok<SchoolStaffing>, ProblemHttpResult>> CalculateSchool(Guid schoolId, [AsParameters] CalculationQuery query,
        StaffingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (resolved, problem) = await ResolveAsync(db, query.Model, query.On, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var school = (await StaffingInputs.SchoolsAsync(db, null, cancellationToken, schoolId)).SingleOrDefault();
        return school is null ? ApiProblems.NotFound("school") : TypedResults.Ok(SchoolFigure(resolved!.Value.Version.Definition, school));
    }

    public static async Task<Results<Ok<ModelComparison>, ProblemHttpResult>> CompareModels([AsParameters] ComparisonQuery query, StaffingDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var on = query.On ?? BerlinDay.Today(clock);
        var codes = ModelCatalog.ParseCodes(query.Models) ?? await ModelCatalog.BuiltInCodesAsync(db, cancellationToken);
        var (models, unknown) = await ModelCatalog.FindAllAsync(db, codes, cancellationToken);
        if (unknown is not null)
        {
            return ApiProblems.NotFound($"staffing model '{unknown}'");
        }

        var schools = await StaffingInputs.SchoolsAsync(db, null, cancellationToken);
        var compared = new List<ComparedModel>();
        foreach (var model in models)
        {
            var version = model.VersionValidOn(on);
            var counted = schools.Where(s => version.Definition.Counts(s.Type, s.AtMepStandard)).ToList();
            var figure = StaffingCalculator.Figure(version.Definition, counted);
            var c = figure.Counts;
            compared.Add(new ComparedModel(ModelReference.From(model, version), counted.Count,
                new DeviceCountsSummary(c.PupilTablets + c.TeacherTablets + c.LoanTablets, c.ClassSetTablets, c.ComputerRoomDevices, c.BoardSystems,
                    c.NetworkDevices),
                figure.Fte, figure.FteRounded, figure.PersonnelCost, figure.PersonnelCostRounded));
        }

        return TypedResults.Ok(new ModelComparison(on, compared));
    }

    public static async Task<Ok<List<PostLine>>> ListPosts(StaffingDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await PostLine.CurrentAsync(db, cancellationToken));

    /// <summary>Posts are set for a unit that exists and is active: an unknown code is a 404 and never creates a unit on the way.</summary>
    public static async Task<Results<Ok<PostLine>, ProblemHttpResult>> SetPosts(
        [MaxLength(OrgUnit.MaxCode), RegularExpression(OrgUnit.CodePattern, ErrorMessage = OrgUnit.CodeRule)] string orgUnit, PostRequest request,
        ClaimsPrincipal user, StaffingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var unit = await db.OrgUnits.AsTracking().FirstOrDefaultAsync(u => u.Code == orgUnit, cancellationToken);
        if (unit is null)
        {
            return OrgUnitEndpoints.NotFound(orgUnit);
        }

        var (actor, now, posts) = (user.Actor(), clock.GetUtcNow(), request.Posts!.Value);
        var post = await db.CurrentPosts.AsTracking().FirstOrDefaultAsync(p => p.OrgUnit == unit.Code, cancellationToken);
        // The unit refuses posts once retired; the change it records and the posts are saved together.
        if (unit.SetPosts(post?.Posts, posts, actor, now) is { } change)
        {
            db.OrgUnitChanges.Add(change);
        }

        if (post is null)
        {
            db.CurrentPosts.Add(post = CurrentPost.Create(unit.Code, posts, actor, now));
        }
        else
        {
            post.Change(posts, actor, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new PostLine(unit.Code, unit.Name, post.Posts));
    }

    public static SchoolStaffing SchoolFigure(ModelDefinition definition, SchoolInput school)
    {
        var counted = definition.Counts(school.Type, school.AtMepStandard);
        var figure = StaffingCalculator.Figure(definition, counted ? [school] : []);
        return new SchoolStaffing(school.SchoolId, school.Number, school.Name, Contracts.SchoolTypes.Code(school.Type), school.District,
            school.AtMepStandard, counted, counted ? figure : figure with { Counts = school.Counts });
    }

    public static PostsComparison Compare(IReadOnlyList<PostLine> posts, StaffingFigure need, ModelDefinition definition,
        IReadOnlyList<PublishedFigure> published)
    {
        var current = posts.Sum(p => p.Posts);
        var difference = need.FteRounded - current;
        // The published cost holds for the posts it was published for; other posts (changed since) have no published cost and are derived.
        var publishedCost = published.FirstOrDefault(f => f.Figure == PublishedFigure.CurrentPostsCost && f.Posts == current);
        var checks = published.Select(f =>
        {
            var computed = StaffingCalculator.Money(f.Posts * definition.CostPerFte);
            return new PublishedFigureCheck(f.Figure, f.Posts, f.Amount, f.Source, computed, f.Amount - computed);
        }).ToList();
        return new PostsComparison(current, posts, need.Fte, need.FteRounded, difference,
            publishedCost?.Amount ?? StaffingCalculator.Money(current * definition.CostPerFte), publishedCost is not null,
            need.PersonnelCostRounded, StaffingCalculator.Money(difference * definition.CostPerFte), checks);
    }

    /// <summary>The model and its version valid on the day asked (today in Berlin by default); a 404 when no model has the code.</summary>
    public static async Task<((StaffingModel Model, StaffingModelVersion Version, DateOnly On)?, ProblemHttpResult?)> ResolveAsync(
        StaffingDbContext db, string? code, DateOnly? on, TimeProvider clock, CancellationToken cancellationToken)
    {
        var day = on ?? BerlinDay.Today(clock);
        var model = await ModelCatalog.FindAsync(db, string.IsNullOrWhiteSpace(code) ? ModelCatalog.DefaultModel : code.Trim(), cancellationToken);
        if (model is null)
        {
            return (null, ApiProblems.NotFound("staffing model"));
        }

        return ((model, model.VersionValidOn(day), day), null);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
