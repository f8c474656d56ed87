using Mep.Contracts.Funding;
using Mep.Funding.Data;
using Mep.Funding.Programmes;
using Mep.Funding.Reports;
using Mep.Jobs;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Funding.Deadlines;

/// <summary>
/// A warning given: this school had money open when this programme deadline came within this many days. The key makes a warning
/// exactly-once: a rerun, a restart or a second replica inserts nothing new and so publishes nothing again. A deadline moved to
/// another day warns afresh.
/// </summary>
public sealed class DeadlineWarning
{
    public string ProgrammeCode { get; private set; } = string.Empty;
    public string Deadline { get; private set; } = string.Empty;
    public DateOnly Day { get; private set; }
    public int WindowDays { get; private set; }
    public Guid SchoolId { get; private set; }
    public int DaysLeft { get; private set; }
    public decimal AmountAtRisk { get; private set; }
    public DateTimeOffset WarnedAt { get; private set; }
}

internal sealed class DeadlineWarningConfiguration : IEntityTypeConfiguration<DeadlineWarning>
{
    public void Configure(EntityTypeBuilder<DeadlineWarning> warning)
    {
        warning.ToTable("deadline_warnings");
        warning.HasKey(w => new { w.ProgrammeCode, w.Deadline, w.Day, w.WindowDays, w.SchoolId });
        warning.Property(w => w.AmountAtRisk).HasPrecision(14, 2);
        warning.HasIndex(w => w.WarnedAt);
        warning.HasIndex(w => new { w.SchoolId, w.WarnedAt });
        warning.HasIndex(w => new { w.ProgrammeCode, w.WarnedAt });
    }
}

public sealed record WarningsGiven(DateOnly Day, int Warnings);

/// <summary>
/// Finds the deadlines that came near with money open and warns once per deadline, window and school; the run's new warnings also go
/// to finance in one mail (<see cref="DeadlineWarningMail"/>), decided in the same transaction.
/// </summary>
public sealed class DeadlineWatch(FundingDbContext db, DeadlineWarningMail mail, TimeProvider clock)
{
    public async Task<WarningsGiven> WarnAsync(CancellationToken cancellationToken)
    {
        var today = BerlinDay.Today(clock);
        var now = clock.GetUtcNow();
        var candidates = new List<(string Programme, Risk Risk, int Window, Guid School)>();
        var schools = new Dictionary<Guid, string>();
        foreach (var programme in await ProgrammeCatalog.AllAsync(db, cancellationToken))
        {
            var windows = programme.Rules.WarningDaysBeforeDeadline;
            foreach (var row in await FundingLedger.RowsAsync(db, programme.Code, null, cancellationToken))
            {
                foreach (var risk in FundingLedger.RisksOf(row, programme.Rules, today).Where(r => !r.Lapsed))
                {
                    // Only the tightest window reached: a first run 20 days before a deadline warns once ("30 days"), not for 90 and 30.
                    if (windows.Where(w => risk.DaysLeft <= w).DefaultIfEmpty().Min() is var window and > 0)
                    {
                        candidates.Add((programme.Code, risk, window, row.SchoolId));
                        schools[row.SchoolId] = $"{row.Number} {row.Name}";
                    }
                }
            }
        }

        if (candidates.Count == 0)
        {
            return new WarningsGiven(today, 0);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var inserted = await db.Database.SqlQuery<InsertedWarning>($"""
                INSERT INTO deadline_warnings (programme_code, deadline, day, window_days, school_id, days_left, amount_at_risk, warned_at)
                SELECT c.*, {now}::timestamptz FROM unnest({candidates.Select(c => c.Programme).ToArray()}, {candidates.Select(c => c.Risk.Deadline).ToArray()},
                    {candidates.Select(c => c.Risk.Day).ToArray()}, {candidates.Select(c => c.Window).ToArray()}, {candidates.Select(c => c.School).ToArray()},
                    {candidates.Select(c => c.Risk.DaysLeft).ToArray()}, {candidates.Select(c => c.Risk.Amount).ToArray()}) AS c
                ON CONFLICT DO NOTHING
                RETURNING programme_code AS programme_code, deadline AS deadline, day AS day, school_id AS school_id, days_left AS days_left,
                    amount_at_risk AS amount_at_risk
                """).ToListAsync(cancellationToken);
            foreach (var w in inserted)
            {
                db.AddIntegrationEvent(new DeadlineApproaching(w.ProgrammeCode, w.Deadline, w.Day, w.DaysLeft, w.SchoolId, w.AmountAtRisk, now),
                    $"{w.ProgrammeCode}/{w.SchoolId}", now);
            }

            mail.Queue(db, [.. inserted.Select(w => new DeadlineWarningLine(w.ProgrammeCode, w.Deadline, w.Day, w.DaysLeft, schools[w.SchoolId], w.AmountAtRisk))],
                today, now);

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new WarningsGiven(today, inserted.Count);
        });
    }

    private sealed class InsertedWarning
    {
        public string ProgrammeCode { get; init; } = string.Empty;
        public string Deadline { get; init; } = string.Empty;
        public DateOnly Day { get; init; }
        public Guid SchoolId { get; init; }
        public int DaysLeft { get; init; }
        public decimal AmountAtRisk { get; init; }
    }
}

/// <summary>Every morning: deadline warnings (DeadlineApproaching) for money still open.</summary>
public sealed class DeadlineWarningJob(IServiceScopeFactory scopes, JobRunLog runs, ILogger<DeadlineWarningJob> logger) : RecurringJob(runs, logger)
{
    public const string Name = "funding-deadline-warnings";

    protected override async Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DeadlineWatch>().WarnAsync(cancellationToken);
    }
}
