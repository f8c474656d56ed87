using Mep.Identity.Connect;
using Mep.Identity.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mep.Identity.Hosting;

/// <summary>
/// OpenIddict's server: the authorization code flow with PKCE and refresh tokens (rolling), JWT access tokens that are signed
/// (RS256) but not encrypted, so the services read them with their own JwtBearer. What depends on configuration (issuer, keys,
/// HTTP in development) is read when the options are first needed, since test hosts supply configuration late.
/// </summary>
public static class ProviderSetup
{
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(10);

    public static WebApplicationBuilder AddOpenIdConnectProvider(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProviderOptions>().BindConfiguration(ProviderOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProviderOptions>, ProviderOptionsValidation>();
        builder.Services.AddSingleton(services => ProviderKeys.From(services.GetRequiredService<IOptions<ProviderOptions>>().Value));

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(ConnectEndpoints.Authorize)
                    .SetTokenEndpointUris(ConnectEndpoints.Token)
                    .SetUserInfoEndpointUris(ConnectEndpoints.UserInfo)
                    .SetEndSessionEndpointUris(ConnectEndpoints.EndSession);
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                server.RequireProofKeyForCodeExchange();
                // S256 only: a "plain" challenge is the verifier itself, readable wherever the authorization request was seen.
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                server.RegisterClaims(Claims.Name, Claims.Email, Claims.Role, TokenClaims.SchoolId);
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess);
                server.DisableAccessTokenEncryption();
                server.SetAccessTokenLifetime(AccessTokenLifetime);
                server.SetRefreshTokenLifetime(RefreshTokenLifetime);
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();
            });

        builder.Services.AddOptions<OpenIddictServerOptions>().Configure<ProviderKeys, IConfiguration>((server, keys, configuration) =>
        {
            // Never derived from a request: the edge sends "Host: identity".
            server.Issuer = Issuer.From(configuration);
            server.SigningCredentials.Add(new SigningCredentials(keys.Signing, SecurityAlgorithms.RsaSha256));
            server.EncryptionCredentials.Add(new EncryptingCredentials(keys.Encryption, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });
        builder.Services.AddOptions<OpenIddictServerAspNetCoreOptions>().Configure<IConfiguration>((aspNetCore, configuration) =>
            // Plain HTTP only where the issuer itself is HTTP: ./mep up on localhost.
            aspNetCore.DisableTransportSecurityRequirement = Issuer.From(configuration)?.Scheme == Uri.UriSchemeHttp);
        return builder;
    }
}
