using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.People;

/// <summary>A vendor (provider, manufacturer, software house) or the contractor: the firms whose people work tickets besides the city's staff.</summary>
public enum OrganisationKind
{
    Vendor,
    Contractor,
}

/// <summary>An outside organisation whose people work in support groups; the city's own staff belong to none.</summary>
public sealed class Organisation
{
    public string Code { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;
    public OrganisationKind Kind { get; internal set; }
}

/// <summary>
/// Someone who works tickets, known by the subject ("sub") of their token. Recorded at their first request from the token's claims,
/// or by an admin ahead of it. People leave: they are deactivated, never deleted, so tickets' histories keep naming them.
/// </summary>
public sealed class Person
{
    public const int MaxDisplayName = 200;

    /// <summary>RFC 5321's longest forward path.</summary>
    public const int MaxEmail = 254;

    /// <summary>Roles that work tickets for the city itself (service desk, IT department, admins), as opposed to vendors.</summary>
    private static readonly string[] InternalWorkRoles = [PlatformRoles.Agent, PlatformRoles.Specialist, PlatformRoles.Admin];

    private Person()
    {
    }

    public string Subject { get; private set; } = string.Empty;
    public string DisplayName { get; private set; } = string.Empty;
    public string? Email { get; private set; }
    public List<string> Roles { get; private set; } = [];

    /// <summary>The vendor or contractor the person works for; null for the city's own staff.</summary>
    public string? OrganisationCode { get; private set; }

    public bool Active { get; private set; }

    /// <summary>A hash of the name, mail and roles the last token carried: claims refresh the person only when they change.</summary>
    public string? ClaimsFingerprint { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;
    public DateTimeOffset? DeactivatedAt { get; private set; }
    public string? DeactivatedBy { get; private set; }
    public uint Version { get; private set; }

    /// <summary>The city's own staff who work tickets (no outside organisation, a working role).</summary>
    public bool IsInternalStaff => OrganisationCode is null && Roles.Any(InternalWorkRoles.Contains);

    public static Person Create(string subject, string displayName, string? email, IEnumerable<string> roles, string? organisationCode, string actor,
        DateTimeOffset now) => new()
    {
        Subject = subject, DisplayName = displayName, Email = email, Roles = Normalise(roles), OrganisationCode = organisationCode, Active = true,
        CreatedAt = now, CreatedBy = actor, UpdatedAt = now, UpdatedBy = actor,
    };

    public void Update(string displayName, string? email, IEnumerable<string> roles, string? organisationCode, string actor, DateTimeOffset now) =>
        (DisplayName, Email, Roles, OrganisationCode, UpdatedAt, UpdatedBy) = (displayName, email, Normalise(roles), organisationCode, now, actor);

    /// <summary>Ends the person's work here; their memberships end with it (the caller removes them and records why).</summary>
    public void Deactivate(string actor, DateTimeOffset now)
    {
        if (!Active)
        {
            throw new DomainRuleException("person-already-inactive", $"{Subject} is already deactivated.") { IsStateConflict = true };
        }

        (Active, DeactivatedAt, DeactivatedBy, UpdatedAt, UpdatedBy) = (false, now, actor, now, actor);
    }

    public void Reactivate(string actor, DateTimeOffset now)
    {
        if (Active)
        {
            throw new DomainRuleException("person-already-active", $"{Subject} is active.") { IsStateConflict = true };
        }

        (Active, DeactivatedAt, DeactivatedBy, UpdatedAt, UpdatedBy) = (true, null, null, now, actor);
    }

    /// <summary>The person a request names in <paramref name="field"/>, if the directory knows them and they are active.</summary>
    public static Person RequireActive(Person? person, string subject, string field)
    {
        if (person is null)
        {
            throw new DomainRuleException("person-unknown",
                $"No person '{Shorten(subject)}' in the people directory; people are recorded when they first sign in, or by an admin.") { Field = field };
        }

        if (!person.Active)
        {
            throw new DomainRuleException("person-inactive", $"{person.DisplayName} ({Shorten(person.Subject)}) has been deactivated.") { Field = field };
        }

        return person;
    }

    /// <summary>
    /// Whether the person may take a ticket of <paramref name="group"/>. A member of the group always may. The city's internal groups
    /// (service desk, IT department) are worked by the city's own staff across levels 1 and 2 without memberships: they see every ticket
    /// anyway, and membership is what lets an outside organisation's people see a group's tickets, so it is required of vendor and
    /// contractor groups only. A school's own group (level 0) takes no assignee.
    /// </summary>
    public void EnsureMayWorkOn(SupportGroup group, bool isMember)
    {
        if (isMember || (group.Kind == GroupKind.Internal && IsInternalStaff))
        {
            return;
        }

        throw new DomainRuleException("assignee-not-in-group", group.Kind == GroupKind.Internal
            ? $"{DisplayName} is neither a member of {group.Name} nor one of the city's service desk, specialists or admins."
            : $"{DisplayName} is not a member of {group.Name}; an admin adds people to groups.") { Field = "assignee" };
    }

    /// <summary>What the token says about its bearer: name and mail (null when it carries none), roles; cut to what the directory holds.</summary>
    public sealed record Claims(string Subject, string? DisplayName, string? Email, IReadOnlyList<string> Roles, string Fingerprint)
    {
        public static Claims? Of(ClaimsPrincipal user)
        {
            if (user.Identity?.IsAuthenticated != true || user.SchoolScope() is not null || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } subject)
            {
                return null;
            }

            // Without a "name" claim the platform's identity names the bearer by the subject: that is no name to record.
            var named = user.FindFirstValue(ClaimTypes.Name);
            var name = named == subject ? null : Clean(named, MaxDisplayName);
            var email = Clean(user.FindFirstValue(ClaimTypes.Email), MaxEmail);
            var roles = Normalise(user.FindAll(ClaimTypes.Role).Select(c => c.Value));
            var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', [name ?? string.Empty, email ?? string.Empty, .. roles]))));
            return new Claims(subject, name, email, roles, fingerprint);
        }

        /// <summary>How the directory names someone recorded from a token without a name: by the subject, until an admin names them.</summary>
        public string NameOrSubject => DisplayName ?? Clean(Subject, MaxDisplayName) ?? Subject;
    }

