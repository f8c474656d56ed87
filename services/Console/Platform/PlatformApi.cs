using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mep.Console.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Mep.Console.Platform;

/// <summary>
/// The platform's APIs, called through the edge with the signed-in person's access token: whatever the console shows or changes, the
/// API has allowed for this person (role, school scope, vendor groups). Paths are the public ones, e.g. "/api/support/tickets".
/// </summary>
public sealed class PlatformApi(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public Task<ApiAnswer<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, body: null, headers: null, cancellationToken);

    public Task<ApiAnswer<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, headers: null, cancellationToken);

    /// <param name="headers">Extra request headers, e.g. If-Match with the ETag the page was shown with, or an Idempotency-Key.</param>
    public async Task<ApiAnswer<T>> SendAsync<T>(HttpMethod method, string path, object? body, IReadOnlyDictionary<string, string>? headers,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var etag = response.Headers.ETag?.ToString();
            if (!response.IsSuccessStatusCode)
            {
                return ApiAnswer.Failed<T>(await ApiProblem.ReadAsync(response, cancellationToken));
            }

            if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0 || typeof(T) == typeof(NoBody))
            {
                return new ApiAnswer<T>(default, null, response.StatusCode, etag);
            }

            var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
            return new ApiAnswer<T>(value, null, response.StatusCode, etag);
        }
        catch (HttpRequestException)
        {
            return ApiAnswer.Failed<T>(ApiProblem.Unreachable);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiAnswer.Failed<T>(ApiProblem.Unreachable);
        }
        catch (JsonException)
        {
            return ApiAnswer.Failed<T>(ApiProblem.Unreadable);
        }
    }

    /// <summary>A file the API writes (CSV, XLSX), for the console to pass on unchanged; the caller disposes the answer.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(string path, CancellationToken cancellationToken = default) =>
        await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
}

/// <summary>Marks a call whose answer has no body the page needs.</summary>
public sealed record NoBody;

/// <summary>An API's answer: the value, or the problem it reported (never both).</summary>
public sealed record ApiAnswer<T>(T? Value, ApiProblem? Problem, HttpStatusCode Status, string? ETag)
{
    public bool Succeeded => Problem is null;
}

public static class ApiAnswer
{
    public static ApiAnswer<T> Failed<T>(ApiProblem problem) => new(default, problem, (HttpStatusCode)problem.Status, null);
}

public static class PlatformApiSetup
{
    public static WebApplicationBuilder AddPlatformApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<PersonsTokenHandler>();
        builder.Services.AddHttpClient<PlatformApi>((services, client) =>
        {
            var settings = services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
            client.BaseAddress = settings.ApiBaseAddress ?? throw new InvalidOperationException("Console:ApiBaseAddress is not configured (the edge, e.g. http://localhost:8080).");
            client.Timeout = TimeSpan.FromSeconds(30);
        })
            // One pooled handler serves every person: a cookie some answer set must never ride along on someone else's call.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
            .AddHttpMessageHandler<PersonsTokenHandler>();
        return builder;
    }
}

/// <summary>Puts the signed-in person's access token on every API call (and nothing when no one is signed in).</summary>
public sealed class PersonsTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } context && await context.GetTokenAsync(ConsoleSignIn.CookieScheme, "access_token") is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
