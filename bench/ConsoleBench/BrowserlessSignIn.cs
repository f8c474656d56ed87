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
        // Cookies kept by the bench itself: the console's correlation and nonce cookies are marked Secure, which .NET's own cookie
        // container never sends over plain http (a browser on 127.0.0.1 does); the edge is one site, so every cookie goes with every request.
        var jar = new CookieJar();
        var client = new HttpClient(new JarHandler(jar) { InnerHandler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false } })
        {
            BaseAddress = edge,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var (login, loginUri) = await FollowAsync(client, new HttpRequestMessage(HttpMethod.Get, startPath));
        var page = await login.Content.ReadAsStringAsync();
        var form = Form(page, loginUri)
            ?? throw new BenchFailure($"GET {startPath} did not end at a login form ({(int)login.StatusCode} {loginUri}).");
        form.Fields["username"] = userName;
        form.Fields["password"] = password;
        var (answer, at) = await FollowAsync(client, new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(form.Fields) });
        // The provider may answer the authorization with a form that posts itself to the console (response_mode=form_post).
        for (var hop = 0; hop < 3 && Form(await answer.Content.ReadAsStringAsync(), at) is { } next
            && next.Action.AbsolutePath.EndsWith("/signin-oidc", StringComparison.Ordinal); hop++)
        {
            (answer, at) = await FollowAsync(client, new HttpRequestMessage(HttpMethod.Post, next.Action) { Content = new FormUrlEncodedContent(next.Fields) });
        }

        if (answer.StatusCode != HttpStatusCode.OK || at.AbsolutePath != startPath)
        {
            throw new BenchFailure($"signing in as {userName} ended at {(int)answer.StatusCode} {at}, not {startPath}.");
        }

        return client;
    }

    /// <summary>Sends the request and follows redirects (as GETs), each hop through the jar; the last answer and its address.</summary>
    private static async Task<(HttpResponseMessage Answer, Uri At)> FollowAsync(HttpClient client, HttpRequestMessage request)
    {
        var at = new Uri(client.BaseAddress!, request.RequestUri!);
        var response = await client.SendAsync(request);
        for (var hop = 0; hop < 20 && (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location; hop++)
        {
            at = new Uri(at, location);
            response.Dispose();
            response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, at));
        }

        return (response, at);
    }

    /// <summary>Name to value; a cookie set to expire is dropped.</summary>
    private sealed class CookieJar
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public void Take(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                return;
            }

            lock (_gate)
            {
                foreach (var value in values)
                {
                    var pair = value.Split(';', 2)[0];
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        continue;
                    }

                    var name = pair[..equals].Trim();
                    var expired = value.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                    if (expired || pair.Length == equals + 1)
                    {
                        _cookies.Remove(name);
                    }
                    else
                    {
                        _cookies[name] = pair[(equals + 1)..].Trim();
                    }
                }
            }
        }

        public string? Header()
        {
            lock (_gate)
            {
                return _cookies.Count == 0 ? null : string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));
            }
        }
    }

    private sealed class JarHandler(CookieJar jar) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (jar.Header() is { } cookies)
            {
                request.Headers.TryAddWithoutValidation("Cookie", cookies);
            }

            var response = await base.SendAsync(request, cancellationToken);
            jar.Take(response);
            return response;
        }
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
