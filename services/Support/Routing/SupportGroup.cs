using Mep.Support.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Routing;

/// <summary>internal (service desk, IT department), school (level 0), vendor (provider, manufacturer, software) or contractor (CSS).</summary>
public enum GroupKind
{
    Internal,
    School,
    Vendor,
    Contractor,
}

/// <summary>A group that holds tickets at one level. <see cref="EscalatesTo"/> is where a ticket goes up without a named group.</summary>
public sealed class SupportGroup
{
    public string Code { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The group's name as German readers know it (mails); null for one added without it, which reads by <see cref="Name"/>.</summary>
    public string? GermanName { get; internal set; }

    /// <summary>What a German text calls the group.</summary>
    public string NameInGerman => GermanName ?? Name;
    public int Level { get; internal set; }
    public GroupKind Kind { get; internal set; }
    public string? EscalatesTo { get; internal set; }

    /// <summary>
    /// Members work a group's tickets. The school's own group (level 0) is the school itself, answering through its key: no staff
    /// member belongs there, just as it takes no assignee.
    /// </summary>
    public void EnsureMayHaveMembers()
    {
        if (Kind == GroupKind.School)
        {
            throw new Mep.ServiceDefaults.Errors.DomainRuleException("group-takes-no-members",
                $"{Name} is the school itself (level 0): it works its tickets through its key and has no staff members.") { Field = "code" };
        }
    }
}

internal sealed class SupportGroupConfiguration : IEntityTypeConfiguration<SupportGroup>
{
    public void Configure(EntityTypeBuilder<SupportGroup> group)
    {
        group.ToTable("support_groups");
        group.HasKey(g => g.Code);
        group.HasIndex(g => g.EscalatesTo);
        group.HasOne<SupportGroup>().WithMany().HasForeignKey(g => g.EscalatesTo).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A staff subject (a vendor's or contractor's account) working in a group.</summary>
public sealed class GroupMember
{
    public string GroupCode { get; internal set; } = string.Empty;
    public string Subject { get; internal set; } = string.Empty;
}

internal sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> member)
    {
        member.ToTable("group_members");
        member.HasKey(m => new { m.GroupCode, m.Subject });
        member.HasIndex(m => m.Subject);
        member.HasOne<SupportGroup>().WithMany().HasForeignKey(m => m.GroupCode);
        member.HasOne<Person>().WithMany().HasForeignKey(m => m.Subject).OnDelete(DeleteBehavior.Restrict);
    }
}
