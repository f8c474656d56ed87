using Mep.Mail;
using Mep.Messaging;
using Mep.SchoolDirectory;
using Microsoft.EntityFrameworkCore;

using Mep.ServiceDefaults.Data;

namespace Mep.ServiceHost;

/// <summary>
/// What every service's database context shares. Each feature maps its own tables with an <c>IEntityTypeConfiguration</c> beside
/// its types (picked up from the service's assembly, so features do not meet in one file); <see cref="MapTables"/> is for what has
/// no feature of its own, such as the replicated rows a service keeps. The schema itself comes
/// from the service's Migrations/*.sql. The rest of the conventions are the context's options, set once by
/// <see cref="ServiceDatabase.AddServiceDatabase{TContext}"/>: snake_case names, no tracking by default, no automatic savepoints.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The name of the row version an entity exposes as its ETag: a <c>uint</c> of this name is mapped to xmin.</summary>
    public const string RowVersion = "Version";

    /// <summary>
    /// Whether the service whose context this is keeps the school directory: every service but Schools, which owns the schools and
    /// says so by marking its context <see cref="ISchoolDirectorySource"/>. Read from the type, so that the model here and the
    /// service's registrations (AddPlatformService) follow the one declaration.
    /// </summary>
    public static bool KeepsSchoolDirectory(Type contextType) => !typeof(ISchoolDirectorySource).IsAssignableFrom(contextType);

    /// <summary>The service's tables that no feature folder maps (the features' configurations are applied after this).</summary>
    protected virtual void MapTables(ModelBuilder modelBuilder)
    {
    }

    protected sealed override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and stable when members are added.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }

    protected sealed override void OnModelCreating(ModelBuilder modelBuilder)
    {
        MapTables(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(GetType().Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.FindProperty(RowVersion)?.ClrType == typeof(uint)).ToList())
        {
            modelBuilder.Entity(entity.ClrType).Property<uint>(RowVersion).IsPostgresRowVersion();
        }

        if (KeepsSchoolDirectory(GetType()))
        {
            modelBuilder.AddSchoolDirectoryTables();
        }

        modelBuilder.AddMessagingTables();
        modelBuilder.AddMailTables();
    }
}

/// <summary>
/// Marks the context of the service the school directory is replicated from (Schools): it owns the schools and keeps no replica of
/// them, so neither its model nor its messaging has the directory's tables and consumers.
/// </summary>
public interface ISchoolDirectorySource;
