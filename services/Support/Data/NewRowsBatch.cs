using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Mep.Support.Data;

/// <summary>
/// Stores what a context holds as new rows (every tracked entity Added) in one prepared batch, instead of through SaveChanges.
/// For a new ticket EF's update pipeline wrote the SQL of each of its nine rows anew, made their parameters and had Npgsql
/// parse the joined text again, every time: a quarter of the service's CPU per ticket. Here each entity type's insert is
/// made once, from the same EF model (tables, columns, value conversions, parameter types), and prepared on each connection
/// once (as <see cref="PreparedStatements"/> does, in a round trip without values). The batch is one implicit transaction:
/// PostgreSQL commits all of its rows or none.
/// </summary>
public static class NewRowsBatch
{
    private static readonly ConcurrentDictionary<IEntityType, Insert?> Inserts = new();

    /// <summary>Whether every tracked entity is new and of a type this can insert; otherwise use SaveChanges.</summary>
    public static bool CanSave(DbContext db) =>
        Tracked(db).All(entry => entry.State == EntityState.Added && InsertOf(db, entry.Metadata) is not null);

    /// <summary>
    /// Inserts every tracked entity (see <see cref="CanSave"/>), principals before their dependents, then stops tracking them.
    /// A refusal by PostgreSQL comes as a <see cref="DbUpdateException"/>, as from SaveChanges.
    /// </summary>
    public static async Task SaveAsync(DbContext db, CancellationToken cancellationToken)
    {
        var entries = Tracked(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var rows in PrincipalsFirst(entries))
            {
                // The rows of one type in one statement (a ticket's four SLA timers): one execution instead of four.
                foreach (var chunk in rows.Chunk(Insert.MaxRowsPerStatement))
                {
                    batch.BatchCommands.Add(InsertOf(db, chunk[0].Metadata)!.Command(chunk));
                }
            }

            await batch.PrepareAsync(cancellationToken);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException refused)
        {
            throw new DbUpdateException("PostgreSQL refused the new rows; none was stored.", refused);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The tracked entries, without detecting changes first (Entries() would, on every call): a new entity has nothing to detect,
    /// and one changed but not yet detected shows as Unchanged, not Added, so <see cref="CanSave"/> still leaves it to SaveChanges.
    /// </summary>
    private static List<EntityEntry> Tracked(DbContext db)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. db.ChangeTracker.Entries()];
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>The rows by type; a type whose foreign keys point at another type of the batch comes after that type.</summary>
    private static IEnumerable<EntityEntry[]> PrincipalsFirst(List<EntityEntry> entries)
    {
        var types = entries.Select(entry => entry.Metadata).Distinct().ToList();
        var ordered = new List<IEntityType>();
        while (ordered.Count < types.Count)
        {
            var next = types.FirstOrDefault(type => !ordered.Contains(type) && type.GetForeignKeys()
                .All(key => key.PrincipalEntityType == type || !types.Contains(key.PrincipalEntityType) || ordered.Contains(key.PrincipalEntityType)))
                ?? throw new InvalidOperationException("The new rows' foreign keys form a cycle; save them with SaveChanges.");
            ordered.Add(next);
        }

        return ordered.Select(type => entries.Where(entry => entry.Metadata == type).ToArray());
    }

    private static Insert? InsertOf(DbContext db, IEntityType type) => Inserts.GetOrAdd(type, Insert.For, db);

    /// <summary>One entity type's insert: its columns as EF maps them, the ones the database generates left out.</summary>
    private sealed class Insert(string table, IReadOnlyList<string> names, IReadOnlyList<IProperty> columns)
    {
        /// <summary>Rows in one statement at most: each row count is its own prepared statement, so there are few of them.</summary>
        public const int MaxRowsPerStatement = 8;

        private readonly string?[] _sql = new string?[MaxRowsPerStatement + 1];

        /// <returns>Null where a column's value would come from a default or a computation EF fills in: such a type needs SaveChanges.</returns>
        public static Insert? For(IEntityType type, DbContext db)
        {
            if (type.GetTableName() is not { } table || type.GetViewName() is not null || type.IsOwned() || type.GetDerivedTypes().Any())
            {
                return null;
            }

            var store = StoreObjectIdentifier.Table(table, type.GetSchema());
            var columns = new List<IProperty>();
            foreach (var property in type.GetProperties())
            {
                if (property.GetDefaultValueSql() is not null || property.GetComputedColumnSql() is not null || property.TryGetDefaultValue(out _))
                {
                    return null;
                }

                // Identity columns (history ids, outbox sequences) and xmin are the database's own; values from a sequence EF reads
                // (hi-lo) are not supported here.
                switch (property.GetValueGenerationStrategy())
                {
                    case NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.IdentityByDefaultColumn
                        or NpgsqlValueGenerationStrategy.SerialColumn:
                        continue;
                    case not NpgsqlValueGenerationStrategy.None:
                        return null;
                }

                if (property.ValueGenerated == ValueGenerated.OnAddOrUpdate)
                {
                    continue;
                }

                columns.Add(property);
            }

            var sql = db.GetService<ISqlGenerationHelper>();
            return new Insert(sql.DelimitIdentifier(table, type.GetSchema()),
                [.. columns.Select(property => sql.DelimitIdentifier(property.GetColumnName(store)!))], columns);
        }

        /// <param name="rows">1 to <see cref="MaxRowsPerStatement"/> entries of this type.</param>
        public NpgsqlBatchCommand Command(EntityEntry[] rows)
        {
            var command = new NpgsqlBatchCommand(Sql(rows.Length));
            using var factory = new NpgsqlCommand();
            foreach (var entry in rows)
            {
                foreach (var property in columns)
                {
                    // The provider's type mapping converts the value (enums to their names) and types the parameter, as SaveChanges does.
                    var mapping = (RelationalTypeMapping)property.GetTypeMapping();
                    command.Parameters.Add((NpgsqlParameter)mapping.CreateParameter(factory, string.Empty, entry.CurrentValues[property], property.IsNullable));
                }
            }

            return command;
        }

        private string Sql(int rows) => _sql[rows] ??=
            $"INSERT INTO {table} ({string.Join(", ", names)}) VALUES " + string.Join(", ", Enumerable.Range(0, rows).Select(row =>
                "(" + string.Join(", ", Enumerable.Range(row * columns.Count + 1, columns.Count).Select(parameter => $"${parameter}")) + ")"));
    }
}
