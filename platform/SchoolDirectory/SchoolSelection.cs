using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Security.Claims;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.SchoolDirectory;

/// <summary>
/// A school's id by its number, as the service knows its schools: Schools from its register, every other service from its directory
/// replica (<see cref="ReplicatedSchoolNumbers{TContext}"/>).
/// </summary>
public interface ISchoolNumbers
{
    /// <summary>The schools with these numbers, by number; a number the service knows no school for is not in the answer.</summary>
    Task<IReadOnlyDictionary<string, Guid>> IdsOfAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken);
}

/// <summary>School numbers looked up in the service's directory replica (index on known_schools.number).</summary>
public sealed class ReplicatedSchoolNumbers<TContext>(TContext db) : ISchoolNumbers where TContext : DbContext
{
    public async Task<IReadOnlyDictionary<string, Guid>> IdsOfAsync(IReadOnlyCollection<string> numbers, CancellationToken cancellationToken) =>
        SchoolSelection.ByNumber(await db.Set<KnownSchool>().Where(s => numbers.Contains(s.Number))
            .Select(s => new KeyValuePair<string, Guid>(s.Number, s.SchoolId)).ToListAsync(cancellationToken));
}

/// <summary>A Lower Saxony school number as a request names a school: five ASCII digits (<see cref="SchoolFields.FiveDigits"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class SchoolNumberAttribute : RegularExpressionAttribute
{
    public SchoolNumberAttribute() : base(SchoolFields.FiveDigits) => ErrorMessage = "A school number has five digits.";
}

/// <summary>
/// The school a request's <c>schoolId</c> and <c>schoolNumber</c> select, and what the caller may see of it: a school key always its
/// own school, staff every school or the one named. The one rule for naming a school, in every service, reads and writes alike:
/// <list type="bullet">
/// <item>A school key naming any school but its own, by id or number, existing or not: 404, one text for all of them, with no hint
/// whether that school exists.</item>
/// <item>A list filter naming a school nobody has (an unknown id or number): 200 with an empty page, a filter matching nothing
/// (<see cref="SelectAsync"/>, <see cref="Apply{T}"/>).</item>
/// <item>A resource of one school (a school by number, its ticket load, its uptake): 404 naming what was looked up, "no school with this
/// number" (<see cref="One"/>).</item>
/// <item>A write whose body names a school nobody has: 422 with the rule <c>school-unknown</c> naming the field (<c>RequireAsync</c>);
/// rooms and devices alike (<c>room-unknown</c>, <c>device-unknown</c>).</item>
/// <item>An id and a number that name two different schools: 400 naming both fields, reads and writes. An id together with a number nobody
/// has is an unknown number (a list: empty; a write: 422), not two different schools.</item>
/// </list>
/// </summary>
public sealed class SchoolSelection
{
    private SchoolSelection(Guid? schoolId, bool noSuchSchool, ProblemHttpResult? refusal) =>
        (SchoolId, NoSuchSchool, Refusal) = (schoolId, noSuchSchool, refusal);

    /// <summary>The one school selected; null when staff named none (every school) or named a number no school has.</summary>
    public Guid? SchoolId { get; }

    /// <summary>Staff named a number no school has: a list selects no row, as it does for an id no school has.</summary>
    public bool NoSuchSchool { get; }

    /// <summary>The answer instead of the list: 404 for a school the caller may not see, 400 when id and number name different schools.</summary>
    public ProblemHttpResult? Refusal { get; }

    public bool Refused(out ProblemHttpResult refusal)
    {
        refusal = Refusal!;
        return Refusal is not null;
    }

    /// <summary>
    /// For a resource of one school: false with the answer instead when the selection was refused or names a number no school has (404
    /// naming the number); otherwise true with the school selected, null when staff named none.
    /// </summary>
    public bool One(out Guid? schoolId, out ProblemHttpResult refusal)
    {
        schoolId = SchoolId;
        refusal = Refusal ?? (NoSuchSchool ? UnknownNumber : null)!;
        return refusal is null;
    }

    /// <summary>The 404 for a school staff look up by a number nobody has.</summary>
    private static ProblemHttpResult UnknownNumber => ApiProblems.NotFound("school", "number");

    /// <summary>The rows of the selected school (by <paramref name="schoolOf"/>); all rows when staff selected none; none for an unknown number.</summary>
    public IQueryable<T> Apply<T>(IQueryable<T> rows, Expression<Func<T, Guid>> schoolOf)
    {
        if (NoSuchSchool)
        {
            return rows.Where(_ => false);
        }

        return SchoolId is { } school ? rows.OfSchool(school, schoolOf) : rows;
    }

