namespace Mep.Console;

/// <summary>The console's pages that its plumbing names (sign-in, errors); each area's pages name their own routes.</summary>
public static class ConsolePages
{
    public const string Home = "/";
    public const string AccessDenied = "/kein-zugriff";
    public const string SignedOut = "/abgemeldet";
    public const string Error = "/fehler";
    public const string StatusCode = "/status";
}
