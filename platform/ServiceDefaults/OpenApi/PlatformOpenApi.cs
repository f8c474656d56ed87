using System.Globalization;
using System.Text;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Mep.ServiceDefaults.OpenApi;

/// <summary>
/// Each service's OpenAPI 3.0 document, written to be a contract a generated client can trust: fields carry the limits the
/// validation holds them to (<see cref="DeclaredLimitsSchemaFilter"/>), operations the answers their code can give
/// (<see cref="ContractOperationFilter"/>), the roles that may call them and the headers they read and write; the document filter
/// (<see cref="ContractDocumentFilter"/>) adds what spans the document. tests/openapi-lint lints it with the OWASP ruleset.
/// </summary>
public static class PlatformOpenApi
{
    public static IServiceCollection AddPlatformOpenApi(this IServiceCollection services, ServiceDescription service)
    {
        services.AddEndpointsApiExplorer();
        services.AddOptions<SwaggerGenOptions>().Configure<IEnumerable<SelfDescribedEndpoints>>((options, selfDescribed) =>
            options.SwaggerGeneratorOptions.DocInclusionPredicate = (document, api) => (api.GroupName is null || api.GroupName == document)
                && !SelfDescribedEndpoints.Include(selfDescribed, api.ActionDescriptor.EndpointMetadata));
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = service.Title,
                Version = "v1",
                Description = service.Description + "\n\n" + DescribeAuthAndProblems(service),
            });
            options.AddSecurityDefinition(StaffTokens.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A staff token (a JWS) with role planner, agent, specialist, vendor, finance or admin (`./mep token --role R` "
                    + "locally). Validated as RFC8725 (JSON Web Token Best Current Practices) asks: only the expected signature algorithms "
                    + "(HS256 with the local key; RS256/384/512, PS256/384/512 or ES256/384/512 with the identity provider's published keys), "
                    + "never `none`; issuer, audience and expiry always checked; claims mapped to the platform's roles only.",
            });
            options.AddSecurityDefinition(SchoolApiKeyHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = SchoolApiKeyHandler.HeaderName,
                Description = "A school's API key (mep_sk_...): acts as role `school` for exactly that school.",
            });
            options.AddSecurityDefinition(DashboardSessionScheme.Name, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = DashboardSessionScheme.CookieName,
                Description = "The jobs dashboard's session cookie, issued by `POST .../jobs/session` to an admin (HttpOnly, SameSite=Strict).",
            });
            options.SchemaFilter<DeclaredLimitsSchemaFilter>();
            options.OperationFilter<ContractOperationFilter>();
            options.DocumentFilter<ContractDocumentFilter>();
            options.SupportNonNullableReferenceTypes();
            options.CustomSchemaIds(SchemaId);
            var xml = Path.Combine(AppContext.BaseDirectory, $"{System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name}.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }
        });

        // The document describes the JSON the endpoints read and write, so it is generated with their serializer options (enums as
        // names, camelCase), not MVC's, which only the OData feed's controllers use. The check on every text's characters is a
        // converter for strings, which the generator would take for an unknown shape: it is left out.
        services.AddTransient<ISerializerDataContractResolver>(provider =>
        {
            var options = new System.Text.Json.JsonSerializerOptions(
                provider.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
            foreach (var textConverter in options.Converters.OfType<System.Text.Json.Serialization.JsonConverter<string>>().ToList())
            {
                options.Converters.Remove(textConverter);
            }

            return new JsonSerializerDataContractResolver(options);
        });
        return services;
    }

    /// <summary>The OpenAPI document at /swagger/v1/swagger.json, readable without credentials.</summary>
    public static WebApplication MapPlatformOpenApi(this WebApplication app)
    {
        app.MapSwagger("/swagger/{documentName}/swagger.json").AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Swagger UI at /swagger, ahead of authorization (it is static pages). It loads the document by a
    /// relative URL, so it also works behind the edge under /swagger/&lt;service&gt;/.
    /// </summary>
    public static WebApplication UsePlatformSwaggerUi(this WebApplication app)
    {
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("v1/swagger.json", app.Services.GetRequiredService<ServiceDescription>().Title);
            options.RoutePrefix = "swagger";
        });
        return app;
    }

    /// <summary>Readable, valid component names: "Schools.Register.SchoolResponse", "PageOfSchoolResponse".</summary>
    private static string SchemaId(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}Of{string.Join("And", type.GetGenericArguments().Select(t => SchemaId(t).Split('.')[^1]))}"
        : type.FullName!.Replace('+', '.').Replace("Mep.", string.Empty, StringComparison.Ordinal);

    private static string DescribeAuthAndProblems(ServiceDescription service)
    {
        var text = new StringBuilder();
        text.AppendLine("**Authentication**: staff send `Authorization: Bearer <JWT>`; a school's software sends `X-Api-Key: mep_sk_...`.");
        text.AppendLine("A school key sees only its own school: another school's resources answer 404, never 403.");
        text.AppendLine("Each operation names the roles that may call it (`x-roles`, and in its description): planner, agent, specialist, vendor, "
            + "finance and admin come in staff tokens, `school` only from a school key.");
        text.AppendLine();
        text.AppendLine("**Rate limits**: requests per minute per caller (a staff member, a school key). Every answer to an "
            + "identified caller says how many are left (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`); beyond the limit the answer is 429 "
            + "with `Retry-After`. Refused credentials count against the client's own budget.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"**OData**: a read-only OData v4 feed for spreadsheets and reports is served at `{service.PathPrefix}/odata`; its own contract is its `$metadata` (CSDL).");
        text.AppendLine();
        text.AppendLine("**Errors** are RFC 9457 problem details (`application/problem+json`) with one of these stable `type`s:");
        text.AppendLine();
        text.AppendLine("| type | status | meaning |");
        text.AppendLine("|---|---|---|");
        foreach (var (type, status, meaning) in ProblemTypes.All)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{type}` | {status} | {meaning} |");
        }

        return text.ToString();
    }
}
