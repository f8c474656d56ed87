using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Authentication;

namespace Mep.ServiceDefaults.Auth;

public static class AuthenticationSetup
{
    private const string SelectorScheme = "StaffOrSchool";

    /// <summary>
    /// Staff JWTs and school API keys side by side: a request with X-Api-Key is judged as a school key,
    /// anything else as a bearer token; challenges and forbids answer with problem details of the same scheme.
    /// </summary>
    public static WebApplicationBuilder AddPlatformAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services
            .AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "Staff token or school API key", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(SchoolApiKeyHandler.HeaderName) ? SchoolApiKeyHandler.SchemeName : StaffTokens.SelectScheme(context))
            .AddStaffTokens()
            .AddScheme<AuthenticationSchemeOptions, SchoolApiKeyHandler>(SchoolApiKeyHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.Configure<Microsoft.AspNetCore.Authorization.AuthorizationOptions>(PlatformPolicies.AddRolePolicies);
        return builder;
    }
}
