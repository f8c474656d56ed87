using System.Text.Json.Nodes;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Hosting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Mep.ServiceDefaults.OpenApi;

/// <summary>
/// What spans the document: the problem document's schema (every error answer is one), the headers answers carry, and what the
/// JSON reader and writer make true of every schema. A schema a request body uses refuses fields it does not list
/// (<c>additionalProperties: false</c>: the reader refuses unknown fields); a schema only answers use lists every field as required
/// (the writer always writes every field, null where there is no value).
/// </summary>
internal sealed class ContractDocumentFilter : IDocumentFilter
{
    public const string ProblemSchema = "Problem";
    public const string ValidationProblemSchema = "ValidationProblem";
    public const string RetryAfterHeader = "Retry-After";
    public const string ETagHeader = "ETag";
    public static readonly string[] RateLimitHeaders = [RateLimits.LimitHeader, RateLimits.RemainingHeader, RateLimits.ResetHeader];

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        AddProblemSchemas(document.Components.Schemas);
        AddHeaders(document.Components.Headers);

        RemoveUnreferencedSchemas(document);
        var requestSchemas = Reachable(document, RequestSchemaRoots(document));
        foreach (var (name, schema) in document.Components.Schemas)
        {
            if (schema is not OpenApiSchema { Properties.Count: > 0 } objectSchema || name is ProblemSchema or ValidationProblemSchema)
            {
                continue;
            }

            if (requestSchemas.Contains(name))
            {
                objectSchema.AdditionalPropertiesAllowed = false;
            }
            else
            {
                objectSchema.Required = new HashSet<string>(objectSchema.Properties!.Keys, StringComparer.Ordinal);
            }
        }
    }

    private static void AddProblemSchemas(IDictionary<string, IOpenApiSchema> schemas)
    {
        OpenApiSchema Problem(bool withErrors)
        {
            var properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The kind of problem, stable: branch on it (see the table in the document's description).",
                    Enum = [.. ProblemTypes.All.Select(problem => (JsonNode)JsonValue.Create(problem.Type))],
                },
                ["title"] = Text(ProblemLimits.MaxTitleLength, "A short summary of the kind of problem."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
                ["detail"] = Text(ProblemLimits.MaxDetailLength, "What went wrong with this request, for a person."),
                ["instance"] = Text(ProblemLimits.MaxInstanceLength, "The request's path."),
                ["traceId"] = Text(ProblemLimits.MaxTraceIdLength, "Quote it when reporting the problem: operators find the request's logs by it."),
                ["rule"] = Text(ProblemLimits.MaxRuleLength, "For a refused domain rule (422) or state conflict (409): the rule's stable name."),
            };
            if (withErrors)
            {
                properties["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Per field (its JSON path, or the query or header name) what is wrong with it.",
                    AdditionalProperties = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        MaxItems = ProblemLimits.MaxMessagesPerField,
                        Items = Text(ProblemLimits.MaxMessageLength, null),
                    },
                };
            }

            return new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "An RFC 9457 problem document; further members may appear for some types (e.g. `rows` for a rejected batch).",
                Required = new HashSet<string>(["type", "title", "status", "traceId"], StringComparer.Ordinal),
                Properties = properties,
            };
        }

        schemas[ProblemSchema] = Problem(withErrors: false);
        schemas[ValidationProblemSchema] = Problem(withErrors: true);
    }

    private static OpenApiSchema Text(int maxLength, string? description) =>
        new() { Type = JsonSchemaType.String, MaxLength = maxLength, Description = description };

    private static void AddHeaders(IDictionary<string, IOpenApiHeader> headers)
    {
        OpenApiHeader Seconds(string description, int minimum, int maximum) => new()
        {
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = $"{minimum}", Maximum = $"{maximum}" },
        };

        const string Identified = " Sent on answers to an identified caller (staff token or school key); answers to refused credentials carry "
            + "the client's budget of refused attempts instead.";
        headers[RateLimits.LimitHeader] = Seconds("The requests the caller may send in the current one-minute window." + Identified, 1, int.MaxValue);
        headers[RateLimits.RemainingHeader] = Seconds("The requests the caller has left in the current window." + Identified, 0, int.MaxValue);
        headers[RateLimits.ResetHeader] = Seconds("Seconds until the current window ends and the full limit is back." + Identified, 0, 60);
        headers[RetryAfterHeader] = Seconds("Seconds to wait before retrying.", 1, 60);
        headers[ETagHeader] = new OpenApiHeader
        {
            Description = "The resource's version; send it back in If-Match to change the resource only if nobody else has.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 12, Pattern = "^\"[0-9]{1,10}\"$" },
        };
    }

    /// <summary>The component schemas request bodies and parameters refer to, directly.</summary>
    private static IEnumerable<IOpenApiSchema> RequestSchemaRoots(OpenApiDocument document) =>
        Operations(document).SelectMany(operation =>
            (operation.RequestBody?.Content?.Values.Select(media => media.Schema) ?? [])
            .Concat(operation.Parameters?.Select(parameter => parameter.Schema) ?? []))
        .OfType<IOpenApiSchema>();

    private static IEnumerable<OpenApiOperation> Operations(OpenApiDocument document) =>
        document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []);

    /// <summary>Every component schema reachable from <paramref name="roots"/> through references, properties, items and compositions.</summary>
    private static HashSet<string> Reachable(OpenApiDocument document, IEnumerable<IOpenApiSchema> roots)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(roots);
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                if (names.Add(id) && document.Components!.Schemas!.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            foreach (var inner in Children(schema))
            {
                pending.Push(inner);
            }
        }

        return names;
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        (schema.Properties?.Values ?? [])
            .Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? [])
            .Append(schema.Items).Append(schema.AdditionalProperties).Append(schema.Not)
            .OfType<IOpenApiSchema>();

    /// <summary>Drops component schemas nothing refers to any more (the framework's problem types, once answers use <see cref="ProblemSchema"/>).</summary>
    private static void RemoveUnreferencedSchemas(OpenApiDocument document)
    {
        var roots = Operations(document).SelectMany(operation =>
                (operation.RequestBody?.Content?.Values.Select(media => media.Schema) ?? [])
                .Concat(operation.Parameters?.Select(parameter => parameter.Schema) ?? [])
                .Concat(operation.Responses?.Values.SelectMany(response =>
                    (response.Content?.Values.Select(media => media.Schema) ?? [])
                    .Concat(response.Headers?.Values.Select(header => header.Schema) ?? [])) ?? []))
            .OfType<IOpenApiSchema>();
        var used = Reachable(document, roots);
        foreach (var name in document.Components!.Schemas!.Keys.Where(name => !used.Contains(name)).ToList())
        {
            document.Components.Schemas.Remove(name);
        }
    }
}