    /// <summary>What a list or a read names (the rules above); a write uses <c>RequireAsync</c>.</summary>
    public static async Task<SchoolSelection> SelectAsync(ISchoolNumbers numbers, ClaimsPrincipal user, Guid? schoolId, string? schoolNumber,
        CancellationToken cancellationToken)
    {
        var number = Named(schoolNumber);
        var own = user.SchoolScope();
        if (schoolId is { } id && !user.MaySee(id))
        {
            return NotVisible;
        }

        if (number is null)
        {
            return new SchoolSelection(schoolId ?? own, noSuchSchool: false, refusal: null);
        }

        Guid? numbered = (await numbers.IdsOfAsync([number], cancellationToken)).TryGetValue(number, out var found) ? found : null;
        if (own is not null && numbered != own)
        {
            return NotVisible;
        }

        if (schoolId is not null && numbered is not null && numbered != schoolId)
        {
            return new SchoolSelection(null, noSuchSchool: false, TwoSchools());
        }

        return new SchoolSelection(numbered, noSuchSchool: numbered is null, refusal: null);
    }

    /// <summary>
    /// The one school a write names (in its body or query) as the service knows it, or the answer instead (the rules above): the caller's
    /// own for a school key that names none; for staff, who must name one, 400 when they do not. One lookup, by number when a number is
    /// given (compared with the id, if any), else by id; <paramref name="byId"/> and <paramref name="byNumber"/> read the directory.
    /// </summary>
    public static async Task<RequiredSchool> RequireAsync(ClaimsPrincipal user, Guid? schoolId, string? schoolNumber,
        Func<Guid, Task<KnownSchool?>> byId, Func<string, Task<KnownSchool?>> byNumber)
    {
        var number = Named(schoolNumber);
        var own = user.SchoolScope();
        if (schoolId is { } id && !user.MaySee(id))
        {
            return new RequiredSchool(null, OtherSchool);
        }

        if (number is not null)
        {
            var numbered = await byNumber(number);
            if (own is not null && numbered?.SchoolId != own)
            {
                return new RequiredSchool(null, OtherSchool);
            }

            if (numbered is null)
            {
                return new RequiredSchool(null, Unknown("schoolNumber", $"No school with the number {number} is known."));
            }

            return schoolId is not null && schoolId != numbered.SchoolId
                ? new RequiredSchool(null, TwoSchools())
                : new RequiredSchool(numbered, null);
        }

        if ((schoolId ?? own) is not { } named)
        {
            return new RequiredSchool(null, ApiProblems.InvalidFields("Name the school by schoolId or schoolNumber.",
                new Dictionary<string, string[]> { ["schoolId"] = ["Required (or schoolNumber)."] }));
        }

        return await byId(named) is { } school
            ? new RequiredSchool(school, null)
            : new RequiredSchool(null, Unknown("schoolId", "No school with this id is known."));
    }

    /// <summary><see cref="RequireAsync(ClaimsPrincipal, Guid?, string?, Func{Guid, Task{KnownSchool?}}, Func{string, Task{KnownSchool?}})"/> on the service's directory replica.</summary>
    public static Task<RequiredSchool> RequireAsync(DbContext db, ClaimsPrincipal user, Guid? schoolId, string? schoolNumber,
        CancellationToken cancellationToken) =>
        RequireAsync(user, schoolId, schoolNumber,
            id => db.Set<KnownSchool>().AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == id, cancellationToken),
            number => KnownSchools.ByNumber(db.Set<KnownSchool>().AsNoTracking(), number).FirstOrDefaultAsync(cancellationToken));

    /// <summary>
    /// Looked-up schools by number. Numbers are unique in Schools; a replica can hold one twice for a moment while a renumbering's events
    /// arrive out of order, and then the lowest id stands, the same on every request.
    /// </summary>
    internal static IReadOnlyDictionary<string, Guid> ByNumber(IEnumerable<KeyValuePair<string, Guid>> schools) =>
        schools.GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(s => s.Value), StringComparer.Ordinal);

    private static string? Named(string? schoolNumber) => string.IsNullOrWhiteSpace(schoolNumber) ? null : schoolNumber.Trim();

    private static ProblemHttpResult Unknown(string field, string detail) => ApiProblems.DomainRule("school-unknown", detail, [field]);

    private static ProblemHttpResult TwoSchools() => ApiProblems.InvalidFields(
        "schoolId and schoolNumber name different schools; name the school by one of them.", new Dictionary<string, string[]>
        {
            ["schoolId"] = ["Names another school than schoolNumber."],
            ["schoolNumber"] = ["Names another school than schoolId."],
        });

    private static SchoolSelection NotVisible => new(null, noSuchSchool: false, OtherSchool);

    /// <summary>A school key's answer for any school but its own: one text whether named by id or number, existing or not.</summary>
    private static ProblemHttpResult OtherSchool => ApiProblems.NotFound("school", "id or number");
}

/// <summary>The school a write names (<see cref="SchoolSelection.RequireAsync(DbContext, ClaimsPrincipal, Guid?, string?, CancellationToken)"/>), or the answer instead.</summary>
public sealed record RequiredSchool(KnownSchool? School, ProblemHttpResult? Refusal)
{
    public bool Refused(out ProblemHttpResult refusal)
    {
        refusal = Refusal!;
        return Refusal is not null;
    }
}
