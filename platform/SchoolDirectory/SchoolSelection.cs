using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Security.Claims;
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

/// <summary>A Lower Saxony school number as a request names a school: five digits.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class SchoolNumberAttribute : RegularExpressionAttribute
{
    public const string FiveDigits = @"^\d{5}$";

    public SchoolNumberAttribute() : base(FiveDigits) => ErrorMessage = "A school number has five digits.";
}

/// <summary>
/// The school a request's <c>schoolId</c> and <c>schoolNumber</c> select, and what the caller may see of it: a school key always its
/// own school, staff every school or the one named. Lists apply it with <see cref="Apply{T}"/>; a write takes <see cref="SchoolId"/>.
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

    /// <summary>The rows of the selected school (by <paramref name="schoolOf"/>); all rows when staff selected none; none for an unknown number.</summary>
    public IQueryable<T> Apply<T>(IQueryable<T> rows, Expression<Func<T, Guid>> schoolOf)
    {
        if (NoSuchSchool)
        {
            return rows.Where(_ => false);
        }

        return SchoolId is { } school ? rows.OfSchool(school, schoolOf) : rows;
    }

    /// <summary>
    /// Resolves what a request names. A school key asking for any other school, by id or by number (one that exists or not), gets the
    /// same 404 as for another school's id: it learns nothing. Staff get the named school; a number and an id that name different
    /// schools are refused (400, naming both fields) rather than one of them silently winning.
    /// </summary>
    public static async Task<SchoolSelection> SelectAsync(ISchoolNumbers numbers, ClaimsPrincipal user, Guid? schoolId, string? schoolNumber,
        CancellationToken cancellationToken)
    {
        var number = string.IsNullOrWhiteSpace(schoolNumber) ? null : schoolNumber.Trim();
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

        if (schoolId is not null && numbered != schoolId)
        {
            return new SchoolSelection(null, noSuchSchool: false, ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.Validation,
                "Validation failed", "schoolId and schoolNumber name different schools; name the school by one of them.",
                new Dictionary<string, object?>
                {
                    ["errors"] = new Dictionary<string, string[]>
                    {
                        ["schoolId"] = ["Names another school than schoolNumber."],
                        ["schoolNumber"] = ["Names another school than schoolId."],
                    },
                }));
        }

        return new SchoolSelection(numbered, noSuchSchool: numbered is null, refusal: null);
    }

    /// <summary>
    /// Looked-up schools by number. Numbers are unique in Schools; a replica can hold one twice for a moment while a renumbering's events
    /// arrive out of order, and then the lowest id stands, the same on every request.
    /// </summary>
    public static IReadOnlyDictionary<string, Guid> ByNumber(IEnumerable<KeyValuePair<string, Guid>> schools) =>
        schools.GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(s => s.Value), StringComparer.Ordinal);

    private static SchoolSelection NotVisible => new(null, noSuchSchool: false, ApiProblems.NotFound("school"));
}
