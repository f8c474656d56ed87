using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
namespace Mep.Staffing.Calculation;

/// <summary>
/// A figure a source publishes about the staffing, stored as printed: the council paper's 18.5 posts cost 1,734,000.00 EUR a year
/// including overheads. The platform shows it as it stands and derives only what nobody published; where it also derives the
/// published figure (posts times the model's cost per FTE: 1,734,005.00), the difference is shown beside it, not hidden in a rounding.
/// </summary>
public sealed class PublishedFigure
{
    public const string CurrentPostsCost = "currentPostsCost";

    private PublishedFigure()
    {
    }

    /// <summary>What the figure is, e.g. <see cref="CurrentPostsCost"/>.</summary>
    public string Figure { get; private set; } = string.Empty;

    /// <summary>The posts the figure is for.</summary>
    public decimal Posts { get; private set; }

    /// <summary>The amount as printed, EUR per year.</summary>
    public decimal Amount { get; private set; }

    public string Source { get; private set; } = string.Empty;
}

internal sealed class PublishedFigureConfiguration : IEntityTypeConfiguration<PublishedFigure>
{
    public void Configure(EntityTypeBuilder<PublishedFigure> figure)
    {
        figure.ToTable("published_figures");
        figure.HasKey(f => f.Figure);
        figure.Property(f => f.Posts).HasPrecision(6, 2);
        figure.Property(f => f.Amount).HasPrecision(14, 2);
    }
}
