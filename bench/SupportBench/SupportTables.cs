using Npgsql;

namespace Mep.Bench.Support;

/// <summary>The Support service's tables, written and read directly: the bench's schools and the row counts it checks.</summary>
internal static class SupportTables
{
    /// <summary>What opening one ticket writes, table by table (the outbox is the platform's, the rest Support's).</summary>
    public static readonly string[] WrittenPerTicket =
        ["tickets", "ticket_history", "ticket_clock_segments", "ticket_sla_timers", "idempotent_requests", "outbox_messages"];

    /// <summary>
    /// Makes the schools known as the school directory would from Schools' SchoolRegistered events. Written directly, not
    /// replayed through the broker: the directory's consumers are not what this bench measures, and the rows are the same.
    /// At MEP standard, so the default routing sends every bench ticket to the service desk (level 1), never to the contractor.
    /// </summary>
    public static async Task AddKnownSchoolsAsync(string connectionString, IReadOnlyList<BenchSchool> schools)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO known_schools (school_id, number, name, type, district, at_mep_standard, mep_standard_since, as_of)
            SELECT id, number, name, 'GY', district, true, DATE '2023-08-01', now()
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS s(id, number, name, district)
            """, connection)
        {
            Parameters =
            {
                new() { Value = schools.Select(s => s.Id).ToArray() },
                new() { Value = schools.Select(s => s.Number).ToArray() },
                new() { Value = schools.Select(s => s.Name).ToArray() },
                new() { Value = schools.Select(s => s.District).ToArray() },
            },
        };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The rows in each table a ticket writes, in one snapshot.</summary>
    public static async Task<Dictionary<string, long>> CountWrittenRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT " + string.Join(", ", WrittenPerTicket.Select(table => $"(SELECT count(*) FROM {table})")), connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return WrittenPerTicket.Select((table, i) => (table, count: reader.GetInt64(i))).ToDictionary(t => t.table, t => t.count);
    }
}
