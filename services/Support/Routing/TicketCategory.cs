using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Routing;

/// <summary>A support category and what level 1 needs to know for it (qualified reporting).</summary>
public sealed class TicketCategory
{
    public string Code { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The category's name as German readers know it (mails); null for one added without it, which reads by <see cref="Name"/>.</summary>
    public string? GermanName { get; internal set; }

    /// <summary>What a German text calls the category.</summary>
    public string NameInGerman => GermanName ?? Name;
    public bool RequiresDevice { get; internal set; }
    public bool RequiresRoom { get; internal set; }
}

internal sealed class TicketCategoryConfiguration : IEntityTypeConfiguration<TicketCategory>
{
    public void Configure(EntityTypeBuilder<TicketCategory> category)
    {
        category.ToTable("ticket_categories");
        category.HasKey(c => c.Code);
    }
}
