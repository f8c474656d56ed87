using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Staffing.OrgUnits;

/// <summary>
/// An organisational unit of the city that holds support posts (council paper, 5.1.3: "OE 40.23" and five more). Units are created
/// and retired on purpose by the people who plan and pay the posts; posts are only set for an active unit. A unit whose posts were
/// never set can be deleted (it was created by mistake); a used one is retired and stays, with its history, for what it held.
/// </summary>
public sealed class OrgUnit
{
    /// <summary>A code stands in URLs (<c>/posts/{code}</c>), so it is short and needs no escaping.</summary>
    public const int MaxCode = 40;

    public const string CodePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$";

    public const string CodeRule = "1 to 40 letters A-Z or a-z, digits, '.', '-' or '_', starting with a letter or digit (e.g. OE-40.23).";

    public const int MaxName = 200;

    public const int MaxReason = 500;

    private OrgUnit()
    {
    }

    /// <summary>As created; unique ignoring case, so that "oe-19" and "OE-19" cannot both exist. Never changes.</summary>
    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = string.Empty;
    public DateTimeOffset? RetiredAt { get; private set; }
    public string? RetiredBy { get; private set; }
    public string? RetirementReason { get; private set; }

    /// <summary>When its posts were last set; null while they never were (the unit is unused and may be deleted).</summary>
    public DateTimeOffset? PostsSetAt { get; private set; }

    /// <summary>The row version (PostgreSQL xmin), the ETag. Setting posts writes the unit too, so a retirement racing it is caught.</summary>
    public uint Version { get; private set; }

    public bool IsRetired => RetiredAt is not null;

    public static (OrgUnit Unit, OrgUnitChange Change) Create(string code, string name, string actor, DateTimeOffset now)
    {
        var unit = new OrgUnit { Code = code, Name = name, CreatedAt = now, CreatedBy = actor };
        return (unit, OrgUnitChange.Of(unit.Code, OrgUnitChangeKind.Created, actor, now, nameAfter: name));
    }

    /// <summary>The new name, or null when it is the name the unit has (nothing to record).</summary>
    public OrgUnitChange? Rename(string name, string actor, DateTimeOffset now)
    {
        EnsureActive("renamed");
        if (name == Name)
        {
            return null;
        }

        var change = OrgUnitChange.Of(Code, OrgUnitChangeKind.Renamed, actor, now, nameBefore: Name, nameAfter: name);
        Name = name;
        return change;
    }

    /// <summary>
    /// Takes the unit's posts as <paramref name="posts"/> (from <paramref name="before"/>, null when none were ever set); the change to
    /// record, or null when the figure stays as it was. A retired unit takes no posts.
    /// </summary>
    public OrgUnitChange? SetPosts(decimal? before, decimal posts, string actor, DateTimeOffset now)
    {
        EnsureActive("given posts");
        PostsSetAt = now;
        return before == posts ? null : OrgUnitChange.Of(Code, OrgUnitChangeKind.PostsSet, actor, now, postsBefore: before, postsAfter: posts);
    }

    /// <summary>
    /// Retires the unit: it takes no more posts and leaves the current lists, and stays with its history. Its posts go to 0 first, on
    /// purpose, so that no post disappears from the city's figure as a side effect of a retirement.
    /// </summary>
    public OrgUnitChange Retire(decimal currentPosts, string? reason, string actor, DateTimeOffset now)
    {
        EnsureActive("retired");
        if (currentPosts != 0)
        {
            throw new DomainRuleException("org-unit-has-posts",
                $"Unit {Code} still has {currentPosts:0.##} posts; set them to 0 (PUT /posts/{Code}) before retiring it, so that the city's posts "
                + "change on purpose.") { IsStateConflict = true };
        }

        (RetiredAt, RetiredBy, RetirementReason) = (now, actor, reason);
        return OrgUnitChange.Of(Code, OrgUnitChangeKind.Retired, actor, now, reason: reason);
    }

    /// <summary>The record of deleting the unit, which only a unit that never had posts allows (one created by mistake).</summary>
    public OrgUnitChange Delete(string actor, DateTimeOffset now)
    {
        if (PostsSetAt is not null)
        {
            throw new DomainRuleException("org-unit-in-use",
                $"Unit {Code} has had posts, so it is part of the city's figures and cannot be deleted; retire it instead "
                + $"(POST /org-units/{Code}/retire).") { IsStateConflict = true };
        }

        return OrgUnitChange.Of(Code, OrgUnitChangeKind.Deleted, actor, now, nameBefore: Name);
    }

    private void EnsureActive(string what)
    {
        if (IsRetired)
        {
            throw new DomainRuleException("org-unit-retired",
                $"Unit {Code} was retired on {RetiredAt:yyyy-MM-dd} and can no longer be {what}.") { IsStateConflict = true };
        }
    }
}

public enum OrgUnitChangeKind
{
    Created,
    Renamed,
    PostsSet,
    Retired,
    Deleted,
}

/// <summary>
/// One change of a unit or of its posts: who, when, from what to what. Kept by code and never deleted, also when the unit itself is
/// (the record says it was).
/// </summary>
public sealed class OrgUnitChange
{
    private OrgUnitChange()
    {
    }

    public long Id { get; private set; }
    public string OrgUnit { get; private set; } = string.Empty;
    public OrgUnitChangeKind Change { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }
    public string ChangedBy { get; private set; } = string.Empty;
    public string? NameBefore { get; private set; }
    public string? NameAfter { get; private set; }
    public decimal? PostsBefore { get; private set; }
    public decimal? PostsAfter { get; private set; }
    public string? Reason { get; private set; }

    public static OrgUnitChange Of(string code, OrgUnitChangeKind change, string actor, DateTimeOffset now, string? nameBefore = null,
        string? nameAfter = null, decimal? postsBefore = null, decimal? postsAfter = null, string? reason = null) =>
        new()
        {
            OrgUnit = code, Change = change, ChangedAt = now, ChangedBy = actor, NameBefore = nameBefore, NameAfter = nameAfter,
            PostsBefore = postsBefore, PostsAfter = postsAfter, Reason = reason,
        };
}

internal sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> unit)
    {
        unit.ToTable("org_units");
        unit.HasKey(u => u.Code);
        unit.Ignore(u => u.IsRetired);
    }
}

internal sealed class OrgUnitChangeConfiguration : IEntityTypeConfiguration<OrgUnitChange>
{
    public void Configure(EntityTypeBuilder<OrgUnitChange> change)
    {
        change.ToTable("org_unit_changes");
        change.HasKey(c => c.Id);
        change.Property(c => c.Id).UseIdentityAlwaysColumn();
        change.HasIndex(c => new { c.OrgUnit, c.Id });
        change.Property(c => c.PostsBefore).HasPrecision(6, 2);
        change.Property(c => c.PostsAfter).HasPrecision(6, 2);
    }
}
