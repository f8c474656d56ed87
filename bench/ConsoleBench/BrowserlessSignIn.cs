using System.Net;
using System.Text.RegularExpressions;

namespace Mep.Bench.ConsoleQueue;

/// <summary>
/// Signing in to the console as a browser would, over HTTP only: the console sends the person to the identity provider, its login
/// form is filled in and posted, and the provider's answer (a self-posting form or a redirect) brings the code back to the console,
/// which sets its session cookie. The client keeps the cookies, so every later request is the signed-in person's.
/// </summary>
internal static partial class BrowserlessSignIn
{
    public static async Task<HttpClient> SignInAsync(Uri edge, string startPath, string userName, string password)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 20 })
        {
            BaseAddress = edge,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var login = await client.GetAsync(startPath);
        var page = await login.Content.ReadAsStringAsync();
        var form = Form(page, login.RequestMessage!.RequestUri!)
            ?? throw new BenchFailure($"GET {startPath} did not end at a login form ({(int)login.StatusCode} {login.RequestMessage.RequestUri}).");
        form.Fields["username"] = userName;
        form.Fields["password"] = password;
        var answer = await client.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));
        // The provider may answer the authorization with a form that posts itself to the console (response_mode=form_post).
        for (var hop = 0; hop < 3 && Form(await answer.Content.ReadAsStringAsync(), answer.RequestMessage!.RequestUri!) is { } next
            && next.Action.AbsolutePath.EndsWith("/signin-oidc", StringComparison.Ordinal); hop++)
        {
            answer = await client.PostAsync(next.Action, new FormUrlEncodedContent(next.Fields));
        }

        var landed = answer.RequestMessage!.RequestUri!;
        if (answer.StatusCode != HttpStatusCode.OK || landed.AbsolutePath != startPath)
        {
            throw new BenchFailure($"signing in as {userName} ended at {(int)answer.StatusCode} {landed}, not {startPath}.");
        }

        return client;
    }

    private sealed record HtmlForm(Uri Action, Dictionary<string, string> Fields);

    /// <summary>The page's first form that posts: where to, and its fields with their values (hidden ones included).</summary>
    private static HtmlForm? Form(string html, Uri page)
    {
        var form = FormTag().Match(html);
        if (!form.Success)
        {
            return null;
        }

        var action = Attribute(form.Value, "action") is { Length: > 0 } target ? new Uri(page, WebUtility.HtmlDecode(target)) : page;
        var end = html.IndexOf("</form>", form.Index, StringComparison.OrdinalIgnoreCase);
        var body = html[form.Index..(end < 0 ? html.Length : end)];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputTag().Matches(body))
        {
            if (Attribute(input.Value, "name") is { Length: > 0 } name)
            {
                fields[WebUtility.HtmlDecode(name)] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? "");
            }
        }

        return new HtmlForm(action, fields);
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $@"\s{name}\s*=\s*(""(?<v>[^""]*)""|'(?<v>[^']*)')", RegexOptions.IgnoreCase);
        return match.Success ? match.Groups["v"].Value : null;
    }

    [GeneratedRegex(@"<form\b[^>]*\bmethod\s*=\s*[""']?post[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTag();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();
}
