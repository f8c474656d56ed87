using Mep.Contracts.Assets;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Mep.Staffing.Counts;

/// <summary>
/// What one event says about one device. A part an event does not carry is null, and its time is <see cref="Unknown"/>, so it
/// never wins over a part that is known.
/// </summary>
public sealed record DeviceFact(
    Guid DeviceId, Guid SchoolId, DateTimeOffset SchoolAsOf, CountCategory? Category, DateTimeOffset ClassificationAsOf,
    DeviceStatus? Status, DateTimeOffset StatusAsOf)
{
    public static readonly DateTimeOffset Unknown = DateTimeOffset.MinValue;

    /// <summary>Everything an event with the full classification says (a registration, an update, a republished state).</summary>
    public static DeviceFact Full(Guid deviceId, Guid schoolId, DeviceClassification classification, DateTimeOffset asOf) =>
        new(deviceId, schoolId, asOf, CountCategories.Of(classification.Kind, classification.Ownership), asOf, classification.Status, asOf);

    public static DeviceFact StatusOnly(Guid deviceId, Guid schoolId, DeviceStatus status, DateTimeOffset asOf) =>
        new(deviceId, schoolId, asOf, null, Unknown, status, asOf);

    public static DeviceFact SchoolOnly(Guid deviceId, Guid schoolId, DateTimeOffset asOf) =>
        new(deviceId, schoolId, asOf, null, Unknown, null, Unknown);
}

/// <summary>What one event says about one board system: set up (at a school) or dismantled; both are final.</summary>
public sealed record BoardSystemFact(Guid BoardSystemId, Guid SchoolId, bool SetUp, bool Dismantled);

/// <summary>
/// Staffing's replica of the inventory and the counts derived from it. Every change runs inside the consumer's transaction:
/// new devices' rows are inserted and known ones locked first (so their school cannot change underneath), then every school
/// they were or are at (an advisory lock per school, in one order), then the facts are merged part by part, newest wins, and
/// the counts of those schools are recomputed from the replica. Recomputing instead of adding deltas means a count cannot drift: it is
/// always what the replica holds, whatever order events came in.
/// </summary>
public static class InventoryReplica
{
    public static async Task ApplyDevicesAsync(StaffingDbContext db, IReadOnlyList<DeviceFact> facts, IEnumerable<Guid> alsoRecount,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (facts.Count == 0)
        {
            return;
        }

        // One fact per device: the newest of an event's facts about it (a batch never names a device twice, but be exact).
        var merged = facts.GroupBy(f => f.DeviceId).Select(g => g.OrderBy(f => f.SchoolAsOf).Last()).OrderBy(f => f.DeviceId).ToList();
        // Devices seen for the first time are inserted as they are, before any other device's row is read. Inserting first means
        // a row another event is creating at the same moment is waited for here and then read with its school; read before, it
        // would be missing, and the school that event put the device in would not be recounted after this event's part lands.
        var created = (await db.Database.SqlQueryRaw<Guid>($"""
            INSERT INTO tracked_devices (device_id, school_id, school_as_of, category, classification_as_of, status, status_as_of)
            SELECT * FROM unnest({FactColumns}) ORDER BY 1
            ON CONFLICT (device_id) DO NOTHING
            RETURNING device_id AS "Value"
            """, FactParameters(merged)).ToListAsync(cancellationToken)).ToHashSet();
        var known = merged.Where(f => !created.Contains(f.DeviceId)).ToList();
        var knownIds = known.Select(f => f.DeviceId).ToArray();
        var previousSchools = known.Count == 0 ? [] : await db.Database.SqlQuery<Guid>($"""
            SELECT school_id AS "Value" FROM tracked_devices WHERE device_id = ANY({knownIds}) AND school_id IS NOT NULL ORDER BY device_id FOR UPDATE
            """).ToListAsync(cancellationToken);
        var schools = previousSchools.Concat(merged.Select(f => f.SchoolId)).Concat(alsoRecount).ToHashSet();
        await LockSchoolsAsync(db, schools, cancellationToken);

        if (known.Count > 0)
        {
            await db.Database.ExecuteSqlRawAsync($"""
                UPDATE tracked_devices AS t SET
                    school_id = CASE WHEN e.school_as_of >= t.school_as_of THEN e.school_id ELSE t.school_id END,
                    school_as_of = greatest(t.school_as_of, e.school_as_of),
                    category = CASE WHEN e.classification_as_of >= t.classification_as_of AND e.category IS NOT NULL THEN e.category ELSE t.category END,
                    classification_as_of = greatest(t.classification_as_of, e.classification_as_of),
                    status = CASE WHEN e.status_as_of >= t.status_as_of AND e.status IS NOT NULL THEN e.status ELSE t.status END,
                    status_as_of = greatest(t.status_as_of, e.status_as_of)
                FROM unnest({FactColumns}) AS e(device_id, school_id, school_as_of, category, classification_as_of, status, status_as_of)
                WHERE t.device_id = e.device_id
                """, FactParameters(known), cancellationToken);
        }

        await RecountAsync(db, schools, now, cancellationToken);
    }

