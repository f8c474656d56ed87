using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.Schools.Data;
using Mep.Schools.Rollout;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Mep.ServiceDefaults.Data;

namespace Mep.Schools.Register;

public static class SchoolEndpoints
{
    public static RouteGroupBuilder MapSchoolEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/", ListSchools).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(ListSchools)).WithSummary("List schools (paged, filtered, sorted). A school key sees only its own school.");
        group.MapGet("/mine", GetOwnSchool).RequireAuthorization(PlatformRoles.School)
            .WithName(nameof(GetOwnSchool)).WithSummary("The school a school API key belongs to.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}", GetSchool).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(GetSchool)).WithSummary("One school, with its ETag.");
        group.MapGet("/by-number/{number}", GetSchoolByNumber).RequireAuthorization(SchoolsAccess.Read)
            .WithName(nameof(GetSchoolByNumber))
            .WithSummary("One school by its five-digit school number, with its ETag: the answer by its id (a school key finds only its own).");
        group.MapPost("/", RegisterSchool).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(RegisterSchool)).WithSummary("Register a school; the school number must be unique.");
        group.MapPut("/{id:guid}", ChangeSchoolDetails).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(ChangeSchoolDetails)).WithSummary("Replace a school's master data (If-Match supported).");
        group.MapPut("/{id:guid}/programmes", ChangeProgrammes).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(ChangeProgrammes)).WithSummary("Replace the school's participation in measures 1-4 (If-Match supported).");
        group.MapPut("/{id:guid}/media-concept", RecordMediaConcept).RequireAuthorization(SchoolsAccess.Write)
            .WithName(nameof(RecordMediaConcept)).WithSummary("Record the state of the school's media education concept (If-Match supported).");
        return group;
    }

    public static async Task<Ok<Page<SchoolResponse>>> ListSchools(
        [AsParameters] SchoolListQuery query, ClaimsPrincipal user, SchoolsDbContext db, CancellationToken cancellationToken)
    {
        var schools = db.Schools.AsQueryable();
        if (user.SchoolScope() is { } own)
        {
            schools = schools.Where(s => s.Id == own);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            var pattern = LikePatterns.Containing(term);
            schools = schools.Where(s => EF.Functions.ILike(s.Name, pattern, LikePatterns.EscapeCharacter) || s.Number.StartsWith(term));
        }

        if (SchoolTypes.TryParse(query.Type, out var type))
        {
            schools = schools.Where(s => s.Type == type);
        }

        if (!string.IsNullOrWhiteSpace(query.District))
        {
            schools = schools.Where(s => s.District == query.District.Trim());
        }

        schools = query.Programme switch
        {
            "mepPilot" => schools.Where(s => s.MepPilot),
            "mepStandard" => schools.Where(s => s.MepStandard != MepStandardStatus.None),
            "portal" => schools.Where(s => s.PortalOffer),
            "mobileLearning" => schools.Where(s => s.MobileLearning),
            _ => schools,
        };

        var descending = query.Sort?.StartsWith('-') == true;
        var ordered = (query.Sort?.TrimStart('-'), descending) switch
        {
            ("number", false) => schools.OrderBy(s => s.Number),
            ("number", true) => schools.OrderByDescending(s => s.Number),
            ("type", false) => schools.OrderBy(s => s.Type).ThenBy(s => s.Name),
            ("type", true) => schools.OrderByDescending(s => s.Type).ThenBy(s => s.Name),
            ("district", false) => schools.OrderBy(s => s.District).ThenBy(s => s.Name),
            ("district", true) => schools.OrderByDescending(s => s.District).ThenBy(s => s.Name),
            (_, true) => schools.OrderByDescending(s => s.Name),
            _ => schools.OrderBy(s => s.Name),
        };

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await schools.CountAsync(cancellationToken);
        var rows = await ordered.ThenBy(s => s.Id).Page(skip, take)
            .Select(s => new { School = s, Latest = db.SchoolYears.Where(y => y.SchoolId == s.Id).OrderByDescending(y => y.StartYear).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<SchoolResponse>([.. rows.Select(r => SchoolResponse.From(r.School, r.Latest))], page, pageSize, total));
    }

    public static async Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> GetOwnSchool(
        ClaimsPrincipal user, SchoolsDbContext db, HttpResponse response, CancellationToken cancellationToken) =>
        await GetSchool(user.SchoolScope()!.Value, user, db, response, cancellationToken);

    public static async Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> GetSchool(
        Guid id, ClaimsPrincipal user, SchoolsDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!user.MaySee(id))
        {
            return ApiProblems.NotFound("school");
        }

        var school = await db.Schools.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (school is null)
        {
            return ApiProblems.NotFound("school");
        }

        ETags.Set(response, school.Version);
        return TypedResults.Ok(SchoolResponse.From(school, await LatestYearAsync(db, id, cancellationToken)));
    }

    public static Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> GetSchoolByNumber(
        [MaxLength(SchoolFields.NumberLength), SchoolNumber] string number, ClaimsPrincipal user, SchoolsDbContext db, ISchoolNumbers numbers,
        HttpResponse response, CancellationToken cancellationToken) =>
        numbers.BySchoolNumberAsync(user, number, id => GetSchool(id, user, db, response, cancellationToken), cancellationToken);

    public static async Task<Results<Created<SchoolResponse>, ProblemHttpResult>> RegisterSchool(
        SchoolDetailsRequest request, SchoolsDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var details = request.ToDetails();
        if (await NumberTakenAsync(db, details.Number.Trim(), exceptId: null, cancellationToken))
        {
            return DuplicateNumber(details.Number);
        }

        var now = clock.GetUtcNow();
        var school = School.Register(details, now);
        db.Schools.Add(school);
        db.StartRollout(school.Id, inMepPlan: false, now);
        db.SchoolRegistered(school, now);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(response, school.Version);
        return TypedResults.Created($"{SchoolsService.PathPrefix}/{school.Id}", SchoolResponse.From(school, null));
    }

    public static Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> ChangeSchoolDetails(
        Guid id, SchoolDetailsRequest request, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, db, ledger, http, clock, async school =>
        {
            var details = request.ToDetails();
            if (await NumberTakenAsync(db, details.Number.Trim(), exceptId: id, cancellationToken))
            {
                return DuplicateNumber(details.Number);
            }

            school.ChangeDetails(details, clock.GetUtcNow());
            return null;
        }, cancellationToken);

    public static Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> ChangeProgrammes(
        Guid id, ProgrammesRequest request, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, db, ledger, http, clock, school =>
        {
            school.ChangeProgrammes(request.ToParticipation(), clock.GetUtcNow());
            return Task.FromResult<ProblemHttpResult?>(null);
        }, cancellationToken);

    public static Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> RecordMediaConcept(
        Guid id, MediaConceptRequest request, SchoolsDbContext db, RolloutLedger ledger, TimeProvider clock, HttpContext http,
        CancellationToken cancellationToken) =>
        ChangeAsync(id, db, ledger, http, clock, school =>
        {
            var now = clock.GetUtcNow();
            school.RecordMediaConcept(request.Status!.Value, request.Dated, now);
            db.MediaConceptRecorded(school, now);
            return Task.FromResult<ProblemHttpResult?>(null);
        }, cancellationToken);

    /// <summary>
    /// Load for update, honour If-Match, apply the change, record its event, save, answer with the new ETag. Through the
    /// rollout ledger: whether the school is in the MEP-standard plan decides its rollout status.
    /// </summary>
    private static async Task<Results<Ok<SchoolResponse>, ProblemHttpResult>> ChangeAsync(Guid id, SchoolsDbContext db, RolloutLedger ledger,
        HttpContext http, TimeProvider clock, Func<School, Task<ProblemHttpResult?>> change, CancellationToken cancellationToken)
    {
        School? school = null;
        var refused = await ledger.ChangeAsync(id, async () =>
        {
            school = await db.Schools.AsTracking().SingleAsync(s => s.Id == id, cancellationToken);
            if (ETags.CheckIfMatch(http.Request, school.Version) is { } stale)
            {
                return stale;
            }

            var wasAtMepStandard = school.MepStandard == MepStandardStatus.Joined;
            if (await change(school) is { } refused)
            {
                return refused;
            }

            db.SchoolChanged(school, wasAtMepStandard, clock.GetUtcNow());
            return null;
        }, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        ETags.Set(http.Response, school!.Version);
        return TypedResults.Ok(SchoolResponse.From(school, await LatestYearAsync(db, id, cancellationToken)));
    }

    private static Task<bool> NumberTakenAsync(SchoolsDbContext db, string number, Guid? exceptId, CancellationToken cancellationToken) =>
        db.Schools.AnyAsync(s => s.Number == number && s.Id != exceptId, cancellationToken);

    private static ProblemHttpResult DuplicateNumber(string number) =>
        ApiProblems.Conflict($"A school with number {number.Trim()} is already registered.",
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["number"] = ["Already registered."] } });

    private static Task<SchoolYears.SchoolYearFigures?> LatestYearAsync(SchoolsDbContext db, Guid schoolId, CancellationToken cancellationToken) =>
        db.SchoolYears.Where(y => y.SchoolId == schoolId).OrderByDescending(y => y.StartYear).FirstOrDefaultAsync(cancellationToken);
}
