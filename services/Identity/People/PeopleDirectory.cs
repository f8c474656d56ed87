using System.Security.Cryptography;
using Mep.Identity.Hosting;
using Microsoft.Extensions.Options;

namespace Mep.Identity.People;

/// <summary>The configured people, by user name (case-insensitive: people type their names as they remember them).</summary>
public sealed class PeopleDirectory
{
    /// <summary>Compared against when the user name is unknown, so an unknown name costs as long as a wrong password.</summary>
    private static readonly Person Nobody = new("", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), "", "", [], null);

    private readonly Dictionary<string, Person> _byUserName;

    public PeopleDirectory(IOptions<ProviderOptions> options) =>
        _byUserName = options.Value.People.Select(ToPerson).ToDictionary(person => person.UserName, StringComparer.OrdinalIgnoreCase);

    public Person? Find(string? userName) =>
        userName is not null && _byUserName.TryGetValue(userName, out var person) ? person : null;

    /// <summary>The person whose user name and password these are, or null.</summary>
    public Person? Verify(string userName, string password)
    {
        var person = Find(userName);
        var matches = (person ?? Nobody).HasPassword(password);
        return person is not null && matches ? person : null;
    }

    private static Person ToPerson(PersonOptions person) => new(
        person.UserName!.Trim(),
        person.Password!,
        string.IsNullOrWhiteSpace(person.Name) ? person.UserName!.Trim() : person.Name.Trim(),
        person.Email?.Trim() ?? string.Empty,
        [.. person.Roles.Select(role => role.Trim()).Distinct(StringComparer.Ordinal)],
        Guid.TryParse(person.SchoolId, out var schoolId) ? schoolId : null);
}
