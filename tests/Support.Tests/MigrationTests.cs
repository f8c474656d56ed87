using Mep.ServiceDefaults.Data;
using Mep.Support.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mep.Support.Tests;

public sealed class MigrationTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task The_ef_model_and_the_migrated_schema_agree()
    {
        await using var scope = api.Services.CreateAsyncScope();

        await SchemaAgreement.AssertModelMatchesDatabaseAsync(scope.ServiceProvider.GetRequiredService<SupportDbContext>());
    }

    [Fact]
    public async Task Free_text_assignees_and_members_from_before_the_people_directory_stay_readable_as_people()
    {
        await using var database = await PostgresDatabase.CreateAsync("before-people");
        var migrator = new SqlMigrator(NullLogger<SqlMigrator>.Instance);
        var migrations = SqlMigrator.ForService(typeof(SupportDbContext).Assembly, [Mep.ServiceDefaults.SchoolDirectory.SchoolDirectorySetup.ModuleName]);
        await migrator.MigrateAsync(database.ConnectionString, [.. migrations.TakeWhile(m => m.Version != "0005")], CancellationToken.None);
        await database.ExecuteAsync("""
            INSERT INTO group_members (group_code, subject) VALUES ('software-vendor', 'vendor-old');
            INSERT INTO tickets (id, number, school_id, reporter_name, reporter_email, category, title, description, impact, urgency, priority,
                needs_on_site, status, level, group_code, assignee, solved_by_school, escalated, waited_on_school, reopen_count,
                created_by, created_at, updated_at)
            VALUES (gen_random_uuid(), 1, gen_random_uuid(), 'Frau Schulz', 'it@gy.example', 'mail', 'Mail', 'Down', 'Medium', 'Medium', 'P3',
                false, 'InProgress', 1, 'service-desk', 'Herr Müller (Tel. 1234)', false, false, false, 0, 'agent', now(), now());
            """);

        await migrator.MigrateAsync(database.ConnectionString, migrations, CancellationToken.None);

        Assert.Equal("Herr Müller (Tel. 1234)", await database.ScalarAsync<string>("SELECT assignee FROM tickets"));
        Assert.Equal("false|migration 0005", await database.ScalarAsync<string>(
            "SELECT active || '|' || deactivated_by FROM people WHERE subject = 'Herr Müller (Tel. 1234)'"));
        Assert.Equal("true|software-vendor", await database.ScalarAsync<string>(
            "SELECT p.active || '|' || m.group_code FROM people p JOIN group_members m ON m.subject = p.subject WHERE p.subject = 'vendor-old'"));
        Assert.Equal("added|migration 0005", await database.ScalarAsync<string>(
            "SELECT change || '|' || actor FROM group_membership_changes WHERE subject = 'vendor-old'"));
    }
}
