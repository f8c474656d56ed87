namespace Mep.OutsideIn.Tests.Console;

/// <summary>A person the tests' identity provider knows: signs in with user name and password on its login page.</summary>
public sealed record ConsolePerson(string UserName, string Name, params string[] Roles)
{
    public string Password => $"{UserName}-geheim-2026";

    public string Email => $"{UserName}@stadt.example";
}

/// <summary>One person per role the console serves, the school's IT contact, and a person with no role at all.</summary>
public static class ConsolePeople
{
    public static readonly ConsolePerson Agent = new("anna", "Anna Becker", "agent");
    public static readonly ConsolePerson Specialist = new("sam", "Sam Richter", "specialist");
    public static readonly ConsolePerson Vendor = new("vera", "Vera Lindner", "vendor");
    public static readonly ConsolePerson Planner = new("paula", "Paula Neumann", "planner");
    public static readonly ConsolePerson Finance = new("fritz", "Fritz Hoffmann", "finance");
    public static readonly ConsolePerson Admin = new("ada", "Ada Schulz", "admin");

    /// <summary>The IT contact of <see cref="ConsolePlatform.SchoolId"/>.</summary>
    public static readonly ConsolePerson SchoolContact = new("sina", "Sina Wolf", "school");

    public static readonly ConsolePerson NoRole = new("nora", "Nora Ohnerolle");

    public static IReadOnlyList<ConsolePerson> All { get; } = [Agent, Specialist, Vendor, Planner, Finance, Admin, SchoolContact, NoRole];
}
