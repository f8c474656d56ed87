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
        var migrations = SqlMigrator.ForService(typeof(SupportDbContext).Assembly, [Mep.SchoolDirectory.SchoolDirectorySetup.Migrations]);
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

    [Fact]
    public async Task Migration_0012_asks_assets_once_for_its_inventory_when_support_knew_devices_before_it_kept_their_make()
    {
        await using var database = await DevicesKnownBeforeAsync("0012", "before-device-facts", "OLD-DEVICE-1");

        Assert.Equal("Mep.Contracts.Replication.ReplicaResyncRequested", await database.ScalarAsync<string>("SELECT string_agg(message_type, ',') FROM outbox_messages"));
        // The relay publishes the stored JSON as it is: it must read as the event, its request id the message's id.
        var request = System.Text.Json.JsonSerializer.Deserialize<Mep.Contracts.Replication.ReplicaResyncRequested>(
            (await database.ScalarAsync<string>("SELECT body FROM outbox_messages"))!, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal((await database.ScalarAsync<Guid>("SELECT message_id FROM outbox_messages"), "support"), (request.RequestId, request.RequestedBy));
        Assert.InRange(request.OccurredAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Migration_0012_asks_nothing_of_assets_on_a_new_installation()
    {
        await using var database = await PostgresDatabase.CreateAsync("new-device-facts");
        var migrations = SqlMigrator.ForService(typeof(SupportDbContext).Assembly, [Mep.SchoolDirectory.SchoolDirectorySetup.Migrations]);

        await new SqlMigrator(NullLogger<SqlMigrator>.Instance).MigrateAsync(database.ConnectionString, migrations, CancellationToken.None);

        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task Migration_0013_asks_assets_for_its_inventory_when_a_device_row_never_got_its_registration()
    {
        await using var database = await DevicesKnownBeforeAsync("0013", "facts-time-lost", "OLD-DEVICE-2", "");

        Assert.Equal("Mep.Contracts.Replication.ReplicaResyncRequested", await database.ScalarAsync<string>("SELECT string_agg(message_type, ',') FROM outbox_messages"));
    }

    [Fact]
    public async Task Migration_0013_gives_a_device_row_with_its_serial_facts_as_old_as_its_state_and_asks_nothing()
    {
        await using var database = await DevicesKnownBeforeAsync("0013", "facts-time-kept", "OLD-DEVICE-3");

        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM known_devices WHERE facts_as_of = as_of"));
        Assert.Equal(0, await database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    /// <summary>
    /// A database migrated up to before <paramref name="migration"/>, holding one device row per serial ('' for a row whose registration
    /// was dropped), then migrated on.
    /// </summary>
    private static async Task<PostgresDatabase> DevicesKnownBeforeAsync(string migration, string name, params string[] serials)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        var migrator = new SqlMigrator(NullLogger<SqlMigrator>.Instance);
        var migrations = SqlMigrator.ForService(typeof(SupportDbContext).Assembly, [Mep.SchoolDirectory.SchoolDirectorySetup.Migrations]);
        await migrator.MigrateAsync(database.ConnectionString, [.. migrations.TakeWhile(m => m.Version != migration)], CancellationToken.None);
        foreach (var serial in serials)
        {
            await database.ExecuteAsync($"""
                INSERT INTO known_devices (device_id, school_id, serial_number, kind, ownership, retired, as_of)
                VALUES (gen_random_uuid(), gen_random_uuid(), '{serial}', 'Tablet', 'Teacher', false, now());
                """);
        }

        await migrator.MigrateAsync(database.ConnectionString, migrations, CancellationToken.None);
        return database;
    }

    [Fact]
    public async Task Timers_stored_as_rows_before_migration_0006_read_the_same_through_the_sla_timers_view()
    {
        await using var database = await MigratedWithTimerRowsAsync("before-timer-row");

        Assert.Equal(
            "level1|firstResponse|240|60.50|t|2026-12-07 09:00|2026-12-07 08:00|-|office-hours|f|t\n" +
            "level1|resolution|2400|60.50|t|2026-12-10 09:00|-|-|office-hours|f|t",
            await database.ScalarAsync<string>($"""
                SELECT string_agg(concat_ws('|', clock, target, target_minutes, elapsed_minutes, active, {Utc("due_at")}, {Utc("warned_at")},
                    {Utc("met_at")}, calendar_code, runs_in_school_holidays, auto_escalate), E'\n' ORDER BY clock, target)
                FROM sla_timers
                """));
    }

    [Fact]
    public async Task Migration_0006_gives_each_ticket_the_next_warning_and_due_instants_its_timers_still_wait_for()
    {
        await using var database = await MigratedWithTimerRowsAsync("before-timer-next");

        // The first response's warning was announced already; the resolution's still waits, as do both due instants.
        Assert.Equal("2026-12-09 09:00|2026-12-07 09:00",
            await database.ScalarAsync<string>($"SELECT {Utc("next_warn_at")} || '|' || {Utc("next_due_at")} FROM ticket_sla_timers"));
    }

    [Fact]
    public async Task Migration_0007_gives_tickets_opened_before_it_their_due_times_and_their_search_text()
    {
        await using var database = await PostgresDatabase.CreateAsync("before-work-lists");
        var migrator = new SqlMigrator(NullLogger<SqlMigrator>.Instance);
        var migrations = SqlMigrator.ForService(typeof(SupportDbContext).Assembly, [Mep.SchoolDirectory.SchoolDirectorySetup.Migrations]);
        await migrator.MigrateAsync(database.ConnectionString, [.. migrations.TakeWhile(m => m.Version != "0007")], CancellationToken.None);
        // The level's first response counts and comes first; the total's resolution was met, so the level's is the one owed.
        await database.ExecuteAsync("""
            INSERT INTO tickets (id, number, school_id, reporter_name, reporter_email, category, title, description, impact, urgency, priority,
                needs_on_site, status, level, group_code, solved_by_school, escalated, waited_on_school, reopen_count,
                created_by, created_at, updated_at)
            VALUES ('0193a000-0000-7000-8000-000000000007', 7, gen_random_uuid(), 'Frau Schulz', 'it@gy.example', 'printer', 'Drucker',
                'Der Toner des Druckers ist leer', 'Medium', 'Medium', 'P3', false, 'InProgress', 1, 'service-desk', false, false, false, 0,
                'agent', now(), now());
            INSERT INTO ticket_sla_timers (ticket_id, timers)
            VALUES ('0193a000-0000-7000-8000-000000000007', '[
                {"clock": "total", "target": "firstResponse", "active": true, "due_at": "2026-12-07T09:00:00Z"},
                {"clock": "level1", "target": "firstResponse", "active": true, "due_at": "2026-12-07T08:30:00Z"},
                {"clock": "total", "target": "resolution", "active": false, "due_at": "2026-12-07T10:00:00Z", "met_at": "2026-12-07T09:30:00Z"},
                {"clock": "level1", "target": "resolution", "active": true, "due_at": "2026-12-07T12:00:00Z"}]');
            """);

        await migrator.MigrateAsync(database.ConnectionString, migrations, CancellationToken.None);

        Assert.Equal("2026-12-07 08:30|2026-12-07 12:00|2026-12-07 08:30", await database.ScalarAsync<string>(
            $"SELECT {Utc("first_response_due_at")} || '|' || {Utc("resolution_due_at")} || '|' || {Utc("due_at")} FROM ticket_sla_timers"));
        Assert.Equal(7, await database.ScalarAsync<long>(
            "SELECT number FROM tickets WHERE search_vector @@ websearch_to_tsquery('german', 'Druckers Toner')"));
    }

    /// <summary>An instant as UTC minutes, whatever the session's time zone; "-" for none.</summary>
    private static string Utc(string column) => $"coalesce(to_char(timezone('UTC', {column}), 'YYYY-MM-DD HH24:MI'), '-')";

    /// <summary>A database at migration 0005 with one ticket and two timer rows (one warned), then migrated to the newest.</summary>
    private static async Task<PostgresDatabase> MigratedWithTimerRowsAsync(string name)
    {
        var database = await PostgresDatabase.CreateAsync(name);
        var migrator = new SqlMigrator(NullLogger<SqlMigrator>.Instance);
        var migrations = SqlMigrator.ForService(typeof(SupportDbContext).Assembly, [Mep.SchoolDirectory.SchoolDirectorySetup.Migrations]);
        await migrator.MigrateAsync(database.ConnectionString, [.. migrations.TakeWhile(m => m.Version != "0006")], CancellationToken.None);
        await database.ExecuteAsync("""
            INSERT INTO tickets (id, number, school_id, reporter_name, reporter_email, category, title, description, impact, urgency, priority,
                needs_on_site, status, level, group_code, solved_by_school, escalated, waited_on_school, reopen_count,
                created_by, created_at, updated_at)
            VALUES ('0193a000-0000-7000-8000-000000000001', 1, gen_random_uuid(), 'Frau Schulz', 'it@gy.example', 'mail', 'Mail', 'Down',
                'Medium', 'Medium', 'P3', false, 'InProgress', 1, 'service-desk', false, false, false, 0, 'agent', now(), now());
            INSERT INTO sla_timers (ticket_id, clock, target, target_minutes, elapsed_minutes, calendar_code, runs_in_school_holidays,
                auto_escalate, active, warn_at, due_at, met_at, warned_at, breached_at)
            VALUES ('0193a000-0000-7000-8000-000000000001', 'level1', 'firstResponse', 240, 60.5, 'office-hours', false, true, true,
                    '2026-12-07 08:00Z', '2026-12-07 09:00Z', NULL, '2026-12-07 08:00Z', NULL),
                   ('0193a000-0000-7000-8000-000000000001', 'level1', 'resolution', 2400, 60.5, 'office-hours', false, true, true,
                    '2026-12-09 09:00Z', '2026-12-10 09:00Z', NULL, NULL, NULL);
            """);
        await migrator.MigrateAsync(database.ConnectionString, migrations, CancellationToken.None);
        return database;
    }
}
