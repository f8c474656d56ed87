using System.Diagnostics.CodeAnalysis;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.SchoolDirectory;

/// <summary>
/// The school a request names by its id, by its number (what people know: five digits), or by both. The number is looked up in
/// the service's directory replica. An unknown number, or a number and an id that name two schools, is refused (422 naming the
/// fields) rather than answered as if no school had been named: a list filtered by a mistyped number must not come back empty
/// as if the school had no rows, nor unfiltered.
/// </summary>
public static class SchoolByNumber
{
    /// <param name="schoolId">The id the request sent, if any; returned as it is when no number is sent (its existence is the caller's to check).</param>
    /// <param name="schoolNumber">The number the request sent, if any.</param>
    /// <param name="idField">The request's name for the id, as the refusal names it.</param>
    /// <param name="numberField">The request's name for the number, as the refusal names it.</param>
    public static async Task<NamedSchool> ResolveAsync(DbContext db, Guid? schoolId, string? schoolNumber, CancellationToken cancellationToken,
        string idField = "schoolId", string numberField = "schoolNumber")
    {
        if (string.IsNullOrWhiteSpace(schoolNumber))
        {
            return new NamedSchool(schoolId, null);
        }

        var number = schoolNumber.Trim();
        // Two rows can carry one number only for the moment a renumbering's events are on their way; that is no school to pick.
        var found = await db.Set<KnownSchool>().Where(s => s.Number == number).Select(s => s.SchoolId).Take(2).ToListAsync(cancellationToken);
        if (found.Count != 1)
        {
            return new NamedSchool(null, ApiProblems.DomainRule("school-number-unknown", $"No school with the number {number} is known here.", [numberField]));
        }

        if (schoolId is { } id && id != found[0])
        {
            return new NamedSchool(null, ApiProblems.DomainRule("school-number-and-id-disagree",
                $"{idField} and {numberField} name two different schools; send one of them.", [idField, numberField]));
        }

        return new NamedSchool(found[0], null);
    }
}

/// <summary>The school a request named (null when it named none), or why its name was refused.</summary>
public readonly record struct NamedSchool(Guid? SchoolId, ProblemHttpResult? Refusal)
{
    public bool TryGet(out Guid? schoolId, [NotNullWhen(false)] out ProblemHttpResult? refusal)
    {
        (schoolId, refusal) = (SchoolId, Refusal);
        return refusal is null;
    }
}
