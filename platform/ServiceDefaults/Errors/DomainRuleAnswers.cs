using Microsoft.AspNetCore.Diagnostics;

namespace Mep.ServiceDefaults.Errors;

/// <summary>
/// Answers a domain rule's refusal where the endpoint threw it, as if the endpoint had returned the problem. The exception handler
/// middleware clears the response before its handlers run, and with it the headers already set for the request: the request id and
/// the caller's rate-limit quota, which the OpenAPI document promises on every 4xx. A refusal keeps them.
/// </summary>
public static class DomainRuleAnswers
{
    public static IApplicationBuilder UseDomainRuleAnswers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (DomainRuleException rule) when (!context.Response.HasStarted)
        {
            var handler = context.RequestServices.GetServices<IExceptionHandler>().OfType<ProblemExceptionHandler>().Single();
            await handler.TryHandleAsync(context, rule, context.RequestAborted);
        }
    });
}
