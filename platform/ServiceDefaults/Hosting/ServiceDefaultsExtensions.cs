using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Health;
using Mep.ServiceDefaults.Logging;
using Mep.ServiceDefaults.OpenApi;
using Mep.ServiceDefaults.Telemetry;
using Mep.ServiceDefaults.Validation;

namespace Mep.ServiceDefaults.Hosting;

/// <summary>What every MEP service shares. A service's Program.cs calls these two and then maps its features.</summary>
public static class ServiceDefaultsExtensions
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, ServiceDescription service)
    {
        builder.Services.AddSingleton(service);
        builder.AddStructuredLogging();
        builder.AddPlatformTelemetry(service);
        builder.AddRequestLimits();
        builder.Services.AddStrictJson();
        builder.Services.AddApiProblemDetails();
        builder.AddPlatformAuthentication();
        builder.AddPlatformRateLimits();
        builder.Services.AddPlatformOpenApi(service);
        builder.Services.AddPlatformHealthChecks();
        return builder;
    }

    /// <summary>
    /// The request pipeline, in the order that matters: the public address and client first (links and logs use them), ids
    /// and logs, errors, headers on every answer, control characters in path and query, then limits, auth, the query names an
    /// endpoint reads, domain rules' refusals (answered with the headers set so far), endpoints.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UsePublicAddress();
        app.UseRequestIdAndLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseControlCharacterGuard();
        app.UseRequestBodyLimit();
        app.UsePlatformSwaggerUi();
        app.UseAuthentication();
        app.UseFailedAuthenticationThrottle();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseKnownQueryParameters();
        app.UseDomainRuleAnswers();
        app.MapPlatformOpenApi();
        app.MapPlatformHealthChecks();
        app.MapPlatformMetrics();
        return app;
    }
}
