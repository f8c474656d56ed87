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
