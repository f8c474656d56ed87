using Mep.Jobs;
using Mep.Staffing.Calculation;
using Mep.Staffing.Counts;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Staffing.History;

/// <summary>A school's counts on a day, as the nightly snapshot took them.</summary>
public sealed class CountSnapshot : CountedDevices
{
    public DateOnly TakenOn { get; private set; }
    public Guid SchoolId { get; private set; }
    public bool AtMepStandard { get; private set; }
}

/// <summary>A school's exact FTE under a model (the version valid that day) on a day; only schools the model counts have a row.</summary>
public sealed class FteSnapshot
{
    public DateOnly TakenOn { get; private set; }
    public string ModelCode { get; private set; } = string.Empty;
    public int ModelVersion { get; private set; }
    public Guid SchoolId { get; private set; }
    public decimal Fte { get; private set; }
}

public sealed record SnapshotTaken(DateOnly TakenOn, int Schools, int Models, int FteRows);

/// <summary>Takes the day's snapshot; taking it again the same day replaces that day's rows, so a rerun after a failure is safe.</summary>
public sealed class StaffingSnapshots(StaffingDbContext db)
{
    private static readonly string SnapshotCountsSql = $"""
        INSERT INTO count_snapshots (taken_on, school_id, at_mep_standard, {CountColumns.List})
        SELECT @day, s.school_id, s.at_mep_standard, {CountColumns.Each((_, column) => $"coalesce(c.{column}, 0)")}
        FROM known_schools s LEFT JOIN school_counts c ON c.school_id = s.school_id
        ON CONFLICT (taken_on, school_id) DO UPDATE SET at_mep_standard = excluded.at_mep_standard,
            {CountColumns.Each((_, column) => $"{column} = excluded.{column}")}
        """;

    public async Task<SnapshotTaken> TakeAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var schools = await db.Database.ExecuteSqlRawAsync(SnapshotCountsSql, [new NpgsqlParameter("day", day)], cancellationToken);

            await db.Database.ExecuteSqlAsync($"DELETE FROM fte_snapshots WHERE taken_on = {day}", cancellationToken);
            var inputs = await StaffingInputs.SchoolsAsync(db, null, cancellationToken);
            var models = await db.StaffingModels.Include(m => m.Versions).ToListAsync(cancellationToken);
            var (rows, modelsTaken) = (0, 0);
            foreach (var model in models)
            {
                if (model.VersionOn(day) is not { } version)
                {
                    continue;
                }

                modelsTaken++;
                var counted = inputs.Where(s => version.Definition.Counts(s.Type, s.AtMepStandard)).ToList();
                var ftes = counted.Select(s => StaffingCalculator.Figure(version.Definition, [s]).Fte).ToArray();
                rows += await db.Database.ExecuteSqlRawAsync("""
                    INSERT INTO fte_snapshots (taken_on, model_code, model_version, school_id, fte)
                    SELECT @day, @model, @version, school, fte FROM unnest(@schools, @ftes) AS x(school, fte)
                    """,
                    [
                        new NpgsqlParameter("day", day), new NpgsqlParameter("model", model.Code), new NpgsqlParameter("version", version.Version),
                        new NpgsqlParameter("schools", counted.Select(s => s.SchoolId).ToArray()), new NpgsqlParameter("ftes", ftes),
                    ], cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new SnapshotTaken(day, schools, modelsTaken, rows);
        });
    }
}

/// <summary>Every night: the counts of every school and its FTE under every model, for trends.</summary>
public sealed class SnapshotJob(IServiceScopeFactory scopes, JobRunLog runs, ILogger<SnapshotJob> logger) : RecurringJob(runs, logger)
{
    public const string Name = "staffing-snapshot";

    protected override async Task RunAsync(JobOccurrence occurrence, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var today = BerlinDay.Today(scope.ServiceProvider.GetRequiredService<TimeProvider>());
        await scope.ServiceProvider.GetRequiredService<StaffingSnapshots>().TakeAsync(today, cancellationToken);
    }
}

internal sealed class CountSnapshotConfiguration : IEntityTypeConfiguration<CountSnapshot>
{
    public void Configure(EntityTypeBuilder<CountSnapshot> snapshot)
    {
        snapshot.ToTable("count_snapshots");
        snapshot.HasKey(s => new { s.TakenOn, s.SchoolId });
        snapshot.HasIndex(s => new { s.SchoolId, s.TakenOn });
    }
}

internal sealed class FteSnapshotConfiguration : IEntityTypeConfiguration<FteSnapshot>
{
    public void Configure(EntityTypeBuilder<FteSnapshot> snapshot)
    {
        snapshot.ToTable("fte_snapshots");
        snapshot.HasKey(s => new { s.TakenOn, s.ModelCode, s.SchoolId });
        snapshot.HasIndex(s => new { s.ModelCode, s.TakenOn });
        snapshot.HasIndex(s => new { s.SchoolId, s.TakenOn });
    }
}