    public static async Task ApplyBoardSystemsAsync(StaffingDbContext db, IReadOnlyList<BoardSystemFact> facts, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (facts.Count == 0)
        {
            return;
        }

        // One fact per system: a repeated id in one statement would be "cannot affect row a second time". Set up and dismantled add up.
        var ordered = facts.GroupBy(f => f.BoardSystemId)
            .Select(g => g.First() with { SetUp = g.Any(f => f.SetUp), Dismantled = g.Any(f => f.Dismantled) })
            .OrderBy(f => f.BoardSystemId).ToList();
        var ids = ordered.Select(f => f.BoardSystemId).ToArray();
        var previousSchools = await db.Database.SqlQuery<Guid>($"""
            SELECT school_id AS "Value" FROM tracked_board_systems WHERE board_system_id = ANY({ids}) AND school_id IS NOT NULL
            ORDER BY board_system_id FOR UPDATE
            """).ToListAsync(cancellationToken);
        var schools = previousSchools.Concat(ordered.Select(f => f.SchoolId)).ToHashSet();
        await LockSchoolsAsync(db, schools, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO tracked_board_systems AS t (board_system_id, school_id, set_up, dismantled)
            SELECT * FROM unnest(@ids, @schools, @set_up, @dismantled)
            ON CONFLICT (board_system_id) DO UPDATE SET
                school_id = excluded.school_id,
                set_up = t.set_up OR excluded.set_up,
                dismantled = t.dismantled OR excluded.dismantled
            """,
            [
                new NpgsqlParameter("ids", ids),
                new NpgsqlParameter("schools", ordered.Select(f => f.SchoolId).ToArray()),
                new NpgsqlParameter("set_up", ordered.Select(f => f.SetUp).ToArray()),
                new NpgsqlParameter("dismantled", ordered.Select(f => f.Dismantled).ToArray()),
            ], cancellationToken);
        await RecountAsync(db, schools, now, cancellationToken);
    }

    /// <summary>The facts as parallel arrays, in <c>tracked_devices</c>' column order, for <c>unnest</c>.</summary>
    private const string FactColumns = "@ids, @schools, @school_as_of, @categories, @classification_as_of, @statuses, @status_as_of";

    private static NpgsqlParameter[] FactParameters(IReadOnlyList<DeviceFact> facts) =>
    [
        new("ids", facts.Select(f => f.DeviceId).ToArray()),
        new("schools", facts.Select(f => f.SchoolId).ToArray()),
        Instants("school_as_of", facts.Select(f => f.SchoolAsOf)),
        Texts("categories", facts.Select(f => f.Category?.ToString())),
        Instants("classification_as_of", facts.Select(f => f.ClassificationAsOf)),
        Texts("statuses", facts.Select(f => f.Status?.ToString())),
        Instants("status_as_of", facts.Select(f => f.StatusAsOf)),
    ];

    /// <summary>Recomputes the counts of the given schools from the replica (their advisory locks must be held).</summary>
    public static Task RecountAsync(StaffingDbContext db, IReadOnlyCollection<Guid> schools, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(RecountSchoolsSql,
            [new NpgsqlParameter("schools", schools.ToArray()), new NpgsqlParameter("in_use", CountCategories.InUseStatuses), Instant("now", now)],
            cancellationToken);

    /// <summary>Schools recounted per transaction by <see cref="RecountAllAsync"/>: their locks fit PostgreSQL's lock table with room to spare.</summary>
    public const int RecountChunk = 500;

    /// <summary>
    /// Recomputes every school's counts from the replica, for a rebuild or to prove the counts right; schools without any device get
    /// zeros. In chunks, each under its schools' locks like an event, so a recount never writes over a count an event has just made.
    /// </summary>
    public static async Task<int> RecountAllAsync(StaffingDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var schools = await db.Database.SqlQuery<Guid>($"""
            SELECT school_id AS "Value" FROM known_schools UNION SELECT school_id FROM school_counts ORDER BY 1
            """).ToListAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        foreach (var chunk in schools.Chunk(RecountChunk))
        {
            await strategy.ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await LockSchoolsAsync(db, chunk, cancellationToken);
                await RecountAsync(db, chunk, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            });
        }

        return schools.Count;
    }

    private static readonly string RecountSchoolsSql = $"""
        INSERT INTO school_counts (school_id, {CountColumns.List}, updated_at)
        SELECT s.id, {CountColumns.Each((category, column) => $"coalesce({(category == CountCategory.BoardSystems ? "b" : "d")}.{column}, 0)")}, @now
        FROM unnest(@schools) AS s(id)
        LEFT JOIN (
            SELECT school_id,
                {CountColumns.Each((category, column) => $"sum(n) FILTER (WHERE category = '{category}')::int AS {column}", CountCategories.Devices)}
            FROM (SELECT school_id, category, count(*) AS n FROM tracked_devices
                  WHERE school_id = ANY(@schools) AND status = ANY(@in_use) GROUP BY school_id, category) per_category
            GROUP BY school_id) d ON d.school_id = s.id
        LEFT JOIN (SELECT school_id, count(*)::int AS {CountColumns.Of(CountCategory.BoardSystems)} FROM tracked_board_systems
                   WHERE school_id = ANY(@schools) AND set_up AND NOT dismantled GROUP BY school_id) b ON b.school_id = s.id
        ON CONFLICT (school_id) DO UPDATE SET {CountColumns.Each((_, column) => $"{column} = excluded.{column}")}, updated_at = excluded.updated_at
        """;

    /// <summary>
    /// Serialises the events of a school (in every replica of the service) until the transaction ends. Taken in one order, and
    /// always after the rows they guard, so two events wait for each other instead of deadlocking; should PostgreSQL still find
    /// a deadlock, it aborts one side and the consumer's retry applies it again.
    /// </summary>
    private static Task<int> LockSchoolsAsync(StaffingDbContext db, IEnumerable<Guid> schools, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("""
            SELECT pg_advisory_xact_lock(k) FROM (SELECT hashtextextended(id::text, 8) AS k FROM unnest(@schools) AS id ORDER BY 1) ordered
            """, [new NpgsqlParameter("schools", schools.Distinct().ToArray())], cancellationToken);

    private static NpgsqlParameter Instants(string name, IEnumerable<DateTimeOffset> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = values.Select(v => v.ToUniversalTime()).ToArray() };

    private static NpgsqlParameter Instant(string name, DateTimeOffset value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value.ToUniversalTime() };

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
