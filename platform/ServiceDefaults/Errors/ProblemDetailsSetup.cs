using System.Diagnostics;

namespace Mep.ServiceDefaults.Errors;

public static class ProblemDetailsSetup
{
    /// <summary>
    /// Every error leaves the service as application/problem+json with a stable type, the request path
    /// as instance and a traceId; framework-made problems (404 for an unknown route, 405) get the same shape.
    /// </summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                problem.Type = ProblemTypes.ForStatus(status);
            }

            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = ProblemLimits.Cut(Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier,
                ProblemLimits.MaxTraceIdLength);
            HoldToDocumentedLimits(problem);
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();

        // Minimal APIs answer unreadable bodies with a bare 400 unless told to throw; the exception handler
        // then turns the failure into a problem that says what was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>The lengths the OpenAPI document promises (<see cref="ProblemLimits"/>), whatever a detail or message echoes.</summary>
    private static void HoldToDocumentedLimits(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        problem.Title = ProblemLimits.Cut(problem.Title, ProblemLimits.MaxTitleLength);
        problem.Detail = ProblemLimits.Cut(problem.Detail, ProblemLimits.MaxDetailLength);
        problem.Instance = ProblemLimits.Cut(problem.Instance, ProblemLimits.MaxInstanceLength);
        var errors = problem is HttpValidationProblemDetails validation ? validation.Errors
            : problem.Extensions.TryGetValue("errors", out var extension) ? extension as IDictionary<string, string[]> : null;
        if (errors is not null && !errors.IsReadOnly)
        {
            foreach (var field in errors.Keys.ToList())
            {
                errors[field] = [.. errors[field].Take(ProblemLimits.MaxMessagesPerField).Select(message => ProblemLimits.Cut(message, ProblemLimits.MaxMessageLength)!)];
            }
        }
    }
}
