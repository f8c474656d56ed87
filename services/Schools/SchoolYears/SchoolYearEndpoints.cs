using System.Security.Claims;
using Mep.Schools.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.SchoolYears;

public sealed record SchoolYearResponse(string SchoolYear, int StartYear, int Pupils, int Teachers, int Classes, DateTimeOffset UpdatedAt)
{
    public static SchoolYearResponse From(SchoolYearFigures y) => new(y.SchoolYear, y.StartYear, y.Pupils, y.Teachers, y.Classes, y.UpdatedAt);
}

/// <summary>The figures of one school year; all three are required.</summary>
public sealed record SchoolYearRequest(int? Pupils, int? Teachers, int? Classes) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("pupils", Pupils))
        {
            errors.Range("pupils", Pupils, 0, 10_000);
        }

        if (errors.Required("teachers", Teachers))
        {
            errors.Range("teachers", Teachers, 0, 1_000);
        }

        if (errors.Required("classes", Classes))
        {
            errors.Range("classes", Classes, 0, 500);
        }
    }
}

public static class SchoolYearEndpoints
{
    public const int FirstStartYear = 2000;
    public const int LastStartYear = 2100;

    public static RouteGroupBuilder MapSchoolYearEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/years", ListSchoolYears).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(ListSchoolYears)).WithSummary("Pupils, teachers and classes per school year, newest first.");
        group.MapPut("/{id:guid}/years/{startYear:int}", RecordSchoolYear).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(RecordSchoolYear)).WithSummary("Record or correct the figures of school year startYear/startYear+1 (2020 = 2020/21).");
        return group;
    }

    public static async Task<Results<Ok<List<SchoolYearResponse>>, ProblemHttpResult>> ListSchoolYears(
        Guid id, ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.IsVisibleSchoolAsync(user, id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var years = await db.SchoolYears.Where(y => y.SchoolId == id).OrderByDescending(y => y.StartYear).ToListAsync(cancellationToken);
        return TypedResults.Ok(years.ConvertAll(SchoolYearResponse.From));
    }

    public static async Task<Results<Ok<SchoolYearResponse>, Created<SchoolYearResponse>, ProblemHttpResult, ValidationProblem>> RecordSchoolYear(
        Guid id, int startYear, SchoolYearRequest request, SchoolsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (startYear is < FirstStartYear or > LastStartYear)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["startYear"] = [$"Must be between {FirstStartYear} and {LastStartYear}."],
            });
        }

        if (!await db.Schools.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        var now = clock.GetUtcNow();
        var figures = await db.SchoolYears.AsTracking().FirstOrDefaultAsync(y => y.SchoolId == id && y.StartYear == startYear, cancellationToken);
        if (figures is not null)
        {
            figures.Change(request.Pupils!.Value, request.Teachers!.Value, request.Classes!.Value, now);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(SchoolYearResponse.From(figures));
        }

        figures = SchoolYearFigures.Record(id, startYear, request.Pupils!.Value, request.Teachers!.Value, request.Classes!.Value, now);
        db.SchoolYears.Add(figures);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/schools/{id}/years/{startYear}", SchoolYearResponse.From(figures));
    }
}
