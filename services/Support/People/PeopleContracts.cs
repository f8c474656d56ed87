using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Mep.Support.Tickets;

namespace Mep.Support.People;

/// <summary>The limits and forms of a person's fields, shared by requests and answers.</summary>
public static class PersonFields
{
    public const string RolePattern = "^(planner|agent|specialist|vendor|finance|admin)$";
    public const string RoleExplanation = "Use planner, agent, specialist, vendor, finance or admin.";
    public const int MaxRoles = 6;
    public const int MaxRoleLength = 20;

    /// <summary>A person is addressed by subject in the path (/people/{subject}), where a slash cannot be carried (ASP.NET Core keeps %2F undecoded).</summary>
    public const string SubjectPattern = "^[^/]+$";
    public const string SubjectExplanation = "A subject without '/', as the person's tokens carry it.";
}

/// <param name="Subject">The subject ("sub") the person's tokens will carry; their first sign-in then finds them.</param>
/// <param name="Organisation">The vendor or contractor the person works for (an organisation's code); omit for the city's own staff.</param>
public sealed record CreatePersonRequest(
    [Required, MaxLength(CallerClaims.MaxActorLength), RegularExpression(PersonFields.SubjectPattern, ErrorMessage = PersonFields.SubjectExplanation)]
    string? Subject,
    [Required, MaxLength(Person.MaxDisplayName)] string? DisplayName,
    [MaxLength(Person.MaxEmail), RegularExpression(TicketFields.Email, ErrorMessage = "An e-mail address such as anna.schmidt@stadt.example.")] string? Email,
    [MaxLength(PersonFields.MaxRoles), Items(MaxLength = PersonFields.MaxRoleLength, Pattern = PersonFields.RolePattern,
        PatternExplanation = PersonFields.RoleExplanation)] IReadOnlyList<string>? Roles,
    [MaxLength(TicketFields.MaxCode)] string? Organisation) : IValidatableRequest;

/// <param name="Organisation">The vendor or contractor the person works for (an organisation's code); null for the city's own staff.</param>
public sealed record UpdatePersonRequest(
    [Required, MaxLength(Person.MaxDisplayName)] string? DisplayName,
    [MaxLength(Person.MaxEmail), RegularExpression(TicketFields.Email, ErrorMessage = "An e-mail address such as anna.schmidt@stadt.example.")] string? Email,
    [MaxLength(PersonFields.MaxRoles), Items(MaxLength = PersonFields.MaxRoleLength, Pattern = PersonFields.RolePattern,
        PatternExplanation = PersonFields.RoleExplanation)] IReadOnlyList<string>? Roles,
    [MaxLength(TicketFields.MaxCode)] string? Organisation) : IValidatableRequest;

/// <param name="Search">Part of the subject, name or mail address (any case).</param>
/// <param name="Organisation">Only people of this organisation; "internal" for the city's own staff.</param>
public sealed record PeopleQuery(
    [MaxLength(Person.MaxDisplayName)] string? Search, [MaxLength(TicketFields.MaxCode)] string? Organisation,
    [OneOf("planner", "agent", "specialist", "vendor", "finance", "admin")] string? Role, bool? Active, [PageNumber] int? Page, [PageSize] int? PageSize)
    : IValidatableRequest;

/// <param name="Organisation">The vendor's or contractor's code; null for the city's own staff.</param>
/// <param name="Groups">The support groups the person is a member of.</param>
public sealed record PersonResponse(
    [MaxLength(CallerClaims.MaxActorLength)] string Subject, [MaxLength(Person.MaxDisplayName)] string DisplayName, [MaxLength(Person.MaxEmail)] string? Email,
    [MaxLength(PersonFields.MaxRoles), Items(MaxLength = PersonFields.MaxRoleLength)] IReadOnlyList<string> Roles,
    [MaxLength(TicketFields.MaxCode)] string? Organisation, bool Active,
    [MaxLength(PeopleEndpoints.MaxGroups), Items(MaxLength = TicketFields.MaxCode)] IReadOnlyList<string> Groups,
    DateTimeOffset CreatedAt, [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy, DateTimeOffset UpdatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string UpdatedBy, DateTimeOffset? DeactivatedAt, [MaxLength(CallerClaims.MaxActorLength)] string? DeactivatedBy);

/// <summary>An outside organisation whose people work tickets.</summary>
public sealed record OrganisationResponse([MaxLength(TicketFields.MaxCode)] string Code, [MaxLength(TicketFields.MaxName)] string Name, OrganisationKind Kind);

public sealed record OrganisationRequest(
    [Required, MaxLength(TicketFields.MaxName)] string? Name,
    [Required, EnumName<OrganisationKind>] string? Kind) : IValidatableRequest;
