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
/// Stores new rows in one prepared batch, instead of through SaveChanges: the entities a context tracks as Added, and new
/// entities handed over without being tracked at all (a new ticket's own rows: attaching them to the change tracker was a
/// tenth of the service's CPU per ticket, for entities that are written once and never looked at again by the context).
/// For a new ticket EF's update pipeline wrote the SQL of each of its rows anew, made their parameters and had Npgsql
/// parse the joined text again, every time: a quarter of the service's CPU per ticket. Here each entity type's insert is
/// made once, from the same EF model (tables, columns, value conversions, parameter types), and prepared on each connection
/// once (as <see cref="PreparedStatements"/> does, in a round trip without values). The batch is one implicit transaction:
/// PostgreSQL commits all of its rows or none.
/// </summary>
public static class NewRowsBatch
{
    private static readonly ConcurrentDictionary<IEntityType, Insert?> Inserts = new();

    /// <summary>
    /// Whether every tracked entity is new and every row (tracked or handed over) of a type this can insert; otherwise add the
    /// rows to the context and use SaveChanges.
    /// </summary>
    public static bool CanSave(DbContext db, IReadOnlyCollection<object> untracked) =>
        Tracked(db).All(entry => entry.State == EntityState.Added && InsertOf(db, entry.Metadata) is not null)
        && untracked.All(row => db.Model.FindEntityType(row.GetType()) is { } type && InsertOf(db, type) is not null);

    /// <summary>
    /// Inserts every tracked entity and every untracked row (see <see cref="CanSave"/>), principals before their dependents, then
    /// stops tracking. A refusal by PostgreSQL comes as a <see cref="DbUpdateException"/>, as from SaveChanges.
    /// </summary>
    public static async Task SaveAsync(DbContext db, IReadOnlyCollection<object> untracked, CancellationToken cancellationToken)
    {
        var rows = Tracked(db).Select(entry => (entry.Metadata, entry.Entity))
            .Concat(untracked.Select(row => (db.Model.FindEntityType(row.GetType())!, row))).ToList();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var (type, entities) in PrincipalsFirst(rows))
            {
                // The rows of one type in one statement (a ticket's history lines): one execution instead of several.
                foreach (var chunk in entities.Chunk(Insert.MaxRowsPerStatement))
                {
                    batch.BatchCommands.Add(InsertOf(db, type)!.Command(chunk));
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
    private static IEnumerable<(IEntityType Type, object[] Entities)> PrincipalsFirst(List<(IEntityType Type, object Entity)> rows)
    {
        var types = rows.Select(row => row.Type).Distinct().ToList();
        var ordered = new List<IEntityType>();
        while (ordered.Count < types.Count)
        {
            var next = types.FirstOrDefault(type => !ordered.Contains(type) && type.GetForeignKeys()
                .All(key => key.PrincipalEntityType == type || !types.Contains(key.PrincipalEntityType) || ordered.Contains(key.PrincipalEntityType)))
                ?? throw new InvalidOperationException("The new rows' foreign keys form a cycle; save them with SaveChanges.");
            ordered.Add(next);
        }

        return ordered.Select(type => (type, rows.Where(row => row.Type == type).Select(row => row.Entity).ToArray()));
    }

    private static Insert? InsertOf(DbContext db, IEntityType type) => Inserts.GetOrAdd(type, Insert.For, db);

    /// <summary>One entity type's insert: its columns as EF maps them, the ones the database generates left out.</summary>
    private sealed class Insert(string table, IReadOnlyList<string> names, IReadOnlyList<IProperty> columns, IReadOnlyList<IClrPropertyGetter> values)
    {
        /// <summary>Rows in one statement at most: each row count is its own prepared statement, so there are few of them.</summary>
        public const int MaxRowsPerStatement = 8;

        private readonly string?[] _sql = new string?[MaxRowsPerStatement + 1];

        /// <returns>
        /// Null where a column's value would come from a default or a computation EF fills in, or lives only in the change tracker
        /// (a shadow property): such a type needs SaveChanges.
        /// </returns>
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

                // Values are read from the entity object; a shadow property's lives only in the change tracker.
                if (property.IsShadowProperty())
                {
                    return null;
                }

                columns.Add(property);
            }

            var sql = db.GetService<ISqlGenerationHelper>();
            return new Insert(sql.DelimitIdentifier(table, type.GetSchema()),
                [.. columns.Select(property => sql.DelimitIdentifier(property.GetColumnName(store)!))], columns,
                [.. columns.Select(property => property.GetGetter())]);
        }

        /// <param name="rows">1 to <see cref="MaxRowsPerStatement"/> entities of this type.</param>
        public NpgsqlBatchCommand Command(object[] rows)
        {
            var command = new NpgsqlBatchCommand(Sql(rows.Length));
            using var factory = new NpgsqlCommand();
            foreach (var entity in rows)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    // The provider's type mapping converts the value (enums to their names) and types the parameter, as SaveChanges does.
                    var mapping = (RelationalTypeMapping)columns[i].GetTypeMapping();
                    command.Parameters.Add((NpgsqlParameter)mapping.CreateParameter(factory, string.Empty, values[i].GetClrValue(entity),
                        columns[i].IsNullable));
                }
            }

            return command;
        }

        private string Sql(int rows) => _sql[rows] ??=
            $"INSERT INTO {table} ({string.Join(", ", names)}) VALUES " + string.Join(", ", Enumerable.Range(0, rows).Select(row =>
                "(" + string.Join(", ", Enumerable.Range(row * columns.Count + 1, columns.Count).Select(parameter => $"${parameter}")) + ")"));
    }
}
