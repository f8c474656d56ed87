using Mep.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Mep.ServiceDefaults.Hosting;

/// <summary>
/// Body size limits. An endpoint that takes bulk uploads raises its own with
/// <c>.WithMetadata(new RequestSizeLimitAttribute(bytes))</c> (any <see cref="IRequestSizeLimitMetadata"/>).
/// </summary>
public sealed class RequestLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Largest request body accepted by an ordinary endpoint (default 1 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

public static class RequestLimitsExtensions
{
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RequestLimitOptions>(builder.Configuration.GetSection(RequestLimitOptions.Section));
        var limits = builder.Configuration.GetSection(RequestLimitOptions.Section).Get<RequestLimitOptions>() ?? new RequestLimitOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        return builder;
    }

    /// <summary>
    /// Refuses a body whose declared length is over the endpoint's limit before anything reads it, and
    /// sets the same limit on the server feature for bodies without a length (chunked), which the
    /// server then enforces while reading (surfacing as a 413 problem through the exception handler).
    /// </summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        var defaultLimit = app.Services.GetRequiredService<IOptions<RequestLimitOptions>>().Value.MaxRequestBodyBytes;
        app.Use(async (context, next) =>
        {
            // Metadata with a null size means "no limit" (DisableRequestSizeLimit); no metadata means the default.
            var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
            var limit = metadata is null ? defaultLimit : metadata.MaxRequestBodySize;
            if (limit is { } max && context.Request.ContentLength > max)
            {
                await ApiProblems.PayloadTooLarge(max).ExecuteAsync(context);
                return;
            }

            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context);
        });
        return app;
    }
}
