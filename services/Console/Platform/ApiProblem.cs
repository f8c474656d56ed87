using System.Text.Json;

namespace Mep.Console.Platform;

/// <summary>An RFC 9457 problem an API answered, as the console shows it to a person.</summary>
public sealed record ApiProblem(string Type, string Title, int Status, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static readonly ApiProblem Unreachable = new("urn:mep:problem:unavailable", "Dienst nicht erreichbar", 503,
        "Der Dienst antwortet gerade nicht. Bitte versuchen Sie es in einem Moment erneut.", Empty);

    public static readonly ApiProblem Unreadable = new("urn:mep:problem:unreadable", "Antwort nicht lesbar", 502,
        "Die Antwort des Dienstes konnte nicht gelesen werden.", Empty);

    private static IReadOnlyDictionary<string, string[]> Empty => new Dictionary<string, string[]>(StringComparer.Ordinal);

    /// <summary>What a person reads first: the German summary by status; the API's own detail (English) follows it.</summary>
    public string Summary => Status switch
    {
        400 or 422 => "Die Eingaben passen nicht.",
        401 => "Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich neu an.",
        403 => "Dazu fehlt Ihnen die Berechtigung.",
        404 => "Nicht gefunden.",
        409 => "Das geht im jetzigen Zustand nicht.",
        412 => "Jemand anderes hat das inzwischen geändert. Bitte laden Sie die Seite neu.",
        413 => "Die Anfrage ist zu groß.",
        429 => "Zu viele Anfragen. Bitte warten Sie einen Moment.",
        _ => Title,
    };

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<ProblemBody>(PlatformApi.Json, cancellationToken);
            return new ApiProblem(body?.Type ?? "about:blank", body?.Title ?? response.ReasonPhrase ?? "Fehler", status, body?.Detail,
                body?.Errors ?? Empty);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not a problem document (e.g. the edge's own page): the status still says what happened.
            return new ApiProblem("about:blank", response.ReasonPhrase ?? "Fehler", status, null, Empty);
        }
    }

    private sealed record ProblemBody(string? Type, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
