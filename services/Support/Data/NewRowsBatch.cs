using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

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
        db.ChangeTracker.Entries().All(entry => entry.State == EntityState.Added && InsertOf(db, entry.Metadata) is not null);

    /// <summary>
    /// Inserts every tracked entity (see <see cref="CanSave"/>), principals before their dependents, then stops tracking them.
    /// A refusal by PostgreSQL comes as a <see cref="DbUpdateException"/>, as from SaveChanges.
    /// </summary>
    public static async Task SaveAsync(DbContext db, CancellationToken cancellationToken)
    {
        var entries = db.ChangeTracker.Entries().ToList();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var entry in PrincipalsFirst(entries))
            {
                batch.BatchCommands.Add(InsertOf(db, entry.Metadata)!.Command(entry));
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

    /// <summary>Rows of a type whose foreign keys point at another type of the batch come after that type's rows.</summary>
    private static IEnumerable<EntityEntry> PrincipalsFirst(List<EntityEntry> entries)
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

        return ordered.SelectMany(type => entries.Where(entry => entry.Metadata == type));
    }

    private static Insert? InsertOf(DbContext db, IEntityType type) => Inserts.GetOrAdd(type, Insert.For, db);

    /// <summary>One entity type's insert: its columns as EF maps them, the ones the database generates left out.</summary>
    private sealed class Insert(string sql, IReadOnlyList<IProperty> columns)
    {
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

                // Identity columns (history ids, outbox sequences) and xmin are the database's own.
                if (property.ValueGenerated == ValueGenerated.OnAddOrUpdate
                    || property.GetValueGenerationStrategy() is not Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.None)
                {
                    continue;
                }

                columns.Add(property);
            }

            var sql = db.GetService<ISqlGenerationHelper>();
            var names = columns.Select(property => sql.DelimitIdentifier(property.GetColumnName(store)!));
            var values = columns.Select((_, i) => $"${i + 1}");
            return new Insert(
                $"INSERT INTO {sql.DelimitIdentifier(table, type.GetSchema())} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)})",
                columns);
        }

        public NpgsqlBatchCommand Command(EntityEntry entry)
        {
            var command = new NpgsqlBatchCommand(sql);
            using var factory = new NpgsqlCommand();
            foreach (var property in columns)
            {
                // The provider's type mapping converts the value (enums to their names) and types the parameter, as SaveChanges does.
                var mapping = (RelationalTypeMapping)property.GetTypeMapping();
                command.Parameters.Add((NpgsqlParameter)mapping.CreateParameter(factory, string.Empty, entry.CurrentValues[property], property.IsNullable));
            }

            return command;
        }
    }
}
