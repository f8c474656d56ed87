using Mep.Console.SignIn;
using Microsoft.Extensions.Options;

namespace Mep.Console.Layout;

public static class ConsoleSecurityHeaders
{
    /// <summary>
    /// The console's pages load only their own style sheet and script (no inline script or style, so an injected one does not run),
    /// are never framed, and send forms only to themselves or the identity provider (sign-out goes there).
    /// </summary>
    public static WebApplication UseConsoleSecurityHeaders(this WebApplication app)
    {
        var authority = app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Authority;
        var formTargets = authority is null ? "'self'" : $"'self' {authority.GetLeftPart(UriPartial.Authority)}";
        var policy = $"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action {formTargets}; frame-ancestors 'none'";
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                // A page shows what the person's token opened: no cache keeps it for the next person at this browser.
                headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
