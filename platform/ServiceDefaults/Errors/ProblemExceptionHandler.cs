using System.Text.Json;
using System.Text.RegularExpressions;
using Mep.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Mep.ServiceDefaults.Errors;

/// <summary>
/// The one place where exceptions become problem details. Clients see what they did wrong in words
/// of ours, never exception text or stack traces; anything unexpected is a 500 with a traceId, logged.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        var result = Map(exception);
        if (result.StatusCode >= 500)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName);
        }
        else
        {
            LogRefused(logger, result.StatusCode, result.ProblemDetails.Type);
        }

        await result.ExecuteAsync(httpContext);
        return true;
    }

    private static ProblemHttpResult Map(Exception exception) => exception switch
    {
        BadHttpRequestException bad => MapBadRequest(bad),
        JsonException json => MapJson(json),
        DomainRuleException rule when rule.IsStateConflict => ApiProblems.Problem(409, ProblemTypes.Conflict, "Conflict",
            rule.Message, new Dictionary<string, object?>(rule.Extensions) { ["rule"] = rule.Rule }),
        DomainRuleException { Field: { } field } rule => ApiProblems.DomainRule(rule.Rule, rule.Message,
            new Dictionary<string, object?>(rule.Extensions) { ["errors"] = new Dictionary<string, string[]> { [field] = [rule.Message] } }),
        DomainRuleException rule => ApiProblems.DomainRule(rule.Rule, rule.Message, new Dictionary<string, object?>(rule.Extensions)),
        DbUpdateConcurrencyException => ApiProblems.PreconditionFailed(
            "The resource was changed by someone else since you read it. Read it again and retry with the new ETag."),
        DbUpdateException { InnerException: PostgresException pg } => MapPostgres(pg),
        DbUpdateException { InnerException: NpgsqlException } => ApiProblems.Unavailable(),
        // EF's retrying strategy gave up: what counts is why it failed.
        RetryLimitExceededException { InnerException: { } inner } => Map(inner),
        PostgresException pg => MapPostgres(pg),
        NpgsqlException or TimeoutException => ApiProblems.Unavailable(),
        _ => ApiProblems.Internal(),
    };

    private static ProblemHttpResult MapBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return MapJson(json);
        }

        return bad.StatusCode switch
        {
            413 => ApiProblems.Problem(413, ProblemTypes.PayloadTooLarge, "Payload too large",
                "The request body is larger than this endpoint accepts."),
            415 => ApiProblems.Problem(415, ProblemTypes.UnsupportedMediaType, "Unsupported media type",
                "Send the body as application/json."),
            _ => MapBindingFailure(bad.Message),
        };
    }

    /// <summary>
    /// The framework's binding messages name the .NET type and parameter; the caller needs the query or
    /// route parameter's name and the value that did not fit, so that is what the problem says.
    /// </summary>
    private static ProblemHttpResult MapBindingFailure(string message)
    {
        var failed = FailedToBind().Match(message);
        if (failed.Success)
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(failed.Groups["name"].Value);
            var value = failed.Groups["value"].Value;
            value = value.Length > 50 ? value[..50] + "..." : value;
            return ApiProblems.Malformed($"The parameter {name} cannot be \"{value}\".",
                new Dictionary<string, string[]> { [name] = ["Not a valid value for this parameter."] });
        }

        return message.Contains("body", StringComparison.OrdinalIgnoreCase)
            ? ApiProblems.Malformed("A JSON body is required.")
            : ApiProblems.Malformed("The request could not be read.");
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    /// <summary>
    /// System.Text.Json reports where it stopped (path, line, position); the message of its own is built
    /// from .NET type names, so the detail is ours and names the JSON path instead.
    /// </summary>
    private static ProblemHttpResult MapJson(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var message = json.Message;
        if (message == StrictJson.NullForRequiredValue)
        {
            return RequiredFields([FieldName(path)]);
        }

        if (message == StrictJson.ControlCharacterInText)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "Validation failed", "One or more fields are invalid.",
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [FieldName(path)] = [message] } });
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            // The reader lists the JSON names of every missing field after "including:"; they belong to the object at the path.
            const string Including = "including:";
            var listed = message[(message.IndexOf(Including, StringComparison.Ordinal) + Including.Length)..];
            var prefix = path == "$" ? string.Empty : FieldName(path) + ".";
            return RequiredFields([.. QuotedName().Matches(listed).Select(name => prefix + name.Groups["name"].Value)]);
        }

        string problem;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) || message == StrictJson.ComputedField)
        {
            problem = "Unknown or read-only field; it is not accepted here.";
        }
        else if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            problem = "The value has the wrong type or format.";
        }
        else if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            problem = "The JSON is nested too deeply.";
        }
        else if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            problem = "The field appears more than once.";
        }
        else
        {
            problem = "This is not valid JSON.";
        }

        var where = json.LineNumber is { } line
            ? $" (line {line + 1}, position {json.BytePositionInLine.GetValueOrDefault() + 1})"
            : string.Empty;
        return ApiProblems.Malformed($"{problem} At {path}{where}.",
            new Dictionary<string, string[]> { [path] = [problem] });
    }

    private static readonly string[] Required = ["Required."];

    /// <summary>The same problem a request record's Validate gives for a missing field, so clients see one shape for "Required.".</summary>
    private static ProblemHttpResult RequiredFields(IReadOnlyList<string> fields) =>
        ApiProblems.Problem(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "Validation failed", "One or more fields are invalid.",
            new Dictionary<string, object?> { ["errors"] = fields.ToDictionary(field => field, _ => Required, StringComparer.Ordinal) });

    /// <summary>A JSON path ("$.shares[0].amount") as validation errors name fields ("shares[0].amount").</summary>
    private static string FieldName(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    [GeneratedRegex("'(?<name>[^']+)'")]
    private static partial Regex QuotedName();

    private static ProblemHttpResult MapPostgres(PostgresException pg) => pg.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => ApiProblems.Conflict("A resource with the same unique value already exists."),
        PostgresErrorCodes.ForeignKeyViolation => ApiProblems.Conflict("The request refers to a resource that does not exist or is still in use."),
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected => ApiProblems.Problem(409, ProblemTypes.Conflict,
            "Conflict", "A concurrent change got in the way. Nothing was changed; retry."),
        PostgresErrorCodes.CheckViolation => ApiProblems.DomainRule("database-check", "A stored rule refused the values."),
        // Class 22 (data exception): a value PostgreSQL cannot store, e.g. a NUL character in text.
        _ when pg.SqlState.StartsWith("22", StringComparison.Ordinal) => ApiProblems.Malformed("A value cannot be stored as given (e.g. it contains a NUL character)."),
        _ when pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) =>
            ApiProblems.Unavailable(),
        _ => ApiProblems.Internal(),
    };

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Unhandled exception in {Method} {Endpoint}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string? endpoint);

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Request refused with {Status} {ProblemType}")]
    private static partial void LogRefused(ILogger logger, int? status, string? problemType);
}
