using Mep.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.ServiceDefaults.Tests;

/// <summary>The names a service's EF model gets from <see cref="ServiceDatabase"/>, as the SQL migrations spell them.</summary>
public sealed class SnakeCaseNamingTests
{
    [Fact]
    public void Tables_columns_keys_foreign_keys_and_indexes_are_snake_case_and_xmin_keeps_its_name()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Only the model is built: nothing connects.
        builder.Configuration["ConnectionStrings:Database"] = "Host=127.0.0.1;Database=naming";
        builder.AddServiceDatabase<NamingContext>();
        using var app = builder.Build();
        using var scope = app.Services.CreateScope();

        var tables = scope.ServiceProvider.GetRequiredService<NamingContext>().Model.GetRelationalModel().Tables.ToDictionary(t => t.Name);

        var years = tables["school_years"];
        Assert.Equal(["school_years", "schools"], tables.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["id", "mdm_enrolled_on", "mep_standard_joined_on", "postal_code", "school_id", "xmin"],
            years.Columns.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal("pk_school_years", years.PrimaryKey!.Name);
        Assert.Equal("fk_school_years_schools_school_id", Assert.Single(years.ForeignKeyConstraints).Name);
        Assert.Equal("ix_school_years_school_id_postal_code", Assert.Single(years.Indexes).Name);
    }

    private sealed class NamingContext(DbContextOptions<NamingContext> options) : DbContext(options)
    {
        public DbSet<School> Schools => Set<School>();

        public DbSet<SchoolYear> SchoolYears => Set<SchoolYear>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<SchoolYear>().HasOne<School>().WithMany().HasForeignKey(y => y.SchoolId);
            modelBuilder.Entity<SchoolYear>().HasIndex(y => new { y.SchoolId, y.PostalCode });
            modelBuilder.Entity<SchoolYear>().Property(y => y.Version).IsPostgresRowVersion();
        }
    }

    private sealed class School
    {
        public Guid Id { get; set; }
    }

    private sealed class SchoolYear
    {
        public Guid Id { get; set; }
        public Guid SchoolId { get; set; }
        public string PostalCode { get; set; } = string.Empty;
        public DateOnly MepStandardJoinedOn { get; set; }
        public DateOnly? MDMEnrolledOn { get; set; }
        public uint Version { get; set; }
    }
}
