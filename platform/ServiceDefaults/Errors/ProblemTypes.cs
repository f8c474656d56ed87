namespace Mep.ServiceDefaults.Errors;

/// <summary>
/// The stable <c>type</c> of every problem the platform answers with (RFC 9457). Clients branch on these,
/// never on <c>title</c> or <c>detail</c>, so a value here never changes once released.
/// </summary>
public static class ProblemTypes
{
    private const string Prefix = "urn:mep:problem:";

    public const string Validation = Prefix + "validation";
    public const string MalformedRequest = Prefix + "malformed-request";
    public const string Unauthenticated = Prefix + "unauthenticated";
    public const string Forbidden = Prefix + "forbidden";
    public const string NotFound = Prefix + "not-found";
    public const string MethodNotAllowed = Prefix + "method-not-allowed";
    public const string Conflict = Prefix + "conflict";
    public const string PreconditionFailed = Prefix + "precondition-failed";
    public const string PreconditionRequired = Prefix + "precondition-required";
    public const string IdempotencyKeyReused = Prefix + "idempotency-key-reused";
    public const string BatchRejected = Prefix + "batch-rejected";
    public const string PayloadTooLarge = Prefix + "payload-too-large";
    public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
    public const string DomainRule = Prefix + "domain-rule";
    public const string TooManyRequests = Prefix + "too-many-requests";
    public const string InvalidQuery = Prefix + "invalid-query";
    public const string QueryLimitExceeded = Prefix + "query-limit-exceeded";
    public const string NotAcceptable = Prefix + "not-acceptable";
    public const string NotImplemented = Prefix + "not-implemented";
    public const string Internal = Prefix + "internal";
    public const string Unavailable = Prefix + "unavailable";

    /// <summary>Every type with its status and meaning, for API docs.</summary>
    public static IReadOnlyList<(string Type, int Status, string Meaning)> All { get; } =
    [
        (Validation, 400, "One or more fields are invalid; `errors` maps each field (JSON path) to its messages."),
        (MalformedRequest, 400, "The body is not valid JSON, a value has the wrong type, a field is unknown or read-only, or a parameter cannot be read."),
        (Unauthenticated, 401, "No credentials, or a token or API key that is expired, badly signed, unknown or revoked."),
        (Forbidden, 403, "Authenticated, but the caller's role may not do this."),
        (NotFound, 404, "No such resource, or none the caller may see (a school key never learns whether another school's resource exists)."),
        (InvalidQuery, 400, "An OData query option cannot be read: bad syntax, an unknown property or a type mismatch; `position` is where, when known."),
        (QueryLimitExceeded, 400, "An OData query asks for more than the feed serves at once; `limit` names the limit and `maximum` its value."),
        (MethodNotAllowed, 405, "The resource does not support this HTTP method."),
        (Conflict, 409, "The request conflicts with stored state, e.g. a duplicate unique value or a transition already made."),
        (PreconditionFailed, 412, "If-Match does not match the current version (ETag): someone changed the resource since you read it."),
        (PreconditionRequired, 428, "This write needs If-Match with the ETag you read: send it so that a concurrent change is not overwritten."),
        (PayloadTooLarge, 413, "The body is larger than the endpoint accepts."),
        (UnsupportedMediaType, 415, "The Content-Type is not one the endpoint reads (usually application/json)."),
        (DomainRule, 422, "Well-formed, but a domain rule refuses it; `rule` names the rule."),
        (IdempotencyKeyReused, 422, "The Idempotency-Key was already used for a different request; use a new key for a new request."),
        (BatchRejected, 422, "A batch was refused as a whole and nothing was stored; `rows` lists each bad row with its number, field and reason."),
        (NotAcceptable, 406, "None of the formats in Accept (or $format) is one the endpoint writes."),
        (TooManyRequests, 429, "Too many requests; retry after the time in Retry-After."),
        (Internal, 500, "An unexpected error; the `traceId` lets operators find it in the logs. Nothing was half-written."),
        (NotImplemented, 501, "A standard feature that this server does not implement; `feature` names it."),
        (Unavailable, 503, "A dependency (database, broker) is not reachable right now; retry later."),
    ];

    public static string ForStatus(int status) => status switch
    {
        400 => Validation,
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        412 => PreconditionFailed,
        428 => PreconditionRequired,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => DomainRule,
        429 => TooManyRequests,
        503 => Unavailable,
        _ => Internal,
    };
}
