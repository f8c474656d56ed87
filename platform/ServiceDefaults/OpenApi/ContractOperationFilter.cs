using System.Text.Json.Nodes;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Mep.ServiceDefaults.OpenApi;

/// <summary>
/// One operation as a caller meets it: who may call it (roles, and the security schemes that carry them), which answers it can
/// give and with what headers. The answers are those every operation shares (400 for a field or query the service refuses, 500,
/// 503 while a dependency is away), those of protected operations (401, 403 for other roles, 429 over the rate limit), of bodies
/// (413, 415), and the ones the handler's own code makes (<see cref="HandlerAnswers"/>: 404, 409, 412, 422, 428, ...).
/// </summary>
internal sealed class ContractOperationFilter(IOptions<AuthorizationOptions> authorization, IOptions<RequestLimitOptions> limits) : IOperationFilter
{
    /// <summary>The roles in the order the docs list them.</summary>
    private static readonly string[] AllRoles =
        [PlatformRoles.Planner, PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Vendor, PlatformRoles.Finance, PlatformRoles.Admin, PlatformRoles.School];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var facts = context.MethodInfo is { } handler ? HandlerAnswers.Of(handler) : null;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var roles = anonymous ? [] : AllowedRoles(metadata);
        operation.Responses ??= [];

        var statuses = new SortedSet<int> { 400, 500, 503 };
        statuses.UnionWith(operation.Responses.Keys.Select(int.Parse).Where(status => status >= 400));
        statuses.UnionWith(facts?.Statuses ?? new HashSet<int>());
        var bySession = metadata.OfType<IAuthorizeData>().Any(data => data.AuthenticationSchemes?.Contains(DashboardSessionScheme.Name, StringComparison.Ordinal) == true);
        if (!anonymous)
        {
            // The rate limits count callers with a token or key; a dashboard session (a cookie) is neither.
            statuses.UnionWith(bySession ? [401] : [401, 429]);
            if (roles.Count < AllRoles.Length)
            {
                statuses.Add(403);
            }
        }

        if (operation.RequestBody is OpenApiRequestBody body)
        {
            statuses.UnionWith([413, 415]);
            DescribeBodyLimit(body, metadata);
        }

