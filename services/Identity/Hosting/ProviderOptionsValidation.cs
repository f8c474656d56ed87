using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace Mep.Identity.Hosting;

/// <summary>
/// Checked when the host starts: a provider with a missing key, a client without a redirect or a person the services would
/// misread does not start, and says which setting is wrong.
/// </summary>
public sealed class ProviderOptionsValidation(IConfiguration configuration) : IValidateOptions<ProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, ProviderOptions options)
    {
        var problems = new List<string>();
        if (Issuer.From(configuration) is null)
        {
            problems.Add($"{EdgeOptions.Section}:PublicBaseAddress is not configured (an absolute http(s) address, e.g. http://localhost:8080): the issuer is that address with /identity/.");
        }

        if (ProviderKeys.SigningKey(options.SigningKeyPem, out var signingError) is null)
        {
            problems.Add(signingError);
        }

        if (ProviderKeys.EncryptionKey(options.EncryptionKey, out var encryptionError) is null)
        {
            problems.Add(encryptionError);
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            problems.Add("Identity:Audience is empty: the services expect their Auth:Audience (mep-platform).");
        }

        for (var index = 0; index < options.Clients.Count; index++)
        {
            ValidateClient($"Identity:Clients:{index}", options.Clients[index], problems);
        }

        var clientIds = options.Clients.Select(client => client.ClientId).Where(id => !string.IsNullOrWhiteSpace(id));
        problems.AddRange(clientIds.GroupBy(id => id, StringComparer.Ordinal).Where(group => group.Count() > 1)
            .Select(group => $"Identity:Clients names the client '{group.Key}' more than once."));

        for (var index = 0; index < options.People.Count; index++)
        {
            ValidatePerson($"Identity:People:{index}", options.People[index], problems);
        }

        var userNames = options.People.Select(person => person.UserName?.Trim()).Where(userName => !string.IsNullOrEmpty(userName));
        problems.AddRange(userNames.GroupBy(userName => userName, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1)
            .Select(group => $"Identity:People names the user '{group.Key}' more than once."));

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateClient(string path, ClientOptions client, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(client.ClientId))
        {
            problems.Add($"{path}:ClientId is missing.");
        }

        if (string.IsNullOrWhiteSpace(client.ClientSecret))
        {
            problems.Add($"{path}:ClientSecret is missing: every client is confidential.");
        }

        if (client.RedirectUris.Count == 0)
        {
            problems.Add($"{path}:RedirectUris names no address: the authorization code has nowhere to go.");
        }

        foreach (var uri in client.RedirectUris.Concat(client.PostLogoutRedirectUris))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Fragment.Length > 0)
            {
                problems.Add($"{path}: '{uri}' is not an absolute http(s) address without fragment.");
            }
        }
    }

    private static void ValidatePerson(string path, PersonOptions person, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(person.UserName))
        {
            problems.Add($"{path}:UserName is missing.");
        }
        else if (person.UserName.Trim().Length > CallerClaims.MaxActorLength)
        {
            problems.Add($"{path}:UserName is longer than {CallerClaims.MaxActorLength} characters, the longest subject the services accept.");
        }

        if (string.IsNullOrEmpty(person.Password))
        {
            problems.Add($"{path}:Password is missing.");
        }

        var roles = person.Roles.Select(role => role.Trim()).ToList();
        foreach (var role in roles.Where(role => !PlatformRoles.Staff.Contains(role) && role != PlatformRoles.School))
        {
            problems.Add($"{path}:Roles names '{role}', which is no platform role ({string.Join(", ", PlatformRoles.Staff.Append(PlatformRoles.School))}).");
        }

        var isSchoolContact = roles.Contains(PlatformRoles.School);
        if (isSchoolContact && roles.Any(PlatformRoles.Staff.Contains))
        {
            problems.Add($"{path}: a school's IT contact (role school) has no staff role; the services would refuse such a token's school role.");
        }

        if (isSchoolContact && !Guid.TryParse(person.SchoolId, out _))
        {
            problems.Add($"{path}:SchoolId must be the GUID of the school a school's IT contact acts for.");
        }

        if (!isSchoolContact && !string.IsNullOrWhiteSpace(person.SchoolId))
        {
            problems.Add($"{path}:SchoolId is set, but only a school's IT contact (role school) acts for a school.");
        }
    }
}

/// <summary>The issuer: the edge's public address with /identity/, never derived from a request's Host.</summary>
public static class Issuer
{
    public const string PathBase = "/identity";

    public static Uri? From(IConfiguration configuration)
    {
        var edge = configuration.GetSection(EdgeOptions.Section).Get<EdgeOptions>()?.PublicBaseAddress;
        return edge is { IsAbsoluteUri: true, Scheme: "http" or "https" }
            ? new Uri($"{edge.GetLeftPart(UriPartial.Path).TrimEnd('/')}{PathBase}/")
            : null;
    }
}
