using Mep.Console;
using Mep.Console.Admin;
using Mep.Console.Finance;
using Mep.Console.Layout;
using Mep.Console.Platform;
using Mep.Console.SignIn;
using Mep.ServiceDefaults.Health;
using Mep.ServiceDefaults.Hosting;
using Mep.ServiceDefaults.Logging;

var builder = WebApplication.CreateBuilder(args);

builder.AddStructuredLogging();
builder.AddConsoleSignIn();
builder.AddPlatformApi();
builder.Services.AddPlatformHealthChecks();
builder.Services.AddRazorComponents();

var app = builder.Build();

app.UsePublicAddress();
app.UseRequestIdAndLogging();
app.UseExceptionHandler(ConsolePages.Error, createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute(ConsolePages.StatusCode, "?code={0}", createScopeForStatusCodePages: true);
app.UseConsoleSecurityHeaders();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapPlatformHealthChecks();
app.MapSignInEndpoints();
app.MapFinanceDownloads();
app.MapAdminEndpoints();
app.MapRazorComponents<App>();

app.Run();

/// <summary>Entry point; public so that tests can host the console.</summary>
public partial class Program;
