using Mep.Identity.Clients;
using Mep.Identity.Connect;
using Mep.Identity.Data;
using Mep.Identity.Hosting;
using Mep.Identity.SignIn;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Health;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Logging;

// The local OpenID Connect provider of ./mep up: demo people sign in here and the console gets their tokens. In production the
// city's own provider takes its place, and this one is not deployed.
var builder = WebApplication.CreateBuilder(args);

builder.AddStructuredLogging();
// OpenIddict logs whole requests and answers at Information (codes, tokens, addresses): only its warnings and errors.
builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);
builder.Services.AddApiProblemDetails();
builder.Services.AddPlatformHealthChecks();
builder.AddIdentityDatabase();
builder.AddOpenIdConnectProvider();
builder.AddSignIn();
builder.Services.AddAuthorization();
builder.Services.AddHostedService<ClientRegistration>();

var app = builder.Build();

app.UsePublicAddress();
// The edge passes /identity/... on as it is; links, cookies and OpenIddict's endpoints all live under it.
app.UsePathBase(Issuer.PathBase);
app.UseRouting();
app.UseRequestIdAndLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseAuthentication();
app.UseAuthorization();
app.MapPlatformHealthChecks();
app.MapSignIn();
app.MapConnect();

app.Run();

/// <summary>Entry point; public so that tests can host the identity provider.</summary>
public partial class Program;
