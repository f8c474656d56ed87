using Mep.Support.Tickets;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;
using Mep.Support.People;

namespace Mep.Support.Routing;

public sealed record RuleRequest(
    [MaxLength(TicketFields.MaxCode)] string? Category, [EnumName<TabletOwnership>] string? Ownership, bool? SchoolAtMepStandard, bool? OnSite,
    [Required, MaxLength(TicketFields.MaxCode)] string? Group);

/// <param name="Rules">In order; the first match wins, and the last rule must match everything (no conditions).</param>
public sealed record RuleSetRequest(
    [Required, Length(1, RuleSetRequest.MaxRules, ErrorMessage = "At least one rule: the catch-all (and at most 200).")] IReadOnlyList<RuleRequest?>? Rules,
    [MaxLength(RuleSetRequest.MaxNote)] string? Note) : IValidatableRequest
{
    public const int MaxRules = 200;
    public const int MaxNote = 500;

    public void Validate(ValidationErrors errors)
    {
        if (Rules is [.., { } last] && (last.Category ?? last.Ownership ?? (object?)last.SchoolAtMepStandard ?? last.OnSite) is not null)
        {
            errors.Add($"rules[{Rules.Count - 1}]", "The last rule must have no conditions, so that every ticket finds a group.");
        }
    }
}

public sealed record RuleResponse(
    [Range(1, RuleSetRequest.MaxRules)] int Position, [MaxLength(TicketFields.MaxCode)] string? Category, TabletOwnership? Ownership,
    bool? SchoolAtMepStandard, bool? OnSite, [Range(0, 3)] int Level, [MaxLength(TicketFields.MaxCode)] string Group);

public sealed record RuleSetResponse(
    [Range(1, int.MaxValue)] int Version, DateTimeOffset CreatedAt, [MaxLength(CallerClaims.MaxActorLength)] string CreatedBy,
    [MaxLength(RuleSetRequest.MaxNote)] string? Note, [MaxLength(RuleSetRequest.MaxRules)] IReadOnlyList<RuleResponse> Rules)
{
    public static RuleSetResponse From(RoutingRuleSet set) => new(set.Version, set.CreatedAt, set.CreatedBy, set.Note,
        [.. set.Rules.OrderBy(r => r.Position).Select(r => new RuleResponse(r.Position, r.Category, r.Ownership, r.SchoolAtMepStandard, r.OnSite, r.Level, r.GroupCode))]);
}

/// <param name="Members">Staff subjects (the "sub" of their tokens).</param>
public sealed record GroupResponse(
    [MaxLength(TicketFields.MaxCode)] string Code, [MaxLength(TicketFields.MaxName)] string Name, [Range(0, 3)] int Level, GroupKind Kind,
    [MaxLength(TicketFields.MaxCode)] string? EscalatesTo, [Items(MaxLength = CallerClaims.MaxActorLength)] IReadOnlyList<string> Members);

/// <param name="Change">added or removed.</param>
/// <param name="Reason">Why, when the change was not an admin's own (e.g. "deactivated").</param>
public sealed record MembershipChangeResponse(
    [Range(1, long.MaxValue)] long Id, [MaxLength(TicketFields.MaxCode)] string Group, [MaxLength(CallerClaims.MaxActorLength)] string Subject,
    [OneOf(GroupMembershipChange.Added, GroupMembershipChange.Removed)] string Change, DateTimeOffset At,
    [MaxLength(CallerClaims.MaxActorLength)] string Actor, [MaxLength(TicketFields.MaxNote)] string? Reason);

public sealed record MembershipHistoryQuery([PageNumber] int? Page, [PageSize] int? PageSize) : IValidatableRequest;

/// <summary>A support category and what a report of it must carry.</summary>
public sealed record CategoryResponse(
    [MaxLength(TicketFields.MaxCode)] string Code, [MaxLength(TicketFields.MaxName)] string Name, bool RequiresDevice, bool RequiresRoom);
