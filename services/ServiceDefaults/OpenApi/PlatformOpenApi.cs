using System.Globalization;
using System.Text;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Mep.ServiceDefaults.OpenApi;

public static class PlatformOpenApi
{
    public static IServiceCollection AddPlatformOpenApi(this IServiceCollection services, ServiceDescription service)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = service.Title,
                Version = "v1",
                Description = service.Description + "\n\n" + DescribeAuthAndProblems(),
            });
            options.AddSecurityDefinition(StaffTokens.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Staff token with role planner, agent, specialist, vendor, finance or admin (`./mep token --role R` locally).",
            });
            options.AddSecurityDefinition(SchoolApiKeyHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = SchoolApiKeyHandler.HeaderName,
                Description = "A school's API key (mep_sk_...): acts as role `school` for exactly that school.",
            });
            options.OperationFilter<AuthAndProblemResponsesFilter>();
            options.SupportNonNullableReferenceTypes();
            options.CustomSchemaIds(SchemaId);
            var xml = Path.Combine(AppContext.BaseDirectory, $"{System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name}.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }
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

    /// <summary>Readable, valid component names: "Schools.Schools.SchoolResponse", "PageOfSchoolResponse".</summary>
    private static string SchemaId(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}Of{string.Join("And", type.GetGenericArguments().Select(t => SchemaId(t).Split('.')[^1]))}"
        : type.FullName!.Replace('+', '.').Replace("Mep.", string.Empty, StringComparison.Ordinal);

    private static string DescribeAuthAndProblems()
    {
        var text = new StringBuilder();
        text.AppendLine("**Authentication**: staff send `Authorization: Bearer <JWT>`; a school's software sends `X-Api-Key: mep_sk_...`.");
        text.AppendLine("A school key sees only its own school: another school's resources answer 404, never 403.");
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

    /// <summary>Adds the security requirement and the 401/403/500 problem responses every protected operation can give.</summary>
    private sealed class AuthAndProblemResponsesFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= [];
            AddProblem(operation, context, "500", "Unexpected error (problem details with traceId).");
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                return;
            }

            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(StaffTokens.SchemeName, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchoolApiKeyHandler.SchemeName, context.Document)] = [] },
            ];
            var roles = metadata.OfType<IAuthorizeData>().Select(data => data.Policy ?? data.Roles).Where(p => p is not null).Distinct().ToList();
            if (roles.Count > 0)
            {
                operation.Description = $"{operation.Description}\n\nAllowed: {string.Join(", ", roles)}.".Trim();
            }

            AddProblem(operation, context, "401", "No credentials, or an expired, badly signed, unknown or revoked token or key.");
            AddProblem(operation, context, "403", "The caller's role may not do this.");
        }

        private static void AddProblem(OpenApiOperation operation, OperationFilterContext context, string status, string description)
        {
            if (operation.Responses!.ContainsKey(status))
            {
                return;
            }

            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
                },
            };
        }
    }
}
