using Mep.Funding.Applications;
using Mep.Funding.Programmes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Spending;

/// <summary>Money drawn (Mittelabruf) against an approved application. School and programme are copied from it, so reports need no join.</summary>
public sealed class Draw
{
    private Draw()
    {
    }

    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid SchoolId { get; private set; }
    public string ProgrammeCode { get; private set; } = string.Empty;
    public decimal Amount { get; private set; }
    public DateOnly DrawnOn { get; private set; }

    /// <summary>The draw's reference at the Land's funding bank (NBank), for reconciliation.</summary>
    public string Reference { get; private set; } = string.Empty;
    public DateTimeOffset DrawnAt { get; private set; }
    public string DrawnBy { get; private set; } = string.Empty;

    /// <summary>Records a draw on the application, which judges it (<see cref="FundingApplication.RecordDraw"/>); the caller holds its row lock.</summary>
    internal static Draw Against(FundingApplication application, Programme programme, decimal amount, DateOnly drawnOn, DateOnly today, string reference,
        string actor, DateTimeOffset now)
    {
        application.RecordDraw(amount, drawnOn, programme, today, now);
        return new Draw
        {
            Id = Guid.CreateVersion7(now), ApplicationId = application.Id, SchoolId = application.SchoolId, ProgrammeCode = application.ProgrammeCode,
            Amount = amount, DrawnOn = drawnOn, Reference = reference, DrawnAt = now, DrawnBy = actor,
        };
    }
}

internal sealed class DrawConfiguration : IEntityTypeConfiguration<Draw>
{
    public void Configure(EntityTypeBuilder<Draw> draw)
    {
        draw.ToTable("draws");
        draw.HasKey(d => d.Id);
        draw.Property(d => d.Amount).HasPrecision(14, 2);
        draw.HasOne<FundingApplication>().WithMany().HasForeignKey(d => d.ApplicationId);
        draw.HasIndex(d => new { d.ApplicationId, d.DrawnOn });
        draw.HasIndex(d => new { d.SchoolId, d.DrawnOn });
    }
}
