using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Xunit;

namespace Mep.TestKit;

/// <summary>
/// Proves that a service's EF model and the schema its SQL migrations built agree: every mapped table,
/// column (type and nullability) and index exists, and no table exists that the model does not map.
/// </summary>
public static class SchemaAgreement
{
    private static readonly HashSet<string> SystemColumns = ["xmin"];

    public static async Task AssertModelMatchesDatabaseAsync(DbContext context, params string[] unmappedTables)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        await connection.OpenAsync();
        var columns = await ColumnsAsync(connection);
        var indexes = await IndexesAsync(connection);
        var problems = new List<string>();
        var mappedTables = new HashSet<string>(StringComparer.Ordinal);

        foreach (var entity in context.Model.GetEntityTypes())
        {
            // An entity read from a view is checked by its columns and types: a view has no indexes, and PostgreSQL reports
            // every view column as nullable.
            var isView = entity.GetTableName() is null;
            var table = entity.GetTableName() ?? entity.GetViewName()!;
            mappedTables.Add(table);
            var store = isView ? StoreObjectIdentifier.View(table, entity.GetViewSchema()) : StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store)!;
                if (SystemColumns.Contains(column))
                {
                    continue;
                }

                if (!columns.TryGetValue((table, column), out var actual))
                {
                    problems.Add($"{table}.{column} is mapped but does not exist.");
                    continue;
                }

                var expectedType = Normalize(property.GetColumnType(store));
                if (expectedType != actual.Type)
                {
                    problems.Add($"{table}.{column} is {actual.Type} in the database but {expectedType} in the model.");
                }

                if (!isView && property.IsColumnNullable(store) != actual.Nullable)
                {
                    problems.Add($"{table}.{column} is {(actual.Nullable ? "" : "not ")}nullable in the database but not so in the model.");
                }
            }

            foreach (var index in entity.GetIndexes())
            {
                var name = index.GetDatabaseName(store)!;
                if (!indexes.TryGetValue((table, name), out var unique))
                {
                    problems.Add($"Index {name} on {table} is in the model but not in the database.");
                }
                else if (unique != index.IsUnique)
                {
                    problems.Add($"Index {name} on {table} differs in uniqueness.");
                }
            }

            var mappedColumns = entity.GetProperties().Select(p => p.GetColumnName(store)).ToHashSet(StringComparer.Ordinal);
            foreach (var ((columnTable, column), _) in columns.Where(c => c.Key.Table == table))
            {
                if (!mappedColumns.Contains(column))
                {
                    problems.Add($"{columnTable}.{column} exists but is not mapped.");
                }
            }
        }

        foreach (var table in columns.Keys.Select(k => k.Table).Distinct())
        {
            if (!mappedTables.Contains(table) && !PlatformTables(table) && !unmappedTables.Contains(table))
            {
                problems.Add($"Table {table} exists but no entity maps it.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Tables the platform keeps without EF: migration history, job runs, the dashboard's Data Protection keys (Hangfire's are in their own schema).</summary>
    private static bool PlatformTables(string table) => table is "schema_migrations" or "scheduled_job_runs" or "data_protection_keys";

    private static string Normalize(string type) => type switch
    {
        "timestamp with time zone" => "timestamptz",
        "character varying" => "varchar",
        // A length the model declares (HasMaxLength) must be the column's too.
        _ when type.StartsWith("character varying(", StringComparison.Ordinal) => "varchar" + type["character varying".Length..],
        _ => type,
    };

    private static async Task<Dictionary<(string Table, string Column), (string Type, bool Nullable)>> ColumnsAsync(NpgsqlConnection connection)
    {
        var result = new Dictionary<(string, string), (string, bool)>();
        await using var command = new NpgsqlCommand("""
            SELECT table_name, column_name, data_type, udt_name, is_nullable = 'YES', numeric_precision, numeric_scale, character_maximum_length
            FROM information_schema.columns WHERE table_schema = 'public'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var dataType = reader.GetString(2);
            var type = dataType switch
            {
                "USER-DEFINED" => reader.GetString(3),
                // An array's udt_name is its element type's with a leading underscore ("_text"); EF writes "text[]".
                "ARRAY" => reader.GetString(3)[1..] + "[]",
                _ => Normalize(dataType),
            };
            if (type == "numeric" && !reader.IsDBNull(5))
            {
                // Money columns declare their precision; the model's numeric(12,2) must meet the same in the database.
                type = $"numeric({reader.GetInt32(5)},{reader.GetInt32(6)})";
            }

            if (type == "varchar" && !reader.IsDBNull(7))
            {
                type = $"varchar({reader.GetInt32(7)})";
            }

            result[(reader.GetString(0), reader.GetString(1))] = (type, reader.GetBoolean(4));
        }

        return result;
    }

    private static async Task<Dictionary<(string Table, string Index), bool>> IndexesAsync(NpgsqlConnection connection)
    {
        var result = new Dictionary<(string, string), bool>();
        await using var command = new NpgsqlCommand("""
            SELECT t.relname, i.relname, ix.indisunique
            FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[(reader.GetString(0), reader.GetString(1))] = reader.GetBoolean(2);
        }

        return result;
    }
}
