using Microsoft.OData;
using Microsoft.OData.Edm;

namespace Mep.ServiceDefaults.OData;

/// <summary>
/// Writes feed responses with Microsoft.OData.Core's message writer: the service document, $metadata (CSDL XML) and JSON
/// payloads with @odata.context, @odata.count and @odata.nextLink. A page is at most the page size, so it is written to
/// memory first and then sent; the writer's headers (Content-Type, OData-Version) go with it.
/// </summary>
internal static class FeedWriter
{
    public static Task ServiceDocumentAsync(HttpContext context, FeedModel model, Uri serviceRoot, string format) =>
        WriteAsync(context, model, serviceRoot, format, null, writer => writer.WriteServiceDocument(model.Edm.GenerateServiceDocument()));

    public static Task MetadataAsync(HttpContext context, FeedModel model, Uri serviceRoot) =>
        WriteAsync(context, model, serviceRoot, null, null, writer => writer.WriteMetadataDocument());

    public static Task ResourceSetAsync(HttpContext context, FeedModel model, Uri serviceRoot, string format, FeedQuery query, FeedResult result,
        Uri? nextLink) =>
        WriteAsync(context, model, serviceRoot, format, query, writer =>
        {
            var set = writer.CreateODataResourceSetWriter(query.Set.EdmSet, query.Set.Type.Edm);
            set.WriteStart(new ODataResourceSet { Count = result.Count, NextPageLink = nextLink });
            foreach (var row in result.Rows)
            {
                Resource(set, query.Set.Type, row, query.Selection.Properties, query.Selection.Expansions);
            }

            set.WriteEnd();
        });

    public static Task ResourceAsync(HttpContext context, FeedModel model, Uri serviceRoot, string format, FeedQuery query, object row) =>
        WriteAsync(context, model, serviceRoot, format, query, writer =>
        {
            var resource = writer.CreateODataResourceWriter(query.Set.EdmSet, query.Set.Type.Edm);
            Resource(resource, query.Set.Type, row, query.Selection.Properties, query.Selection.Expansions);
        });

    private static void Resource(ODataWriter writer, FeedType type, object row, IReadOnlyList<FeedProperty> properties, IReadOnlyList<FeedExpansion> expansions)
    {
        writer.WriteStart(new ODataResource
        {
            TypeName = type.Edm.FullName(),
            Properties = properties.Select(p => new ODataProperty { Name = p.Name, Value = EdmValues.ToPayload(p.Get(row), p.Edm.Type) }).ToList(),
        });
        foreach (var (navigation, nested) in expansions)
        {
            writer.WriteStart(new ODataNestedResourceInfo { Name = navigation.Name, IsCollection = navigation.IsCollection });
            var value = navigation.Get(row);
            if (navigation.IsCollection)
            {
                writer.WriteStart(new ODataResourceSet());
                foreach (var item in (System.Collections.IEnumerable?)value ?? Array.Empty<object>())
                {
                    Resource(writer, navigation.Target, item, nested, []);
                }

                writer.WriteEnd();
            }
            else if (value is null)
            {
                writer.WriteStart((ODataResource?)null);
                writer.WriteEnd();
            }
            else
            {
                Resource(writer, navigation.Target, value, nested, []);
            }

            writer.WriteEnd();
        }

        writer.WriteEnd();
    }

    /// <param name="format">The JSON media type chosen from $format or Accept; null for $metadata (CSDL XML).</param>
    private static async Task WriteAsync(HttpContext context, FeedModel model, Uri serviceRoot, string? format, FeedQuery? query,
        Action<ODataMessageWriter> write)
    {
        var settings = new ODataMessageWriterSettings
        {
            BaseUri = serviceRoot,
            Version = ODataVersion.V4,
            EnableMessageStreamDisposal = false,
            ODataUri = new ODataUri { ServiceRoot = serviceRoot, Path = query?.Path, SelectAndExpand = query?.SelectExpand },
        };
        if (format is null)
        {
            settings.SetContentType(ODataFormat.Metadata);
        }
        else
        {
            settings.SetContentType(format, "utf-8");
        }

        using var buffer = new MemoryStream();
        var message = new ResponseMessage(buffer);
        using (var writer = new ODataMessageWriter(message, settings, model.Edm))
        {
            write(writer);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        foreach (var (name, value) in message.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>The response as Microsoft.OData.Core sees it: headers it sets and the stream it writes to.</summary>
    private sealed class ResponseMessage(Stream body) : IODataResponseMessage
    {
        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        IEnumerable<KeyValuePair<string, string>> IODataResponseMessage.Headers => Headers;

        public int StatusCode { get; set; } = StatusCodes.Status200OK;

        public string? GetHeader(string headerName) => Headers.GetValueOrDefault(headerName);

        public void SetHeader(string headerName, string headerValue) => Headers[headerName] = headerValue;

        public Stream GetStream() => body;
    }
}
