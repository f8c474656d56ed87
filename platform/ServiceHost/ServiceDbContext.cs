using Mep.Messaging;
using Mep.SchoolDirectory;
using Microsoft.EntityFrameworkCore;

using Mep.ServiceDefaults.Data;

namespace Mep.ServiceHost;

/// <summary>
/// What every service's database context shares; each maps its own tables in <see cref="MapTables"/>. The schema itself comes
/// from the service's Migrations/*.sql. The rest of the conventions are the context's options, set once by
/// <see cref="ServiceDatabase.AddServiceDatabase{TContext}"/>: snake_case names, no tracking by default, no automatic savepoints.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The name of the row version an entity exposes as its ETag: a <c>uint</c> of this name is mapped to xmin.</summary>
    public const string RowVersion = "Version";

    /// <summary>Whether the service keeps the school directory (every service but Schools, which owns the schools).</summary>
    protected virtual bool KeepsSchoolDirectory => true;

    /// <summary>The service's own tables.</summary>
    protected abstract void MapTables(ModelBuilder modelBuilder);

    protected sealed override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and stable when members are added.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }

    protected sealed override void OnModelCreating(ModelBuilder modelBuilder)
    {
        MapTables(modelBuilder);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.FindProperty(RowVersion)?.ClrType == typeof(uint)).ToList())
        {
            modelBuilder.Entity(entity.ClrType).Property<uint>(RowVersion).IsPostgresRowVersion();
        }

        if (KeepsSchoolDirectory)
        {
            modelBuilder.AddSchoolDirectoryTables();
        }

        modelBuilder.AddMessagingTables();
    }
}
