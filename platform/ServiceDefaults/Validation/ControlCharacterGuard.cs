using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Validation;

/// <summary>What a request's path and query may carry, for every route of a service (the OData feeds included), before any handler or database sees it.</summary>
public static class ControlCharacterGuard
{
    /// <summary>
    /// Refuses a control character (NUL, line breaks, escape, ...) in the path or in a query name or value with a 400 that names
    /// the route or query parameter. No identifier, filter or search term has one; PostgreSQL cannot even store a NUL (22021),
    /// and a value that is refused here never reaches a query. Bodies are checked by <see cref="StrictJson"/>.
    /// </summary>
    public static WebApplication UseControlCharacterGuard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (ControlCharacterIn(context.Request) is { } field)
            {
                await ApiProblems.Validation(new Dictionary<string, string[]>
                {
                    [field] = ["Control characters (NUL, line breaks, tabs, ...) are not allowed in the path or query."],
                }).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    private static string? ControlCharacterIn(HttpRequest request)
    {
        foreach (var (name, values) in request.Query)
        {
            if (name.Any(char.IsControl) || values.Any(value => value is not null && value.Any(char.IsControl)))
            {
                return Printable(name);
            }
        }

        if (request.Path.Value is { } path && path.Any(char.IsControl))
        {
            // The route parameter that holds it, when the route matched at all (a NUL in a guid segment does not).
            return request.RouteValues.FirstOrDefault(pair => pair.Value is string text && text.Any(char.IsControl)).Key ?? "path";
        }

        return null;
    }

    private static string Printable(string name) => new([.. name.Select(c => char.IsControl(c) ? '?' : c)]);
}
