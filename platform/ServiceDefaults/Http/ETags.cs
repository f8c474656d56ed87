using System.Diagnostics.CodeAnalysis;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Mep.ServiceDefaults.Http;

/// <summary>
/// Optimistic concurrency over HTTP: a resource's ETag is its PostgreSQL row version (xmin); a write
/// that sends If-Match must match it, otherwise 412. A write without If-Match is accepted (the row's
/// version is still checked at save, so a concurrent writer between read and save is caught).
/// </summary>
public static class ETags
{
    /// <summary>The longest ETag: a 32-bit row version, quoted.</summary>
    public const int MaxLength = 12;

    public static string Format(uint version) => $"\"{version}\"";

    public static void Set(HttpResponse response, uint version) => response.Headers.ETag = Format(version);

    /// <summary>
    /// As <see cref="CheckIfMatch"/>, but a missing If-Match is refused with 428: for full replacements
    /// (PUT), where a blind write would silently undo someone else's change.
    /// </summary>
    public static ProblemHttpResult? RequireIfMatch(HttpRequest request, uint currentVersion) =>
        request.Headers.IfMatch.Count == 0 ? ApiProblems.PreconditionRequired() : CheckIfMatch(request, currentVersion);

    /// <summary>
    /// The opening of a write to one row: the row <paramref name="find"/> loads, or the 404 when there is none (<paramref name="what"/>
    /// names it), or the 412 when If-Match names another version (<see cref="CheckIfMatch"/>).
    /// </summary>
    public static async Task<WriteTarget<T>> FindForWriteAsync<T>(Task<T?> find, string what, HttpRequest request, Func<T, uint> version)
        where T : class
    {
        if (await find is not { } row)
        {
            return new(null, ApiProblems.NotFound(what));
        }

        return CheckIfMatch(request, version(row)) is { } stale ? new(null, stale) : new(row, null);
    }

    /// <summary>
    /// As <see cref="FindForWriteAsync"/>, for a full replacement (PUT): a missing If-Match is refused with 428 (<see cref="RequireIfMatch"/>).
    /// </summary>
    public static async Task<WriteTarget<T>> FindForReplacementAsync<T>(Task<T?> find, string what, HttpRequest request, Func<T, uint> version)
        where T : class
    {
        if (await find is not { } row)
        {
            return new(null, ApiProblems.NotFound(what));
        }

        return RequireIfMatch(request, version(row)) is { } precondition ? new(null, precondition) : new(row, null);
    }

    /// <summary>Null when the request may proceed; otherwise the 412 to answer.</summary>
    public static ProblemHttpResult? CheckIfMatch(HttpRequest request, uint currentVersion)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return ApiProblems.PreconditionFailed("If-Match is not a valid entity tag list.");
        }

        var current = new EntityTagHeaderValue(Format(currentVersion));
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: true))
            ? null
            : ApiProblems.PreconditionFailed($"The resource is at version {Format(currentVersion)}, not the one in If-Match. Read it again and retry.");
    }
}

/// <summary>The row a write is about (<see cref="ETags.FindForWriteAsync"/>), or the answer that stops the write before it starts.</summary>
public readonly record struct WriteTarget<T>(T? Row, ProblemHttpResult? Refusal) where T : class
{
    public bool TryGet([NotNullWhen(true)] out T? row, [NotNullWhen(false)] out ProblemHttpResult? refusal)
    {
        (row, refusal) = (Row, Refusal);
        return row is not null;
    }
}