        DescribeTextAnswers(operation, metadata);
        foreach (var (status, response) in operation.Responses.Where(pair => pair.Key.StartsWith('2')).ToList())
        {
            if (response is OpenApiResponse success)
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                AddRateLimitHeaders(success.Headers, context.Document);
                if (facts?.SetsETag == true)
                {
                    success.Headers[ContractDocumentFilter.ETagHeader] = new OpenApiHeaderReference(ContractDocumentFilter.ETagHeader, context.Document);
                }
            }
        }

        foreach (var status in statuses)
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Problem(status, context.Document);
        }

        // In status order, as a reader scans them.
        var ordered = operation.Responses.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in ordered)
        {
            operation.Responses[status] = response;
        }

        AddRequestHeaders(operation, facts, context.Document);
        DescribeAccess(operation, roles, anonymous, bySession, context.Document);
    }

    /// <summary>
    /// An answer declared by content type alone (a CSV export: <c>.Produces(200, contentType: "text/csv")</c>) is listed with that
    /// media type; the generator leaves a declaration without a body type out.
    /// </summary>
    private static void DescribeTextAnswers(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var declared in metadata.OfType<IProducesResponseTypeMetadata>().Where(d => d.Type is null || d.Type == typeof(void)))
        {
            var status = declared.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (declared.ContentTypes.Any() && operation.Responses!.TryGetValue(status, out var found) && found is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                foreach (var contentType in declared.ContentTypes)
                {
                    response.Content.TryAdd(contentType, new OpenApiMediaType());
                }
            }
        }
    }

    /// <summary>
    /// A body is refused with 413 beyond the endpoint's limit in bytes (its own, or the service's default); a text body (CSV) can
    /// therefore hold no more characters than that.
    /// </summary>
    private void DescribeBodyLimit(OpenApiRequestBody body, IList<object> metadata)
    {
        var limit = metadata.OfType<IRequestSizeLimitMetadata>().LastOrDefault() is { } declared ? declared.MaxRequestBodySize : limits.Value.MaxRequestBodyBytes;
        if (limit is not { } bytes)
        {
            return;
        }

        body.Description = $"{body.Description} At most {bytes:N0} bytes (413 beyond).".Trim();
        foreach (var media in body.Content?.Values ?? [])
        {
            if (media.Schema is OpenApiSchema { Type: JsonSchemaType.String } text)
            {
                text.MaxLength = (int)Math.Min(bytes, int.MaxValue);
            }
        }
    }

    private static OpenApiResponse Problem(int status, OpenApiDocument document)
    {
        var meanings = ProblemTypes.All.Where(problem => problem.Status == status).Select(problem => problem.Meaning).ToList();
        var response = new OpenApiResponse
        {
            Description = meanings.Count > 0 ? string.Join(" Or: ", meanings) : "Unexpected error.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new()
                {
                    Schema = new OpenApiSchemaReference(status == 400 ? ContractDocumentFilter.ValidationProblemSchema : ContractDocumentFilter.ProblemSchema, document),
                },
            },
            Headers = new Dictionary<string, IOpenApiHeader>(),
        };
        if (status is >= 400 and < 500)
        {
            AddRateLimitHeaders(response.Headers, document);
        }

        if (status is 429 or 503)
        {
            response.Headers[ContractDocumentFilter.RetryAfterHeader] = new OpenApiHeaderReference(ContractDocumentFilter.RetryAfterHeader, document);
        }

        return response;
    }

    private static void AddRateLimitHeaders(IDictionary<string, IOpenApiHeader> headers, OpenApiDocument document)
    {
        foreach (var name in ContractDocumentFilter.RateLimitHeaders)
        {
            headers[name] = new OpenApiHeaderReference(name, document);
        }
    }

    private static void AddRequestHeaders(OpenApiOperation operation, HandlerFacts? facts, OpenApiDocument document)
    {
        operation.Parameters ??= [];

        // Query names as callers write them (and as the unknown-parameter check names them): camelCase, like the JSON fields.
        foreach (var query in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query && p.Name is { Length: > 0 }))
        {
            query.Name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(query.Name!);
        }

        if (facts?.ReadsIfMatch == true)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = facts.RequiresIfMatch,
                Description = facts.RequiresIfMatch
                    ? "The ETag of the version you read: required (428 without it), 412 when someone changed the resource since."
                    : "The ETag of the version you read: 412 when someone changed the resource since. Without it the write is not checked against your read.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 12, Pattern = "^(\\*|\"[0-9]{1,10}\")$" },
            });
        }

        if (facts?.ReadsIdempotencyKey == true)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotentRequests.HeaderName,
                In = ParameterLocation.Header,
                Required = false,
                Description = "A key of your choice (a UUID is a good choice): a retry with the same key and body gets the first answer back, "
                    + "the same key with another body is a 422.",
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotentRequests.MaxKeyLength, Pattern = "^[!-~]+$",
                },
            });
        }
    }

    /// <summary>The roles as the security requirement (a staff token for staff roles, a school key for `school`) and in words.</summary>
    private static void DescribeAccess(OpenApiOperation operation, IReadOnlyList<string> roles, bool anonymous, bool bySession,
        OpenApiDocument document)
    {
        operation.Security = [];
        if (anonymous)
        {
            return;
        }

        if (bySession)
        {
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DashboardSessionScheme.Name, document)] = [] });
        }
        else
        {
            if (roles.Any(PlatformRoles.Staff.Contains))
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(StaffTokens.SchemeName, document)] = [] });
            }

            if (roles.Contains(PlatformRoles.School))
            {
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchoolApiKeyHandler.SchemeName, document)] = [] });
            }
        }

        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-roles"] = new JsonNodeExtension(new JsonArray([.. roles.Select(role => (JsonNode)JsonValue.Create(role))]));
        var who = string.Join(", ", roles.Select(role => role == PlatformRoles.School ? "school (with its key, for itself only)" : role));
        operation.Description = $"{operation.Description}\n\nRoles: {who}.".Trim();
    }

    /// <summary>
    /// The roles every authorization requirement of the endpoint admits: a named policy's role requirement, an [Authorize(Roles)],
    /// a policy object. An endpoint that only asks for an authenticated caller admits every role.
    /// </summary>
    private IReadOnlyList<string> AllowedRoles(IList<object> metadata)
    {
        IEnumerable<string> allowed = AllRoles;
        var requirements = metadata.OfType<AuthorizationPolicy>().SelectMany(policy => policy.Requirements).ToList();
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            if (data.Policy is { } name && authorization.Value.GetPolicy(name) is { } policy)
            {
                requirements.AddRange(policy.Requirements);
            }

            if (data.Roles is { } listed)
            {
                allowed = allowed.Intersect(listed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
            }
        }

        foreach (var requirement in requirements.OfType<RolesAuthorizationRequirement>())
        {
            allowed = allowed.Intersect(requirement.AllowedRoles, StringComparer.Ordinal);
        }

        return [.. allowed];
    }
}
