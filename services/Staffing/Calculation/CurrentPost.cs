using Mep.Staffing.OrgUnits;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
namespace Mep.Staffing.Calculation;

/// <summary>The posts an organisational unit has today for school IT (council paper, 5.1.3: 18.5 posts across the units).</summary>
public sealed class CurrentPost
{
    private CurrentPost()
    {
    }

    public string OrgUnit { get; private set; } = string.Empty;
    public decimal Posts { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;

    public static CurrentPost Create(string orgUnit, decimal posts, string actor, DateTimeOffset now) =>
        new() { OrgUnit = orgUnit, Posts = posts, UpdatedAt = now, UpdatedBy = actor };

    public void Change(decimal posts, string actor, DateTimeOffset now) => (Posts, UpdatedBy, UpdatedAt) = (posts, actor, now);
}

internal sealed class CurrentPostConfiguration : IEntityTypeConfiguration<CurrentPost>
{
    public void Configure(EntityTypeBuilder<CurrentPost> post)
    {
        post.ToTable("current_posts");
        post.HasKey(p => p.OrgUnit);
        post.Property(p => p.Posts).HasPrecision(6, 2);
        post.HasOne<OrgUnit>().WithMany().HasForeignKey(p => p.OrgUnit).OnDelete(DeleteBehavior.Restrict);
    }
}
