namespace Mep.ServiceDefaults.Hosting;

public static class SecurityHeaders
{
    /// <summary>The policy of an answer that sets none: JSON and CSV load nothing and belong in no frame.</summary>
    public const string DefaultContentSecurityPolicy = "frame-ancestors 'none'";

    /// <summary>
    /// Headers every answer carries, set when the answer starts so that error answers get them too: no content sniffing
    /// (a CSV or JSON answer never runs as a page), no framing (clickjacking), and no caching of what a credential
    /// opened, so that a shared proxy or browser cache never hands one caller's data to the next. Endpoints that set
    /// their own (the jobs dashboard's stricter policy) keep them.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                if (!headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = DefaultContentSecurityPolicy;
                }

                if (context.User.Identity?.IsAuthenticated == true)
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
