using Microsoft.AspNetCore.Http.HttpResults;

namespace Mep.ServiceDefaults.Errors;

/// <summary>Problem results for the cases endpoints answer themselves; exceptions are mapped in <see cref="ProblemExceptionHandler"/>.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what) => NotFound(what, "id");

    /// <summary>404 for a resource looked up by another key than its id: the detail names it ("No school with this number ...").</summary>
    public static ProblemHttpResult NotFound(string what, string namedBy, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"No {what} with this {namedBy} exists, or you may not see it.",
            extensions);

    public static ProblemHttpResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Conflict", detail, extensions);

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        Problem(StatusCodes.Status412PreconditionFailed, ProblemTypes.PreconditionFailed, "Precondition failed", detail);

    public static ProblemHttpResult PreconditionRequired() =>
        Problem(StatusCodes.Status428PreconditionRequired, ProblemTypes.PreconditionRequired, "Precondition required",
            "Send If-Match with the ETag of the version you read (GET the resource first).");

    public static ProblemHttpResult DomainRule(string rule, string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.DomainRule, "Domain rule violated", detail,
            new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["rule"] = rule });

    /// <summary>
    /// A rule the request's <paramref name="fields"/> break together (a number and an id naming two schools): each is named under errors.
    /// </summary>
    public static ProblemHttpResult DomainRule(string rule, string detail, IReadOnlyList<string> fields) =>
        DomainRule(rule, detail, new Dictionary<string, object?>
        {
            ["errors"] = fields.ToDictionary(field => field, _ => new[] { detail }, StringComparer.Ordinal),
        });

    public static ProblemHttpResult PayloadTooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge, "Payload too large",
            $"The request body is larger than the {limit} bytes this endpoint accepts.",
            new Dictionary<string, object?> { ["limitBytes"] = limit });

    public static ProblemHttpResult Malformed(string detail, IDictionary<string, string[]>? errors = null) =>
        Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "Malformed request", detail,
            errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Unavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "Service unavailable",
            "A dependency (database, identity provider) is not reachable right now. Nothing was changed; retry later.");

    public static ProblemHttpResult Internal() =>
        Problem(StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal error",
            "An unexpected error occurred. Nothing was half-written; quote the traceId when reporting it.");

    /// <summary>
    /// 400 naming the fields at fault, as <see cref="Validation"/> does, where the fields are fine alone but not together (an id and a
    /// number naming two schools): <paramref name="detail"/> says what is wrong with them.
    /// </summary>
    public static ProblemHttpResult InvalidFields(string detail, IDictionary<string, string[]> errors) =>
        Problem(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "Validation failed", detail,
            new Dictionary<string, object?> { ["errors"] = errors });

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "One or more fields are invalid.", type: ProblemTypes.Validation,
            title: "Validation failed");

    public static ProblemHttpResult Problem(int status, string type, string title, string detail,
        IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);
}
