using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Xml.Linq;
using Hangfire;
using Hangfire.Dashboard;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mep.Jobs;

/// <summary>
/// Hangfire's dashboard of a service's jobs at <c>{prefix}/jobs/</c>, for admins in a browser. A browser cannot send a bearer
/// token with a page request, so an admin exchanges one (<c>POST {prefix}/jobs/session</c>) for a short-lived session cookie:
/// HttpOnly (no script reads it), SameSite=Strict (no other site's page makes the browser send it, which is what stands against
/// forged dashboard actions), Secure on https, and scoped to the dashboard's path. Its content is an ASP.NET cookie ticket
/// protected with Data Protection, keys shared by the replicas through the service's database, so any replica accepts it. A web
/// console with its own sign-in can issue the same ticket (<see cref="SignInAsync"/>) instead of the exchange.
/// </summary>
public static class JobDashboard
{
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(30);

    /// <param name="Dashboard">The dashboard's path: the service's prefix and "/jobs/".</param>
    public sealed record DashboardSession([MaxLength(100)] string Dashboard, DateTimeOffset ExpiresAt);

    internal static void AddDashboardSession(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName("mep-jobs-dashboard");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new DatabaseKeyRepository(services)));
        builder.Services.AddAuthentication().AddCookie(DashboardSessionScheme.Name);
        builder.Services.AddOptions<CookieAuthenticationOptions>(DashboardSessionScheme.Name).Configure<ServiceDescription>((options, service) =>
        {
            options.Cookie.Name = DashboardSessionScheme.CookieName;
            options.Cookie.Path = DashboardPath(service);
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = SessionLifetime;
            options.SlidingExpiration = false;
            // The session is never a challenge scheme; should anything challenge with it, it answers as the API does, never a redirect.
            options.Events.OnRedirectToLogin = context => Unauthenticated(context.Response.HttpContext).ExecuteAsync(context.HttpContext);
            options.Events.OnRedirectToAccessDenied = context => Forbidden().ExecuteAsync(context.HttpContext);
        });
    }

    public static string DashboardPath(ServiceDescription service) => $"{service.PathPrefix}/jobs";

    /// <summary>
    /// The dashboard and its session endpoints below the service's prefix; call after <c>UseServiceDefaults</c>. The dashboard is an
    /// endpoint that the platform's bearer policy leaves alone (a browser has no bearer token): the gate in front of it admits
    /// only an admin's dashboard session, and Hangfire's own filter checks the same again.
    /// </summary>
    public static WebApplication MapJobDashboard(this WebApplication app)
    {
        var path = DashboardPath(app.Services.GetRequiredService<ServiceDescription>());
        var session = app.MapGroup($"{path}/session").WithTags("Operations");
        session.MapPost("/", StartSession).RequireAuthorization(PlatformRoles.Admin).WithName("StartJobDashboardSession")
            .WithSummary("Exchange an admin bearer token for a 30-minute dashboard session cookie (HttpOnly, SameSite=Strict, path-scoped).");
        // Ending a session takes the session: the cookie is the credential here (a browser has no bearer token to send).
        session.MapDelete("/", (Delegate)EndSession)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = DashboardSessionScheme.Name, Roles = PlatformRoles.Admin })
            .WithName("EndJobDashboardSession")
            .WithSummary("End the dashboard session: the cookie is cleared.");
        app.UseWhen(context => context.Request.Path.StartsWithSegments(path), dashboard => dashboard.Use(async (context, next) =>
        {
            // Never inside another site's frame: the dashboard has buttons (retry, delete) worth clickjacking.
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.Path.StartsWithSegments($"{path}/session"))
            {
                await next(context);
                return;
            }

            var result = await context.AuthenticateAsync(DashboardSessionScheme.Name);
            if (!result.Succeeded)
            {
                await Unauthenticated(context).ExecuteAsync(context);
                return;
            }

            if (!result.Principal.IsInRole(PlatformRoles.Admin))
            {
                await Forbidden().ExecuteAsync(context);
                return;
            }

            context.User = result.Principal;
            await next(context);
        }));
        app.MapHangfireDashboard(path, new DashboardOptions
        {
            DashboardTitle = $"{app.Services.GetRequiredService<ServiceDescription>().Title} jobs",
            AppPath = null,
            DisplayStorageConnectionString = false,
            Authorization = [],
            AsyncAuthorization = [new AdminSessionFilter()],
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Issues the session for whoever the current request authenticated (an admin); a web console's sign-in can call it too.</summary>
    public static async Task<DashboardSession> SignInAsync(HttpContext context, ServiceDescription service, TimeProvider clock)
    {
        var caller = context.User;
        var identity = new ClaimsIdentity(DashboardSessionScheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaims(caller.FindAll(claim => claim.Type is ClaimTypes.NameIdentifier or ClaimTypes.Name or ClaimTypes.Role)
            .Select(claim => new Claim(claim.Type, claim.Value)));
        var expiresAt = clock.GetUtcNow().Add(SessionLifetime);
        await context.SignInAsync(DashboardSessionScheme.Name, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IssuedUtc = clock.GetUtcNow(),
            ExpiresUtc = expiresAt,
            IsPersistent = false,
        });
        return new DashboardSession($"{DashboardPath(service)}/", expiresAt);
    }

    private static async Task<Ok<DashboardSession>> StartSession(HttpContext context, ServiceDescription service, TimeProvider clock) =>
        TypedResults.Ok(await SignInAsync(context, service, clock));

    private static async Task<NoContent> EndSession(HttpContext context)
    {
        await context.SignOutAsync(DashboardSessionScheme.Name);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Unauthenticated(HttpContext context) => ApiProblems.Problem(StatusCodes.Status401Unauthorized,
        ProblemTypes.Unauthenticated, "Unauthenticated",
        $"The jobs dashboard needs a session: POST {context.Request.PathBase}{DashboardPath(context.RequestServices.GetRequiredService<ServiceDescription>())}/session "
        + "with an admin bearer token, then open the dashboard in the same browser.");

    private static ProblemHttpResult Forbidden() =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", "Only admins may see the jobs dashboard.");

    /// <summary>Hangfire's own check, behind the gate above: the request must carry an admin's dashboard session.</summary>
    private sealed class AdminSessionFilter : IDashboardAsyncAuthorizationFilter
    {
        public Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return Task.FromResult(user.Identity is { IsAuthenticated: true, AuthenticationType: DashboardSessionScheme.Name } && user.IsInRole(PlatformRoles.Admin));
        }
    }

    /// <summary>
    /// Data Protection's key ring in the service's database (table data_protection_keys), so every replica reads the same keys:
    /// a session cookie issued by one replica is accepted by all.
    /// </summary>
    private sealed class DatabaseKeyRepository(IServiceProvider services) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var connection = Open();
            using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY id", connection);
            using var reader = command.ExecuteReader();
            var keys = new List<XElement>();
            while (reader.Read())
            {
                keys.Add(XElement.Parse(reader.GetString(0)));
            }

            return keys;
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var connection = Open();
            using var command = new NpgsqlCommand("INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml)", connection);
            command.Parameters.AddWithValue("name", friendlyName);
            command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
            command.ExecuteNonQuery();
        }

        private NpgsqlConnection Open()
        {
            var connection = new NpgsqlConnection(ScheduledJobs.ConnectionString(services));
            connection.Open();
            return connection;
        }
    }
}
