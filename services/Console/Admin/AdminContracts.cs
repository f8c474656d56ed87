namespace Mep.Console.Admin;

/// <summary>The console's administration pages and the routes they answer.</summary>
public static class AdminPages
{
    public const string Start = "/verwaltung";
    public const string SchoolKeys = "/verwaltung/schulschluessel";
    public const string People = "/verwaltung/personen";
    public const string Jobs = "/verwaltung/jobs";

    /// <summary>Where the jobs page's form asks for a dashboard session (a console endpoint, not a page).</summary>
    public const string JobsSession = "/verwaltung/jobs/sitzung";
}

/// <summary>A school as the key page needs it (Schools' answer has much more).</summary>
public sealed record AdminSchool(Guid Id, string Number, string Name, string? District);

/// <summary>One page of a list endpoint's answer.</summary>
public sealed record AdminPage<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalItems)
{
    public int TotalPages => TotalItems == 0 ? 0 : (TotalItems + PageSize - 1) / PageSize;
}

/// <summary>A school's API key as listed: never its secret.</summary>
public sealed record AdminApiKey(string KeyId, string Label, bool Active, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt,
    string? RevokedBy, DateTimeOffset? LastUsedAt);

/// <summary>A key just issued: <see cref="Key"/> is the secret, in this one answer only.</summary>
public sealed record AdminIssuedApiKey(string KeyId, string Label, DateTimeOffset CreatedAt, string Key);

public sealed record AdminIssueKeyRequest(string Label);

/// <summary>A person of Support's people directory, with the support groups they are a member of.</summary>
public sealed record AdminPerson(string Subject, string DisplayName, string? Email, IReadOnlyList<string> Roles, string? Organisation, bool Active,
    IReadOnlyList<string> Groups);

public sealed record AdminCreatePersonRequest(string Subject, string DisplayName, string? Email, IReadOnlyList<string> Roles, string? Organisation);

/// <summary>A support group; <see cref="Kind"/> "school" is a school itself (level 0) and takes no members.</summary>
public sealed record AdminGroup(string Code, string Name, int Level, string Kind, string? EscalatesTo, IReadOnlyList<string> Members)
{
    public bool TakesMembers => Kind != "school";
}

public sealed record AdminOrganisation(string Code, string Name, string Kind);

/// <summary>The staff roles a person can hold, with the names people read.</summary>
public static class AdminRoles
{
    public static readonly IReadOnlyList<(string Role, string Label)> All =
    [
        ("agent", "Servicedesk"),
        ("specialist", "IT-Fachkraft"),
        ("vendor", "Dienstleister"),
        ("planner", "Planung"),
        ("finance", "Finanzen"),
        ("admin", "Verwaltung"),
    ];

    public static string Label(string role) => All.FirstOrDefault(r => r.Role == role).Label ?? role;
}

/// <summary>The services whose jobs dashboards the console opens: the path segment below /api/ and the name people read.</summary>
public static class AdminServices
{
    public static readonly IReadOnlyList<(string Segment, string Label, string Jobs)> All =
    [
        ("schools", "Schulen", "Webhook-Protokolle aufräumen, Nachrichten aufräumen"),
        ("assets", "Geräte", "Nachrichten aufräumen"),
        ("support", "Support", "Eskalation nach SLA, Benachrichtigungs-Zusammenfassung, Mailversand, Nachrichten aufräumen"),
        ("staffing", "Personalbedarf", "Nächtliche Kennzahlen-Momentaufnahme, Nachrichten aufräumen"),
        ("funding", "Fördermittel", "Fristwarnungen, Mailversand, Nachrichten aufräumen"),
    ];

    public static bool IsKnown(string? segment) => All.Any(s => s.Segment == segment);

    public static string DashboardPath(string segment) => $"/api/{segment}/jobs/";
}
