using Mep.Funding.Data;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Allocations;

/// <summary>
/// A school's money in one programme: the base amount the rule gives it (kept current from its pupils) and the per-pupil share
/// finance distributed to it. The reports add <see cref="BaseAmount"/> and <see cref="PerPupilShare"/> per programme and school.
/// </summary>
public sealed class Allocation
{
    private Allocation()
    {
    }

    public string ProgrammeCode { get; private set; } = string.Empty;
    public Guid SchoolId { get; private set; }
    public decimal BaseAmount { get; private set; }

    /// <summary>The pupils the base amount was computed from; null when the school has no figures for the rule's school year (no base).</summary>
    public int? BasePupils { get; private set; }
    public decimal PerPupilShare { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;
    public uint Version { get; private set; }

    public decimal Total => BaseAmount + PerPupilShare;

    internal static Allocation Empty(string programmeCode, Guid schoolId, string actor, DateTimeOffset now) =>
        new() { ProgrammeCode = programmeCode, SchoolId = schoolId, UpdatedBy = actor, UpdatedAt = now };

    /// <returns>Whether anything changed.</returns>
    internal bool SetBase(decimal amount, int? pupils, string actor, DateTimeOffset now)
    {
        if (amount == BaseAmount && pupils == BasePupils)
        {
            return false;
        }

        (BaseAmount, BasePupils) = (amount, pupils);
        Touch(actor, now);
        return true;
    }

    /// <returns>Whether anything changed.</returns>
    internal bool SetPerPupilShare(decimal amount, string actor, DateTimeOffset now)
    {
        if (amount == PerPupilShare)
        {
            return false;
        }

        PerPupilShare = amount;
        Touch(actor, now);
        return true;
    }

    /// <summary>
    /// Moves money of one pot from this school to another, never more than this school has of it. The programme has allowed the pot
    /// to move (<see cref="Programmes.Programme.EnsureMovable"/>); moved base stays only until a recomputation gives the rule's amount again.
    /// </summary>
    /// <param name="schoolNumber">This school's number, for the refusal.</param>
    internal void TransferTo(Allocation to, AllocationPot pot, decimal amount, string schoolNumber, string actor, DateTimeOffset now)
    {
        var available = pot == AllocationPot.Base ? BaseAmount : PerPupilShare;
        if (available < amount)
        {
            throw new DomainRuleException("allocation-insufficient",
                $"School {schoolNumber} has {available:0.00} EUR of {PotName(pot)} in {ProgrammeCode}, less than {amount:0.00} EUR.")
            {
                Extensions = new Dictionary<string, object?> { ["available"] = available },
            };
        }

        Add(pot, -amount, actor, now);
        to.Add(pot, amount, actor, now);
    }

    private void Add(AllocationPot pot, decimal delta, string actor, DateTimeOffset now)
    {
        if (pot == AllocationPot.Base)
        {
            BaseAmount += delta;
        }
        else
        {
            PerPupilShare += delta;
        }

        Touch(actor, now);
    }

    private static string PotName(AllocationPot pot) => pot == AllocationPot.Base ? "base amount" : "per-pupil share";

    private void Touch(string actor, DateTimeOffset now) => (UpdatedBy, UpdatedAt) = (actor, now);
}

/// <summary>
/// A programme's allocations as one versioned thing: every change to any of them touches this row, so its xmin is the ETag a
/// distribution is replaced against (If-Match), and two writers of one programme's allocations cannot interleave unnoticed.
/// </summary>
public sealed class AllocationSet
{
    private AllocationSet()
    {
    }

    public string ProgrammeCode { get; private set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = string.Empty;
    public uint Version { get; private set; }

    internal void Touch(string actor, DateTimeOffset now) => (UpdatedBy, UpdatedAt) = (actor, now);
}

internal sealed class AllocationConfiguration : IEntityTypeConfiguration<Allocation>
{
    public void Configure(EntityTypeBuilder<Allocation> allocation)
    {
        allocation.ToTable("allocations");
        allocation.HasKey(a => new { a.ProgrammeCode, a.SchoolId });
        allocation.HasIndex(a => a.SchoolId);
        allocation.Property(a => a.BaseAmount).HasPrecision(14, 2);
        allocation.Property(a => a.PerPupilShare).HasPrecision(14, 2);
        allocation.Ignore(a => a.Total);
    }
}

internal sealed class AllocationSetConfiguration : IEntityTypeConfiguration<AllocationSet>
{
    public void Configure(EntityTypeBuilder<AllocationSet> set)
    {
        set.ToTable("allocation_sets");
        set.HasKey(s => s.ProgrammeCode);
    }
}

internal static class AllocationSets
{
    /// <summary>The programme's set, tracked; created on first use (a programme's rules may gain a base amount or per-pupil share later).</summary>
    public static async Task<AllocationSet> LoadAsync(FundingDbContext db, string programmeCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO allocation_sets (programme_code, updated_at, updated_by) VALUES ({programmeCode}, {now}, 'system')
            ON CONFLICT (programme_code) DO NOTHING
            """, cancellationToken);
        return await db.Set<AllocationSet>().AsTracking().SingleAsync(s => s.ProgrammeCode == programmeCode, cancellationToken);
    }
}
