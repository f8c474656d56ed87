namespace Mep.ServiceDefaults.Http;

/// <summary>A JSON answer sent exactly as it is stored with an Idempotency-Key, so that a retry gets it byte for byte.</summary>
public sealed class JsonAnswer(int status, string body, string? location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        if (location is not null)
        {
            httpContext.Response.Headers.Location = location;
        }

        return httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
    }
}
