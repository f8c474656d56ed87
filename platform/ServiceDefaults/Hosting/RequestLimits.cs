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

    /// <summary>
    /// How much of a refused body is still read (and dropped) so that the 413 reaches a client that sends its whole body
    /// before it reads the answer, as the edge does (default 64 MiB); a larger one gets the 413 and the connection closed.
    /// </summary>
    public long MaxRefusedBodyDrainBytes { get; set; } = 64 * 1024 * 1024;
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
    /// Refuses a body whose declared length is over the endpoint's limit before the endpoint reads it, and
    /// sets the same limit on the server feature for bodies without a length (chunked), which the
    /// server then enforces while reading (surfacing as a 413 problem through the exception handler).
    /// </summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<RequestLimitOptions>>().Value;
        app.Use(async (context, next) =>
        {
            // Metadata with a null size means "no limit" (DisableRequestSizeLimit); no metadata means the default.
            var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
            var limit = metadata is null ? options.MaxRequestBodyBytes : metadata.MaxRequestBodySize;
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (limit is { } max && context.Request.ContentLength > max)
            {
                await RefuseAsync(context, feature, max, options.MaxRefusedBodyDrainBytes);
                return;
            }

            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>
    /// Answers 413 after reading the refused body to its end. Answering at once was not enough: the server then drains the
    /// rest itself, meets its own limit half-way, and resets the connection while the client (the edge) is still sending;
    /// the client never reads the 413 and the edge answered 503. A body beyond what is worth draining closes the connection
    /// after the answer instead.
    /// </summary>
    private static async Task RefuseAsync(HttpContext context, IHttpMaxRequestBodySizeFeature? feature, long limit, long drainLimit)
    {
        if (context.Request.ContentLength <= drainLimit && feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = null;
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
        }
        else
        {
            context.Response.Headers.Connection = "close";
        }

        await ApiProblems.PayloadTooLarge(limit).ExecuteAsync(context);
    }
}
