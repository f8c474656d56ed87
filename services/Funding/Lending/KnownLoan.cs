using Mep.Contracts.Assets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Lending;

/// <summary>How a loan ended at its school; a loan without an ending is out.</summary>
public enum LoanEnding
{
    Returned,
    Lost,
    Stolen,

    /// <summary>The borrower changed school and took the device along: the loan continues at the other school as a new loan.</summary>
    TransferredAway,
}

/// <summary>
/// A loan as Funding knows it from Assets' events, for the proof of use of the programme that financed the device. The hand-out's facts
/// and the loan's end come in different events that may arrive in either order: a part not yet heard of is null, and an end replaces
/// another only when it is at least as new (<see cref="EndedAsOf"/>). Rows are written by <see cref="LoanReplica"/> in SQL.
/// </summary>
public sealed class KnownLoan
{
    public Guid LoanId { get; private set; }
    public Guid DeviceId { get; private set; }
    public Guid SchoolId { get; private set; }

    /// <summary>The programme that financed the device; null for a school's own pool, or while the hand-out is not yet heard of.</summary>
    public FundingSource? FundingSource { get; private set; }
    public BorrowerKind? BorrowerKind { get; private set; }
    public DateOnly? LentOn { get; private set; }
    public DateOnly? DueBack { get; private set; }
    public Guid? RepairCaseId { get; private set; }

    /// <summary>The loan at the borrower's earlier school that this one continues.</summary>
    public Guid? TransferredFromLoanId { get; private set; }
    public LoanEnding? Ending { get; private set; }
    public DateOnly? EndedOn { get; private set; }

    /// <summary>Whether a returned device came back damaged.</summary>
    public bool? Damaged { get; private set; }

    /// <summary>When Assets recorded the ending this row holds; -infinity while none is heard of.</summary>
    public DateTimeOffset EndedAsOf { get; private set; }
}

internal sealed class KnownLoanConfiguration : IEntityTypeConfiguration<KnownLoan>
{
    public void Configure(EntityTypeBuilder<KnownLoan> loan)
    {
        loan.ToTable("known_loans");
        loan.HasKey(l => l.LoanId);
        loan.HasIndex(l => new { l.FundingSource, l.SchoolId });
        loan.HasIndex(l => l.SchoolId);
        loan.HasIndex(l => l.TransferredFromLoanId);
    }
}
