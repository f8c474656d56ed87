using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Mep.Messaging;

/// <summary>
/// A row a service keeps of another service's state, from its events (a school, a room, a device). Events come redelivered and
/// out of order; each says when its fact was true at the source, and the row keeps the time of the state it holds, so a fact
/// older than that changes nothing and every order of delivery ends in the newest state.
/// </summary>
public abstract class ReplicaRow
{
    /// <summary>When the state held here was true at its source; an older event arriving late does not overwrite it.</summary>
    public DateTimeOffset AsOf { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>
    /// Applies what a fact true at <paramref name="asOf"/> says, unless the row holds newer state. A fact as old as the row's
    /// state is applied (a redelivery, a republished state).
    /// </summary>
    public void ApplyIfNotOlder(DateTimeOffset asOf, Action apply)
    {
        if (AsOf <= asOf)
        {
            apply();
            AsOf = asOf;
        }
    }

    /// <summary>
    /// Applies a fact that stays true whatever arrives before or after it (a retirement, a dismantling); the row's time only
    /// moves forward, so an older fact arriving later still loses to it.
    /// </summary>
    public void ApplyFinal(DateTimeOffset asOf, Action apply)
    {
        apply();
        if (asOf > AsOf)
        {
            AsOf = asOf;
        }
    }
}

/// <summary>Finds the <see cref="ReplicaRow"/>s an event is about, locked for the consumer's transaction.</summary>
public static class ReplicaRows
{
    private static readonly ConcurrentDictionary<IEntityType, (string Sql, IClrPropertyGetter Id)> Locks = new();

    /// <summary>The row of <paramref name="id"/>, locked; or a new one (added to the context) that any fact overwrites.</summary>
    public static async Task<TRow> LockOrAddAsync<TRow>(DbContext db, Guid id, Func<Guid, TRow> create, CancellationToken cancellationToken)
        where TRow : ReplicaRow =>
        (await LockOrAddAsync(db, [id], create, cancellationToken))[id];

    /// <summary>
    /// The rows of the ids, locked in the order of their ids (FOR UPDATE), so that two events about one row handled at once
    /// (prefetch, replicas) compare and write one after the other. An id without a row gets a new one, added to the context, that
    /// any fact overwrites; two such inserts at once collide, and the consumer's retry applies the loser again.
    /// </summary>
    public static async Task<Dictionary<Guid, TRow>> LockOrAddAsync<TRow>(DbContext db, IReadOnlyCollection<Guid> ids, Func<Guid, TRow> create,
        CancellationToken cancellationToken) where TRow : ReplicaRow
    {
        var rows = await LockAsync<TRow>(db, ids, cancellationToken);
        foreach (var id in ids)
        {
            if (!rows.ContainsKey(id))
            {
                var row = create(id);
                db.Add(row);
                rows[id] = row;
            }
        }

        return rows;
    }

    /// <summary>The rows of the ids that exist, locked in the order of their ids (FOR UPDATE); ids without a row are left out.</summary>
    public static async Task<Dictionary<Guid, TRow>> LockAsync<TRow>(DbContext db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
        where TRow : ReplicaRow
    {
        var type = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not mapped.");
        var (sql, id) = Locks.GetOrAdd(type, LockOf, db);
        return await db.Set<TRow>().FromSqlRaw(sql, [ids.ToArray()]).AsTracking()
            .ToDictionaryAsync(row => (Guid)id.GetClrValue(row)!, cancellationToken);
    }

    /// <summary>The statement that locks a replica's rows by their ids, from the EF model (its table and its one key column).</summary>
    private static (string Sql, IClrPropertyGetter Id) LockOf(IEntityType type, DbContext db)
    {
        var table = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} has no table.");
        var key = type.FindPrimaryKey()?.Properties is [{ ClrType: var clrType } only] && clrType == typeof(Guid)
            ? only
            : throw new InvalidOperationException($"{type.DisplayName()} is not keyed by one id.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var column = sql.DelimitIdentifier(key.GetColumnName(StoreObjectIdentifier.Table(table, type.GetSchema()))!);
        return ($"SELECT * FROM {sql.DelimitIdentifier(table, type.GetSchema())} WHERE {column} = ANY({{0}}) ORDER BY {column} FOR UPDATE",
            key.GetGetter());
    }
}