    private static List<string> Normalise(IEnumerable<string> roles) =>
        [.. roles.Select(r => r.Trim().ToLowerInvariant()).Where(PlatformRoles.Staff.Contains).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Claims come from the identity provider, not from a validated request: no control characters, no more than a column holds.</summary>
    internal static string? Clean(string? text, int maxLength)
    {
        var cleaned = text is null ? null : new string([.. text.Where(c => !char.IsControl(c))]).Trim();
        return string.IsNullOrEmpty(cleaned) ? null : cleaned.Length <= maxLength ? cleaned : cleaned[..maxLength];
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

/// <summary>One change of a group's members: who added or removed whom, when, and why.</summary>
public sealed class GroupMembershipChange
{
    public const string Added = "added";
    public const string Removed = "removed";

    public long Id { get; internal set; }
    public string GroupCode { get; internal set; } = string.Empty;
    public string Subject { get; internal set; } = string.Empty;
    public string Change { get; internal set; } = string.Empty;
    public DateTimeOffset At { get; internal set; }
    public string Actor { get; internal set; } = string.Empty;
    public string? Reason { get; internal set; }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> organisation)
    {
        organisation.ToTable("organisations");
        organisation.HasKey(o => o.Code);
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> person)
    {
        person.ToTable("people");
        person.HasKey(p => p.Subject);
        person.Ignore(p => p.IsInternalStaff);
        person.HasIndex(p => p.OrganisationCode);
        person.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GroupMembershipChangeConfiguration : IEntityTypeConfiguration<GroupMembershipChange>
{
    public void Configure(EntityTypeBuilder<GroupMembershipChange> change)
    {
        change.ToTable("group_membership_changes");
        change.HasKey(c => c.Id);
        change.Property(c => c.Id).UseIdentityAlwaysColumn();
        change.HasIndex(c => new { c.GroupCode, c.Id });
        change.HasIndex(c => c.Subject);
        change.HasOne<SupportGroup>().WithMany().HasForeignKey(c => c.GroupCode).OnDelete(DeleteBehavior.Restrict);
        change.HasOne<Person>().WithMany().HasForeignKey(c => c.Subject).OnDelete(DeleteBehavior.Restrict);
    }
}
