using System.Security.Claims;
using Mep.Schools.Data;
using Mep.Schools.Register;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mep.Schools.SchoolYears;

public static class SchoolYearEndpoints
{
    public const int FirstStartYear = 2000;
    public const int LastStartYear = 2100;

    public static RouteGroupBuilder MapSchoolYearEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/years", ListSchoolYears).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(ListSchoolYears)).WithSummary("Pupils, teachers and classes per school year, newest first.");
        group.MapGet("/{id:guid}/years/{startYear:int}", GetSchoolYear).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(GetSchoolYear)).WithSummary("The figures of one school year (2020 = 2020/21).");
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

    public static async Task<Results<Ok<SchoolYearResponse>, ProblemHttpResult>> GetSchoolYear(
        Guid id, int startYear, ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        var figures = user.MaySee(id)
            ? await db.SchoolYears.FirstOrDefaultAsync(y => y.SchoolId == id && y.StartYear == startYear, cancellationToken)
            : null;
        return figures is null ? ApiProblems.NotFound("school year of this school") : TypedResults.Ok(SchoolYearResponse.From(figures));
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

        var (pupils, teachers, classes) = (request.Pupils!.Value, request.Teachers!.Value, request.Classes!.Value);
        var now = clock.GetUtcNow();
        var figures = await db.SchoolYears.AsTracking().FirstOrDefaultAsync(y => y.SchoolId == id && y.StartYear == startYear, cancellationToken);
        if (figures is null)
        {
            figures = SchoolYearFigures.Record(id, startYear, pupils, teachers, classes, now);
            db.SchoolYears.Add(figures);
            db.SchoolYearFiguresRecorded(figures, now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Created($"{SchoolsService.PathPrefix}/{id}/years/{startYear}", SchoolYearResponse.From(figures));
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // A concurrent PUT recorded the year first; this PUT then corrects it, as a PUT on an existing year would.
                db.ChangeTracker.Clear();
                figures = await db.SchoolYears.AsTracking().FirstAsync(y => y.SchoolId == id && y.StartYear == startYear, cancellationToken);
            }
        }

        figures.Change(pupils, teachers, classes, now);
        db.SchoolYearFiguresRecorded(figures, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(SchoolYearResponse.From(figures));
    }
}
