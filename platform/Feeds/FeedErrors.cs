using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OData;

namespace Mep.Feeds;

/// <summary>A query that asks for more than a limit allows: answered with 400, naming the limit and its maximum.</summary>
public sealed class QueryLimitException(string limit, long maximum, string detail) : Exception(detail)
{
    public string Limit { get; } = limit;

    public long Maximum { get; } = maximum;
}

/// <summary>A problem result where MVC expects an action result (the feed's controllers answer as the minimal APIs do).</summary>
internal sealed class ProblemActionResult(IResult problem) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        context.HttpContext.Response.Headers["OData-Version"] = "4.0";
        return problem.ExecuteAsync(context.HttpContext);
    }
}

/// <summary>
/// Every refused feed request as a problem document: the parser's and validator's messages (with the position, when they name
/// one), the limit a query exceeds, and what PostgreSQL or EF cannot compute. Never a 500 for a query a caller wrote.
/// </summary>
internal static partial class FeedErrors
{
    public static async Task<IActionResult> AnswerAsync(HttpContext context, Func<Task<IActionResult>> answer)
    {
        try
        {
            try
            {
                return await answer();
            }
            catch (TargetInvocationException invoked) when (invoked.InnerException is not null)
            {
                // The library applies some options through reflection (paging, $apply): the real error is inside.
                ExceptionDispatchInfo.Capture(invoked.InnerException).Throw();
                throw;
            }
        }
        catch (QueryLimitException limit)
        {
            return Problem(StatusCodes.Status400BadRequest, ProblemTypes.QueryLimitExceeded, "Query limit exceeded", limit.Message,
                new Dictionary<string, object?> { ["limit"] = limit.Limit, ["maximum"] = limit.Maximum });
        }
        catch (ODataContentTypeException notAcceptable)
        {
            return Problem(StatusCodes.Status406NotAcceptable, ProblemTypes.NotAcceptable, "Not acceptable", notAcceptable.Message);
        }
        catch (ODataException invalid)
        {
            var extensions = new Dictionary<string, object?>();
            if (Position().Match(invalid.Message) is { Success: true } match)
            {
                extensions["position"] = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            return Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid query", invalid.Message, extensions);
        }
        catch (Npgsql.PostgresException data) when (data.SqlState.StartsWith("22", StringComparison.Ordinal)
                                                     || data.SqlState is Npgsql.PostgresErrorCodes.UndefinedFunction or Npgsql.PostgresErrorCodes.DatatypeMismatch)
        {
            // SQL state class 22, data exception: division by zero, numeric overflow, a substring of negative length; and an
            // operator PostgreSQL has not for these operand types (42883, 42804), which the caller's expression asked for.
            return Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid query",
                $"PostgreSQL cannot compute the expression: {data.MessageText}.");
        }
        catch (Exception cannot) when (cannot is InvalidOperationException or NotSupportedException or NotImplementedException
                                           or ArgumentException or FormatException or OverflowException or InvalidCastException)
        {
            // What the library's binders or EF cannot turn into SQL (a type mix, an expression without a translation). Their
            // messages hold our code's LINQ, not the caller's query, so they stay in the log.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FeedErrors))
                .LogInformation(cannot, "A feed query could not be run: {Query}", context.Request.QueryString.Value);
            return Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidQuery, "Invalid query",
                "This feed cannot run that expression in the database: the types of its operands do not fit, or no SQL exists for it.");
        }
    }

    private static ProblemActionResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new(ApiProblems.Problem(status, type, title, detail, extensions));

    [GeneratedRegex(@"position (\d+)")]
    private static partial Regex Position();
}
