using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Routing;

/// <summary>A support category and what level 1 needs to know for it (qualified reporting).</summary>
public sealed class TicketCategory
{
    public string Code { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;
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
