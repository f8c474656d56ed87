using Npgsql;
using NpgsqlTypes;

namespace Mep.Bench.Assets;

/// <summary>The Assets service's tables, written and read directly: the raw baseline, the bulk fill and the checks.</summary>
internal static class DevicesTable
{
    /// <summary>The columns and order the service's own registration COPY (services/Assets/Registration/DeviceCopy.cs) writes.</summary>
    private const string CopyDevices =
        """
        COPY devices (id, school_id, serial_number, status, status_changed_at, kind, manufacturer, model, room_id, mdm_state,
            mdm_enrolled_on, purchase_date, purchase_price, warranty_end, funding_source, useful_life_months, ownership,
            pupil_reference, subsidy_category, family_reference, sibling_order, contract_monthly_rate, contract_months,
            contract_provider, board_system_id, component_kind, created_at, updated_at) FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// Everything a registration stores apart from what differs by nature between two writes (ids and timestamps),
    /// hashed in serial order: equal fingerprints mean the API and the raw COPY stored the same devices.
    /// </summary>
    private const string Fingerprint =
        """
        SELECT count(*), md5(string_agg(concat_ws('|', school_id, serial_number, status, kind, manufacturer, model, room_id, mdm_state,
            mdm_enrolled_on, purchase_date, purchase_price, warranty_end, funding_source, useful_life_months, ownership, pupil_reference,
            subsidy_category, family_reference, sibling_order, contract_monthly_rate, contract_months, contract_provider, board_system_id,
            component_kind), E'\n' ORDER BY serial_number))
        FROM devices
        """;

    /// <summary>Makes the schools known as the school directory would from Schools' SchoolRegistered events.</summary>
    public static async Task AddKnownSchoolsAsync(string connectionString, IEnumerable<BenchSchool> schools)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY known_schools (school_id, number, name, type, district, at_mep_standard, mep_standard_since, as_of) FROM STDIN (FORMAT BINARY)");
        foreach (var school in schools)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(school.Id, NpgsqlDbType.Uuid);
            await writer.WriteAsync(school.Number, NpgsqlDbType.Text);
            await writer.WriteAsync(school.Name, NpgsqlDbType.Text);
            await writer.WriteAsync(school.Type.ToString(), NpgsqlDbType.Text);
            await writer.WriteAsync(school.District, NpgsqlDbType.Text);
            await writer.WriteAsync(true, NpgsqlDbType.Boolean);
            await writer.WriteAsync(new DateOnly(2023, 8, 1), NpgsqlDbType.Date);
            await writer.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
        }

        await writer.CompleteAsync();
    }

    /// <summary>
    /// One binary COPY of the devices into the devices table, with enum members stored by name as the service's
    /// EF mapping stores them. <paramref name="createdAt"/> gives each device its creation instant (now for a fresh
    /// registration, some day in the past for the established inventory).
    /// </summary>
    public static async Task CopyAsync(NpgsqlConnection connection, IEnumerable<BenchDevice> devices, Func<BenchDevice, DateTimeOffset> createdAt)
    {
        await using var writer = await connection.BeginBinaryImportAsync(CopyDevices);
        foreach (var d in devices)
        {
            var created = createdAt(d);
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.CreateVersion7(created), NpgsqlDbType.Uuid);
            await writer.WriteAsync(d.SchoolId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(d.SerialNumber, NpgsqlDbType.Text);
            await writer.WriteAsync(d.Status.ToString(), NpgsqlDbType.Text);
            await writer.WriteAsync(created, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(d.Kind.ToString(), NpgsqlDbType.Text);
            await writer.WriteAsync(d.Manufacturer, NpgsqlDbType.Text);
            await writer.WriteAsync(d.Model, NpgsqlDbType.Text);
            await writer.WriteNullAsync(); // room_id
            await writer.WriteAsync(d.MdmState.ToString(), NpgsqlDbType.Text);
            await WriteAsync(writer, d.MdmEnrolledOn, NpgsqlDbType.Date);
            await WriteAsync(writer, d.PurchaseDate, NpgsqlDbType.Date);
            await WriteAsync(writer, d.PurchasePrice, NpgsqlDbType.Numeric);
            await WriteAsync(writer, d.WarrantyEnd, NpgsqlDbType.Date);
            await WriteAsync(writer, d.FundingSource?.ToString(), NpgsqlDbType.Text);
            await WriteAsync(writer, d.UsefulLifeMonths, NpgsqlDbType.Integer);
            await WriteAsync(writer, d.Ownership?.ToString(), NpgsqlDbType.Text);
            await WriteAsync(writer, d.PupilReference, NpgsqlDbType.Text);
            await WriteAsync(writer, d.SubsidyCategory?.ToString(), NpgsqlDbType.Text);
            await WriteAsync(writer, d.FamilyReference, NpgsqlDbType.Text);
            await WriteAsync(writer, d.SiblingOrder, NpgsqlDbType.Integer);
            await WriteAsync(writer, d.ContractMonthlyRate, NpgsqlDbType.Numeric);
            await WriteAsync(writer, d.ContractMonths, NpgsqlDbType.Integer);
            await WriteAsync(writer, d.ContractProvider, NpgsqlDbType.Text);
            await writer.WriteNullAsync(); // board_system_id
            await writer.WriteNullAsync(); // component_kind
            await writer.WriteAsync(created, NpgsqlDbType.TimestampTz);
            await writer.WriteAsync(created, NpgsqlDbType.TimestampTz);
        }

        await writer.CompleteAsync();
    }

    public static async Task<(long Count, string Hash)> FingerprintAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(Fingerprint, connection) { CommandTimeout = 600 };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.IsDBNull(1) ? "-" : reader.GetString(1));
    }

    /// <summary>How many devices each school has that match a list filter: the totals the API must report, and the pages there are.</summary>
    public static async Task<Dictionary<Guid, int>> CountPerSchoolAsync(string connectionString, string where)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand($"SELECT school_id, count(*)::int FROM devices WHERE {where} GROUP BY school_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<Guid, int>();
        while (await reader.ReadAsync())
        {
            counts[reader.GetGuid(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) where T : struct =>
        value is { } v ? writer.WriteAsync(v, type) : writer.WriteNullAsync();

    private static Task WriteAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type) =>
        value is not null ? writer.WriteAsync(value, type) : writer.WriteNullAsync();

    /// <summary>The feed benchmark's baseline: one school's first 50 tablets by serial with every column, and their count, in one round trip.</summary>
    public static async Task<(long Count, List<string> Serials, TimeSpan Elapsed)> TabletsPageAsync(NpgsqlDataSource dataSource, Guid school)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    SELECT id, school_id, serial_number, kind, manufacturer, model, status, status_changed_at, room_id, mdm_state, mdm_enrolled_on,
                        purchase_date, purchase_price, warranty_end, funding_source, useful_life_months, ownership, subsidy_category, sibling_order,
                        contract_monthly_rate, contract_months, contract_provider, board_system_id, component_kind, created_at, updated_at
                    FROM devices WHERE school_id = $1 AND kind = 'Tablet' ORDER BY serial_number LIMIT 50
                    """) { Parameters = { new() { Value = school } } },
                new NpgsqlBatchCommand("SELECT count(*) FROM devices WHERE school_id = $1 AND kind = 'Tablet'") { Parameters = { new() { Value = school } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        var serials = new List<string>();
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            serials.Add((string)values[2]);
        }

        await reader.NextResultAsync();
        await reader.ReadAsync();
        var count = reader.GetInt64(0);
        return (count, serials, clock.Elapsed);
    }

    /// <summary>The $apply benchmark's baseline: devices per school and kind over the whole table, the first page in the feed's order.</summary>
    public static async Task<(List<(Guid School, string Kind, long Devices)> Groups, TimeSpan Elapsed)> CountsPerSchoolAndKindAsync(NpgsqlDataSource dataSource, int page)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var command = dataSource.CreateCommand("SELECT school_id, kind, count(*) FROM devices GROUP BY school_id, kind ORDER BY school_id, kind LIMIT $1");
        command.Parameters.Add(new() { Value = page });
        await using var reader = await command.ExecuteReaderAsync();
        var groups = new List<(Guid, string, long)>();
        while (await reader.ReadAsync())
        {
            groups.Add((reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return (groups, clock.Elapsed);
    }
}
