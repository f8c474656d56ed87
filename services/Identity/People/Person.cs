using System.Security.Cryptography;
using System.Text;

namespace Mep.Identity.People;

/// <summary>Someone who may sign in, as configured: the claims the tokens carry and a digest of the password.</summary>
public sealed class Person
{
    private readonly byte[] _passwordDigest;

    public Person(string userName, string password, string name, string email, IReadOnlyList<string> roles, Guid? schoolId)
    {
        UserName = userName;
        Name = name;
        Email = email;
        Roles = roles;
        SchoolId = schoolId;
        _passwordDigest = Digest(password);
    }

    /// <summary>The subject (<c>sub</c>) of every token issued to the person.</summary>
    public string UserName { get; }

    public string Name { get; }

    public string Email { get; }

    public IReadOnlyList<string> Roles { get; }

    /// <summary>The school a school's IT contact acts for; null for staff.</summary>
    public Guid? SchoolId { get; }

    /// <summary>
    /// Compares digests of equal length in constant time, so the answer's timing tells nothing about how much of a guess was
    /// right. Configured passwords are demo passwords in plain configuration; a slow hash would protect nothing more.
    /// </summary>
    public bool HasPassword(string password) => CryptographicOperations.FixedTimeEquals(_passwordDigest, Digest(password));

    internal static byte[] Digest(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));
}
