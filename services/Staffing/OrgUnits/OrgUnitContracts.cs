using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Validation;

namespace Mep.Staffing.OrgUnits;

/// <param name="Code">How the unit is addressed, in URLs too: see the pattern. Unique ignoring case; never changes.</param>
/// <param name="Name">What people call it, e.g. "OE 40.23 Schul-IT-Support".</param>
public sealed record CreateOrgUnitRequest(
    [Required, MaxLength(OrgUnit.MaxCode), RegularExpression(OrgUnit.CodePattern, ErrorMessage = OrgUnit.CodeRule)] string? Code,
    [Required, MaxLength(OrgUnit.MaxName)] string? Name) : IValidatableRequest;

public sealed record RenameOrgUnitRequest([Required, MaxLength(OrgUnit.MaxName)] string? Name) : IValidatableRequest;

/// <param name="Reason">Why the unit goes (merged into another, reorganisation); kept in its history.</param>
public sealed record RetireOrgUnitRequest([MaxLength(OrgUnit.MaxReason)] string? Reason) : IValidatableRequest;

/// <param name="IncludeRetired">Retired units too (default: only active ones).</param>
public sealed record OrgUnitListQuery(bool? IncludeRetired) : IValidatableRequest;

/// <param name="Posts">The unit's current posts (0 while none were set).</param>
/// <param name="PostsSetAt">When its posts were last set; null: never (the unit can still be deleted).</param>
public sealed record OrgUnitResponse(
    [MaxLength(OrgUnit.MaxCode)] string Code, [MaxLength(OrgUnit.MaxName)] string Name, decimal Posts, DateTimeOffset CreatedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy, DateTimeOffset? RetiredAt, [MaxLength(CallerClaims.MaxActorLength)] string? RetiredBy,
    [MaxLength(OrgUnit.MaxReason)] string? RetirementReason, DateTimeOffset? PostsSetAt)
{
    public static OrgUnitResponse From(OrgUnit unit, decimal posts) => new(unit.Code, unit.Name, posts, unit.CreatedAt, unit.CreatedBy,
        unit.RetiredAt, unit.RetiredBy, unit.RetirementReason, unit.PostsSetAt);
}

/// <summary>One change of a unit or its posts: names before and after for a creation or renaming, posts before and after for posts.</summary>
public sealed record OrgUnitChangeResponse(
    [MaxLength(OrgUnits.OrgUnit.MaxCode)] string OrgUnit, OrgUnitChangeKind Change, DateTimeOffset ChangedAt,
    [MaxLength(CallerClaims.MaxActorLength)] string ChangedBy, [MaxLength(OrgUnits.OrgUnit.MaxName)] string? NameBefore,
    [MaxLength(OrgUnits.OrgUnit.MaxName)] string? NameAfter, decimal? PostsBefore, decimal? PostsAfter,
    [MaxLength(OrgUnits.OrgUnit.MaxReason)] string? Reason)
{
    public static OrgUnitChangeResponse From(OrgUnitChange c) =>
        new(c.OrgUnit, c.Change, c.ChangedAt, c.ChangedBy, c.NameBefore, c.NameAfter, c.PostsBefore, c.PostsAfter, c.Reason);
}
