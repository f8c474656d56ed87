namespace Mep.Exports;

public static class ExportEndpoints
{
    /// <summary>
    /// Maps an export once per format, at <paramref name="pattern"/> with <c>{format}</c> replaced by the format's extension
    /// (<c>/reports/schools.{format}</c> answers at <c>/reports/schools.csv</c> and <c>/reports/schools.xlsx</c>), so that a browser
    /// or Excel's "From Web" gets the file by its address. Each route is an operation of its own, named <paramref name="name"/> with
    /// the format (<c>SchoolsReportCsv</c>), answering 200 with its media type. The handler answers an <see cref="ExportDocument"/>,
    /// which writes the route's format. What is set on the returned builder (roles, tags) applies to every format.
    /// </summary>
    public static IEndpointConventionBuilder MapExport(this IEndpointRouteBuilder routes, string pattern, Delegate handler, string name, string summary)
    {
        if (!pattern.Contains("{format}", StringComparison.Ordinal))
        {
            throw new ArgumentException("The pattern names where the format's extension goes: {format}.", nameof(pattern));
        }

        return new ExportRoutes([.. Enum.GetValues<ExportFormat>().Select(format =>
            routes.MapGet(pattern.Replace("{format}", format.Extension(), StringComparison.Ordinal), handler)
                .WithName(name + format)
                .WithSummary($"{summary} {Describe(format)}")
                .WithMetadata(new ExportFormatMetadata(format))
                .Produces(StatusCodes.Status200OK, contentType: format.MediaType()))]);
    }

    private static string Describe(ExportFormat format) => format == ExportFormat.Csv
        ? "CSV for German Excel: UTF-8 with byte-order mark, semicolons, decimal commas, days as dd.MM.yyyy, German headers and values; "
            + "text that starts like a formula (= + - @, tab, CR) begins with an apostrophe. An attachment with a German file name."
        : "Excel workbook: amounts, counts and days as number and date cells, German headers in a frozen row with filters. An attachment "
            + "with a German file name.";

    /// <summary>The routes of one export, which take every convention together.</summary>
    private sealed class ExportRoutes(IReadOnlyList<RouteHandlerBuilder> routes) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var route in routes)
            {
                route.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var route in routes)
            {
                route.Finally(finallyConvention);
            }
        }
    }
}
