using System.Net.Http.Headers;
using Mep.Console.SignIn;
using Mep.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Mep.Console.Admin;

/// <summary>
/// The administration's one endpoint that is not a page: opening a service's jobs dashboard. The dashboard (Hangfire, at
/// /api/{service}/jobs/) takes no bearer token, only its own session cookie, which the service issues for an admin's token. The
/// console holds the admin's token, so it asks the service for the session and hands the cookie on to the browser: the console and
/// the edge share one origin, so the cookie (HttpOnly, SameSite=Strict, scoped to the dashboard's path) is the browser's from then on.
/// </summary>
public static class AdminEndpoints
{
    /// <summary>
    /// Its own client, without a cookie jar: the platform client's pooled handler would keep one admin's dashboard cookie and send it
    /// on another person's later calls. Not following redirects: the session answer is the service's, or a refusal.
    /// </summary>
    private static readonly HttpClient SessionClient = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        // A form post with the antiforgery token ([FromForm] makes the framework check it): no other site's page can open a session.
        app.MapPost(AdminPages.JobsSession, OpenJobDashboardAsync).RequireAuthorization(ConsoleAreas.Admin).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> OpenJobDashboardAsync([FromForm(Name = "dienst")] string? service, HttpContext http,
        IOptions<ConsoleOptions> options, ILoggerFactory loggers)
    {
        if (service is null || !AdminServices.IsKnown(service))
        {
            return SeeOther(http, $"{AdminPages.Jobs}?fehler=unbekannt");
        }

        if (await http.GetTokenAsync(ConsoleSignIn.CookieScheme, "access_token") is not { Length: > 0 } token
            || options.Value.ApiBaseAddress is not { } edge)
        {
            return SeeOther(http, $"/anmelden?returnUrl={Uri.EscapeDataString(AdminPages.Jobs)}");
        }

        var dashboard = AdminServices.DashboardPath(service);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(edge, $"{dashboard}session"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        int status;
        try
        {
            using var response = await SessionClient.SendAsync(request, http.RequestAborted);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode && SessionCookie(response, dashboard) is { } cookie)
            {
                http.Response.Headers.Append(HeaderNames.SetCookie, cookie);
                return SeeOther(http, dashboard);
            }
        }
        catch (HttpRequestException)
        {
            status = StatusCodes.Status503ServiceUnavailable;
        }
        catch (TaskCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            status = StatusCodes.Status504GatewayTimeout;
        }

        loggers.CreateLogger(typeof(AdminEndpoints)).LogWarning("No jobs dashboard session from {Service}: status {Status}", service, status);
        return SeeOther(http, $"{AdminPages.Jobs}?fehler={Uri.EscapeDataString(service)}&status={status}");
    }

    /// <summary>The service's dashboard session cookie, exactly as it set it; anything else the answer carries is not passed on.</summary>
    private static string? SessionCookie(HttpResponseMessage response, string dashboard) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out var values)
            ? values.FirstOrDefault(value => SetCookieHeaderValue.TryParse(value, out var cookie)
                && cookie.Name.Equals(DashboardSessionScheme.CookieName, StringComparison.Ordinal)
                && cookie.Path.HasValue && dashboard.StartsWith(cookie.Path.Value, StringComparison.Ordinal) && cookie.Path.Value.Length > "/api/".Length)
            : null;

    /// <summary>303: after a form post the browser fetches the next page with GET.</summary>
    private static IResult SeeOther(HttpContext http, string location)
    {
        http.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
