using System.Globalization;
using System.Text;

namespace Mep.Console.ServiceDesk;

/// <summary>The service desk's addresses: the queue's filters live in its URL (a GET form), so a view can be shared as a link.</summary>
public static class ServiceDeskUrls
{
    public const string Queue = "/servicedesk";
    public const string New = "/servicedesk/neu";

    public static string Ticket(long number) => $"/servicedesk/tickets/{number.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A path with the query parameters that have a value, escaped.</summary>
    public static string With(string path, params (string Name, string? Value)[] parameters)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in parameters.Where(p => !string.IsNullOrEmpty(p.Value)))
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value!));
        }

        return path + query;
    }

    /// <summary>An API path with its query, likewise.</summary>
    public static string Api(string path, params (string Name, string? Value)[] parameters) => With(path, parameters);
}
