using System.Text.Encodings.Web;

namespace Mep.Identity.SignIn;

/// <summary>
/// The provider's only pages, written out as HTML: the sign-in form, and what is shown after signing out. German, one column,
/// labels bound to their fields, the browser's password manager addressed by autocomplete, a focus ring that is always seen, and
/// an error that a screen reader announces (role="alert"). No script.
/// </summary>
public static class SignInPage
{
    public const string WrongPassword = "Benutzername oder Passwort ist falsch.";
    public const string FormExpired = "Das Formular war nicht mehr gültig. Bitte melden Sie sich erneut an.";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string TooManyFailures(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return $"Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {minutes} {(minutes == 1 ? "Minute" : "Minuten")} und versuchen Sie es dann erneut.";
    }

    public sealed record Form(string Action, string AntiforgeryField, string AntiforgeryToken, string ReturnUrl, string UserName, string? Error);

    public static string SignInForm(Form form, string styleNonce)
    {
        var error = form.Error is null ? string.Empty : $"""
                <p class="error" id="signin-error" role="alert">{Html.Encode(form.Error)}</p>

            """;
        var invalid = form.Error is null ? string.Empty : """ aria-invalid="true" aria-describedby="signin-error" """;
        var body = $"""
                <h1>Anmelden</h1>
                <p class="lead">Melden Sie sich mit Ihrem Benutzernamen und Passwort an.</p>
            {error}    <form method="post" action="{Html.Encode(form.Action)}">
                  <input type="hidden" name="{Html.Encode(form.AntiforgeryField)}" value="{Html.Encode(form.AntiforgeryToken)}">
                  <input type="hidden" name="returnUrl" value="{Html.Encode(form.ReturnUrl)}">
                  <div class="field">
                    <label for="username">Benutzername</label>
                    <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="255" value="{Html.Encode(form.UserName)}"{invalid.TrimEnd()}>
                  </div>
                  <div class="field">
                    <label for="password">Passwort</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"{invalid.TrimEnd()}>
                  </div>
                  <button type="submit">Anmelden</button>
                </form>
            """;
        return Document("Anmelden", body, styleNonce);
    }

    public static string SignedIn(string name, string styleNonce) => Document("Angemeldet", $"""
            <h1>Angemeldet</h1>
            <p class="lead">Sie sind als {Html.Encode(name)} angemeldet. Sie können dieses Fenster schließen und zur Anwendung zurückkehren.</p>
        """, styleNonce);

    public static string SignedOut(string styleNonce) => Document("Abgemeldet", """
            <h1>Abgemeldet</h1>
            <p class="lead">Sie sind abgemeldet.</p>
        """, styleNonce);

    private static string Document(string title, string body, string styleNonce)
    {
        var head = $$"""
            <!DOCTYPE html>
            <html lang="de">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{{Html.Encode(title)}} – MEP-Plattform</title>
              <style nonce="{{styleNonce}}">
                :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1b1b; background: #f3f5f7; }
                body { margin: 0; }
                main { max-width: 26rem; margin: 4rem auto; padding: 2rem; background: #fff; border: 1px solid #c9ced4; border-radius: .5rem; }
                .brand { margin: 0 0 1rem; font-weight: 600; color: #0b4f8a; }
                h1 { margin: 0 0 .5rem; font-size: 1.6rem; }
                .lead { margin: 0 0 1.5rem; }
                .field { margin-bottom: 1rem; }
                label { display: block; margin-bottom: .25rem; font-weight: 600; }
                input { box-sizing: border-box; width: 100%; padding: .6rem; font: inherit; border: 1px solid #5f6670; border-radius: .25rem; }
                button { padding: .65rem 1.4rem; font: inherit; font-weight: 600; color: #fff; background: #0b4f8a; border: 0; border-radius: .25rem; cursor: pointer; }
                button:hover { background: #083b67; }
                :focus-visible { outline: 3px solid #c25e00; outline-offset: 2px; }
                .error { margin: 0 0 1rem; padding: .75rem; color: #8a0010; background: #fdecee; border: 1px solid #8a0010; border-radius: .25rem; }
              </style>
            </head>
            <body>
              <main>
                <p class="brand">MEP-Plattform</p>

            """;
        const string tail = """

              </main>
            </body>
            </html>

            """;
        return head + body + tail;
    }
}
