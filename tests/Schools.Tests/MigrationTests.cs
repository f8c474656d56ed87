using System.Net;
using Mep.Schools.Data;
using Mep.ServiceDefaults.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mep.Schools.Tests;

public sealed class MigrationTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    private static readonly IReadOnlyList<SqlMigrator.Migration> Migrations = SqlMigrator.ForService(typeof(SchoolsDbContext).Assembly, [Mep.Mail.MailSetup.Migrations]);

    [Fact]
    public async Task The_ef_model_and_the_migrated_schema_agree()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SchoolsDbContext>();

        await SchemaAgreement.AssertModelMatchesDatabaseAsync(db);
    }

    [Fact]
    public async Task Two_service_instances_starting_at_once_on_an_empty_database_both_come_up_and_migrate_once()
    {
        await using var database = await PostgresDatabase.CreateAsync("replicas", create: false);
        await using var first = SchoolsApi.OnSharedDatabase(database);
        await using var second = SchoolsApi.OnSharedDatabase(database);

        await Task.WhenAll(
            Task.Run(() => ((IAsyncLifetime)first).InitializeAsync()),
            Task.Run(() => ((IAsyncLifetime)second).InitializeAsync()));

        await Eventually.AssertAsync(async () => (await first.CreateClient().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "first replica ready");
        await Eventually.AssertAsync(async () => (await second.CreateClient().GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "second replica ready");
        Assert.Equal(Migrations.Count, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Eight_migrators_racing_on_one_empty_database_apply_each_migration_exactly_once()
    {
        await using var database = await PostgresDatabase.CreateAsync("race", create: false);
        var migrator = new SqlMigrator(NullLogger<SqlMigrator>.Instance);

        var applied = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => migrator.MigrateAsync(database.ConnectionString, Migrations, CancellationToken.None))));

        Assert.Equal(Migrations.Select(m => m.Version).Order(StringComparer.Ordinal), applied.SelectMany(versions => versions).Order(StringComparer.Ordinal));
        Assert.Equal(1, applied.Count(versions => versions.Count > 0));
    }

    [Fact]
    public async Task A_migration_changed_after_it_was_applied_stops_the_start()
    {
        await using var database = await PostgresDatabase.CreateAsync("edited");
        var migrator = new SqlMigrator(NullLogger<SqlMigrator>.Instance);
        var original = new SqlMigrator.Migration("0001", "first", "CREATE TABLE t (id int)");
        await migrator.MigrateAsync(database.ConnectionString, [original], CancellationToken.None);

        var edited = new SqlMigrator.Migration("0001", "first", "CREATE TABLE t (id bigint)");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            migrator.MigrateAsync(database.ConnectionString, [edited], CancellationToken.None));

        Assert.Contains("0001_first was changed after it was applied", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_migration_whose_comments_were_reworded_naming_its_earlier_checksum_is_taken_as_applied()
    {
        await using var database = await PostgresDatabase.CreateAsync("reworded");
        var migrator = new SqlMigrator(NullLogger<SqlMigrator>.Instance);
        var original = new SqlMigrator.Migration("0001", "first", "-- Old wording.\nCREATE TABLE t (id int)");
        await migrator.MigrateAsync(database.ConnectionString, [original], CancellationToken.None);

        var reworded = new SqlMigrator.Migration("0001", "first",
            $"-- New wording.\n-- Earlier checksum (comments reworded): {original.Checksum}\nCREATE TABLE t (id int)");
        var applied = await migrator.MigrateAsync(database.ConnectionString, [reworded], CancellationToken.None);

        Assert.Empty(applied);
        Assert.Equal(reworded.Checksum, await database.ScalarAsync<string>("SELECT checksum FROM schema_migrations WHERE version = '0001'"));
    }

    [Fact]
    public async Task A_migration_that_fails_leaves_nothing_half_applied()
    {
        await using var database = await PostgresDatabase.CreateAsync("failing");
        var migrator = new SqlMigrator(NullLogger<SqlMigrator>.Instance);
        var broken = new SqlMigrator.Migration("0001", "broken", "CREATE TABLE half (id int); SELECT * FROM no_such_table;");

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => migrator.MigrateAsync(database.ConnectionString, [broken], CancellationToken.None));

        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'"));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }
}
