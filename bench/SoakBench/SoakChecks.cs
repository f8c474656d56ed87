using System.Text.Json;
using Npgsql;

namespace Mep.Bench.Soak;

/// <summary>Where each database stood when the soak began: what came after is the soak's.</summary>
public sealed record SoakBaseline(
    IReadOnlyDictionary<string, long> OutboxSequence, IReadOnlyDictionary<string, long> HangfireJobId, IReadOnlyDictionary<string, long> JobRuns,
    long StaffingTicketLoad);

/// <summary>What the checks found; a line per finding in <see cref="Problems"/>.</summary>
public sealed class SoakFindings
{
    public Dictionary<WriteKind, int> StoredOnce { get; } = [];
    public Dictionary<WriteKind, int> StoredUnacknowledged { get; } = [];
    public int Duplicates { get; set; }
    public int Losses { get; set; }
    public int EventsChecked { get; set; }
    public int DeliveriesChecked { get; set; }
    public List<string> Consumers { get; } = [];
    public int JobOccurrences { get; set; }
    public int JobRunsStartedAgain { get; set; }
    public long JobRunsRecorded { get; set; }
    public TimeSpan DrainedAfter { get; set; }
    public List<string> Problems { get; } = [];

    public void Duplicate(string what)
    {
        Duplicates++;
        Problems.Add("DUPLICATE " + what);
    }

    public void Loss(string what)
    {
        Losses++;
        Problems.Add("LOSS " + what);
    }
}

/// <summary>The checks, straight on the services' databases (mep_&lt;service&gt; of ./mep up's PostgreSQL).</summary>
public static class SoakChecks
{
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromMinutes(5);

    /// <summary>Each event type the soak's writes publish, with the services that must consume it (at least one consumer each).</summary>
    private static readonly Dictionary<string, string[]> ExpectedConsumers = new()
    {
        ["Mep.Contracts.Assets.DevicesRegistered"] = ["staffing", "funding", "support", "schools"],
        ["Mep.Contracts.Support.TicketOpened"] = ["staffing", "schools"],
    };

    public static async Task<SoakBaseline> JobOccurrencesBeforeAsync(SoakPlatform platform)
    {
        var outbox = new Dictionary<string, long>();
        var jobs = new Dictionary<string, long>();
        var runs = new Dictionary<string, long>();
        foreach (var service in SoakPlatform.Services)
        {
            outbox[service] = await ScalarAsync(platform, service, "SELECT coalesce(max(sequence), 0) FROM outbox_messages");
            jobs[service] = await ScalarAsync(platform, service, "SELECT coalesce(max(id), 0) FROM hangfire.job");
            runs[service] = await ScalarAsync(platform, service, "SELECT coalesce(sum(runs), 0)::bigint FROM scheduled_job_runs");
        }

        return new SoakBaseline(outbox, jobs, runs, await ScalarAsync(platform, "staffing", "SELECT coalesce(sum(tickets), 0)::bigint FROM ticket_load"));
    }

    /// <summary>Approved applications with money left, most left first: the soak draws a cent at a time from the first that takes it.</summary>
    public static async Task<IReadOnlyList<Guid>> DrawCandidatesAsync(SoakPlatform platform)
    {
        var rows = await RowsAsync(platform, "funding", """
            SELECT id::text FROM applications WHERE lower(status) IN ('approved', 'inprogress', 'completed') AND approved_amount - drawn_amount >= 100
            ORDER BY approved_amount - drawn_amount DESC LIMIT 20
            """);
        return rows.Select(r => Guid.Parse((string)r[0]!)).ToList();
    }

    public static async Task<SoakFindings> RunAsync(SoakPlatform platform, string run, SoakLoad load, SoakBaseline before)
    {
        var findings = new SoakFindings();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        // Drained: nothing left unpublished, and every consumer has every event of the soak (or the deadline passed: then what is
        // missing is reported as lost).
        while (true)
        {
            var unpublished = 0L;
            foreach (var service in SoakPlatform.Services)
            {
                unpublished += await ScalarAsync(platform, service, "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL");
            }

            var probe = new SoakFindings();
            if (unpublished == 0)
            {
                await CheckConsumptionAsync(platform, before, probe);
            }

            if ((unpublished == 0 && probe.Losses == 0) || waited.Elapsed > DrainDeadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        findings.DrainedAfter = waited.Elapsed;
        var acknowledged = load.Acknowledged.ToList();
        var unacknowledged = load.Unacknowledged.ToList();
        await CheckDevicesAsync(platform, run, before, acknowledged, unacknowledged, findings);
        await CheckTicketsAsync(platform, run, before, acknowledged, unacknowledged, findings);
        await CheckDrawsAsync(platform, run, before, acknowledged, unacknowledged, findings);
        await CheckConsumptionAsync(platform, before, findings);
        await CheckJobsAsync(platform, before, findings);
        return findings;
    }

    private static async Task CheckDevicesAsync(SoakPlatform platform, string run, SoakBaseline before, List<Acknowledged> acknowledged,
        List<Unacknowledged> unacknowledged, SoakFindings findings)
    {
        var prefix = $"SOAK{run}N".ToUpperInvariant();
        var stored = (await RowsAsync(platform, "assets", $"SELECT serial_number, id::text FROM devices WHERE serial_number LIKE '{prefix}%'"))
            .GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => g.Select(r => Guid.Parse((string)r[1]!)).ToList());
        // Each registration publishes one DevicesRegistered: a device in two events was registered twice.
        var events = await EventsAsync(platform, "assets", before, "Mep.Contracts.Assets.DevicesRegistered");
        var registrations = events.SelectMany(e => e.Body.GetProperty("devices").EnumerateArray())
            .Select(d => d.GetProperty("serialNumber").GetString()!).Where(s => s.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var deviceIds = new List<Guid>();
        foreach (var write in acknowledged.Where(a => a.Kind == WriteKind.Device))
        {
            var rows = stored.GetValueOrDefault(write.Marker) ?? [];
            var published = registrations.GetValueOrDefault(write.Marker);
            Judge(findings, WriteKind.Device, $"device {write.Marker} (key {write.Key})", rows.Count, published, rows.Contains(write.Id));
            deviceIds.Add(write.Id);
        }

        CountUnacknowledged(findings, WriteKind.Device, unacknowledged, stored.Keys);
        // The consumers' effect: Staffing counts each device once per school, Funding and Support know it once.
        var assetsPerSchool = await PerSchoolAsync(platform, "assets", "SELECT school_id::text, count(*) FROM devices WHERE id = ANY(@ids) GROUP BY school_id", deviceIds);
        var staffingPerSchool = await PerSchoolAsync(platform, "staffing",
            "SELECT school_id::text, count(*) FROM tracked_devices WHERE device_id = ANY(@ids) GROUP BY school_id", deviceIds);
        CompareCounts(findings, "Staffing's tracked devices", assetsPerSchool, staffingPerSchool);
    }

    private static async Task CheckTicketsAsync(SoakPlatform platform, string run, SoakBaseline before, List<Acknowledged> acknowledged,
        List<Unacknowledged> unacknowledged, SoakFindings findings)
    {
        var stored = (await RowsAsync(platform, "support", $"SELECT title, id::text FROM tickets WHERE title LIKE 'Soak soak-{run}-%'"))
            .GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => g.Select(r => Guid.Parse((string)r[1]!)).ToList());
        var opened = (await EventsAsync(platform, "support", before, "Mep.Contracts.Support.TicketOpened"))
            .GroupBy(e => e.Body.GetProperty("ticketId").GetGuid()).ToDictionary(g => g.Key, g => g.Count());
        var ticketIds = new List<Guid>();
        foreach (var write in acknowledged.Where(a => a.Kind == WriteKind.Ticket))
        {
            var rows = stored.GetValueOrDefault(write.Marker) ?? [];
            Judge(findings, WriteKind.Ticket, $"ticket '{write.Marker}'", rows.Count, opened.GetValueOrDefault(write.Id), rows.Contains(write.Id));
            ticketIds.Add(write.Id);
        }

        CountUnacknowledged(findings, WriteKind.Ticket, unacknowledged, stored.Keys);
        // Staffing's ticket load is a counter: each ticket opened adds one. Every ticket stored since the soak began (all the soak's)
        // must have added exactly one.
        var storedSince = stored.Values.Sum(v => v.Count);
        var load = await ScalarAsync(platform, "staffing", "SELECT coalesce(sum(tickets), 0)::bigint FROM ticket_load") - before.StaffingTicketLoad;
        if (load > storedSince)
        {
            findings.Duplicate($"Staffing's ticket load rose by {load} for {storedSince} tickets opened");
        }
        else if (load < storedSince)
        {
            findings.Loss($"Staffing's ticket load rose by {load} for {storedSince} tickets opened");
        }

        var counted = await ScalarAsync(platform, "staffing", "SELECT count(*) FROM counted_tickets WHERE ticket_id = ANY(@ids)", ticketIds);
        if (counted != ticketIds.Count)
        {
            findings.Loss($"Staffing counted {counted} of the {ticketIds.Count} acknowledged tickets");
        }
    }

    private static async Task CheckDrawsAsync(SoakPlatform platform, string run, SoakBaseline before, List<Acknowledged> acknowledged,
        List<Unacknowledged> unacknowledged, SoakFindings findings)
    {
        var stored = (await RowsAsync(platform, "funding", $"SELECT reference, id::text FROM draws WHERE reference LIKE 'soak-{run}-%'"))
            .GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => g.Select(r => Guid.Parse((string)r[1]!)).ToList());
        var drawn = (await EventsAsync(platform, "funding", before, "Mep.Contracts.Funding.FundsDrawn"))
            .GroupBy(e => e.Body.GetProperty("drawId").GetGuid()).ToDictionary(g => g.Key, g => g.Count());
        foreach (var write in acknowledged.Where(a => a.Kind == WriteKind.Draw))
        {
            var rows = stored.GetValueOrDefault(write.Marker) ?? [];
            Judge(findings, WriteKind.Draw, $"draw {write.Marker}", rows.Count, drawn.GetValueOrDefault(write.Id), rows.Contains(write.Id));
        }

        CountUnacknowledged(findings, WriteKind.Draw, unacknowledged, stored.Keys);
        // The application's drawn total is a running sum: a draw counted twice (or not at all) shows as a difference.
        var mismatched = await RowsAsync(platform, "funding", """
            SELECT a.id::text, a.drawn_amount, coalesce(sum(d.amount), 0) FROM applications a LEFT JOIN draws d ON d.application_id = a.id
            GROUP BY a.id, a.drawn_amount HAVING a.drawn_amount <> coalesce(sum(d.amount), 0)
            """);
        foreach (var row in mismatched)
        {
            findings.Duplicate($"application {row[0]}: drawn total {row[1]} but its draws sum to {row[2]}");
        }
    }

    /// <summary>
    /// Every event published since the soak began, and for each consumer that takes its type (found by the events it has in its
    /// inbox, and at least the expected ones): exactly one inbox row. The inbox's key makes a second row impossible; what can go wrong
    /// is a missing one.
    /// </summary>
    private static async Task CheckConsumptionAsync(SoakPlatform platform, SoakBaseline before, SoakFindings findings)
    {
        var events = new Dictionary<Guid, (string Service, string Type)>();
        foreach (var service in SoakPlatform.Services)
        {
            foreach (var row in await RowsAsync(platform, service,
                         $"SELECT message_id::text, message_type FROM outbox_messages WHERE sequence > {before.OutboxSequence[service]}"))
            {
                events[Guid.Parse((string)row[0]!)] = (service, (string)row[1]!);
            }
        }

        findings.EventsChecked = events.Count;
        var ids = events.Keys.ToList();
        foreach (var consumerService in SoakPlatform.Services)
        {
            var inbox = await RowsAsync(platform, consumerService,
                "SELECT consumer, message_id::text, count(*) FROM inbox_messages WHERE message_id = ANY(@ids) GROUP BY consumer, message_id", ids);
            var byConsumer = inbox.GroupBy(r => (string)r[0]!);
            var typesSeen = new HashSet<string>();
            foreach (var consumer in byConsumer)
            {
                var consumed = consumer.ToDictionary(r => Guid.Parse((string)r[1]!), r => (long)r[2]!);
                foreach (var type in consumed.Keys.Select(id => events[id].Type).Distinct())
                {
                    typesSeen.Add(type);
                    var expected = events.Where(e => e.Value.Type == type).Select(e => e.Key).ToList();
                    findings.DeliveriesChecked += expected.Count;
                    var label = $"{consumerService}: {consumer.Key} <- {type[(type.LastIndexOf('.') + 1)..]}";
                    if (!findings.Consumers.Contains(label))
                    {
                        findings.Consumers.Add(label);
                    }

                    foreach (var id in expected)
                    {
                        var times = consumed.GetValueOrDefault(id);
                        if (times == 0)
                        {
                            findings.Loss($"{events[id].Type} {id} from {events[id].Service} never consumed by {consumerService}'s {consumer.Key}");
                        }
                        else if (times > 1)
                        {
                            findings.Duplicate($"{events[id].Type} {id} consumed {times} times by {consumerService}'s {consumer.Key}");
                        }
                    }
                }
            }

            foreach (var (type, services) in ExpectedConsumers)
            {
                var published = events.Count(e => e.Value.Type == type);
                if (published > 0 && services.Contains(consumerService) && !typesSeen.Contains(type))
                {
                    findings.Loss($"{consumerService} consumed none of the {published} {type} events");
                }
            }
        }
    }

    /// <summary>
    /// Hangfire enqueues each occurrence of a recurring job as a job with its RecurringJobId and Time parameters: two jobs for one
    /// (job, time) would be an occurrence enqueued twice, and a job that succeeded twice an occurrence run twice. A job processed
    /// again without having succeeded is a run whose instance was killed under it, taken over by another (reported apart).
    /// </summary>
    private static async Task CheckJobsAsync(SoakPlatform platform, SoakBaseline before, SoakFindings findings)
    {
        foreach (var service in SoakPlatform.Services)
        {
            var occurrences = await RowsAsync(platform, service, $"""
                SELECT r.value, t.value, count(*), array_agg(j.id)::text FROM hangfire.job j
                JOIN hangfire.jobparameter r ON r.jobid = j.id AND r.name = 'RecurringJobId'
                JOIN hangfire.jobparameter t ON t.jobid = j.id AND t.name = 'Time'
                WHERE j.id > {before.HangfireJobId[service]} GROUP BY r.value, t.value
                """);
            findings.JobOccurrences += occurrences.Count;
            foreach (var row in occurrences.Where(r => (long)r[2]! > 1))
            {
                findings.Duplicate($"{service}: job {row[0]} at {row[1]} enqueued {row[2]} times (jobs {row[3]})");
            }

            var runs = await RowsAsync(platform, service, $"""
                SELECT s.jobid, count(*) FILTER (WHERE s.name = 'Processing'), count(*) FILTER (WHERE s.name = 'Succeeded') FROM hangfire.state s
                JOIN hangfire.jobparameter r ON r.jobid = s.jobid AND r.name = 'RecurringJobId'
                WHERE s.jobid > {before.HangfireJobId[service]} GROUP BY s.jobid
                """);
            foreach (var row in runs)
            {
                if ((long)row[2]! > 1)
                {
                    findings.Duplicate($"{service}: job run {row[0]} succeeded {row[2]} times");
                }

                if ((long)row[1]! > 1)
                {
                    findings.JobRunsStartedAgain++;
                    findings.Problems.Add($"note: {service}: job run {row[0]} was started {row[1]} times (its instance was killed during the run)");
                }
            }

            findings.JobRunsRecorded += await ScalarAsync(platform, service, "SELECT coalesce(sum(runs), 0)::bigint FROM scheduled_job_runs")
                                        - before.JobRuns[service];
        }
    }

    private static void Judge(SoakFindings findings, WriteKind kind, string what, int rows, int events, bool idMatches)
    {
        if (rows == 0)
        {
            findings.Loss($"{what}: acknowledged, not stored");
        }
        else if (rows > 1)
        {
            findings.Duplicate($"{what}: stored {rows} times");
        }
        else if (!idMatches)
        {
            findings.Duplicate($"{what}: stored under another id than the one acknowledged");
        }
        else
        {
            findings.StoredOnce[kind] = findings.StoredOnce.GetValueOrDefault(kind) + 1;
        }

        if (rows > 0 && events == 0)
        {
            findings.Loss($"{what}: stored, its event never written");
        }
        else if (events > 1)
        {
            findings.Duplicate($"{what}: its event written {events} times");
        }
    }

    /// <summary>A write the client gave up on may still have been stored (its answer lost): not a loss, counted apart.</summary>
    private static void CountUnacknowledged(SoakFindings findings, WriteKind kind, List<Unacknowledged> unacknowledged, IEnumerable<string> stored)
    {
        var markers = stored.ToHashSet();
        findings.StoredUnacknowledged[kind] = unacknowledged.Count(u => u.Kind == kind && markers.Contains(u.Marker));
    }

    private static void CompareCounts(SoakFindings findings, string what, Dictionary<string, long> expected, Dictionary<string, long> actual)
    {
        foreach (var school in expected.Keys.Union(actual.Keys))
        {
            var want = expected.GetValueOrDefault(school);
            var have = actual.GetValueOrDefault(school);
            if (have > want)
            {
                findings.Duplicate($"{what}: school {school} has {have}, Assets {want}");
            }
            else if (have < want)
            {
                findings.Loss($"{what}: school {school} has {have}, Assets {want}");
            }
        }
    }

    private sealed record OutboxEvent(Guid MessageId, JsonElement Body);

    private static async Task<List<OutboxEvent>> EventsAsync(SoakPlatform platform, string service, SoakBaseline before, string type)
    {
        var rows = await RowsAsync(platform, service,
            $"SELECT message_id::text, body FROM outbox_messages WHERE sequence > {before.OutboxSequence[service]} AND message_type = '{type}'");
        return rows.Select(r => new OutboxEvent(Guid.Parse((string)r[0]!), JsonDocument.Parse((string)r[1]!).RootElement.Clone())).ToList();
    }

    private static async Task<Dictionary<string, long>> PerSchoolAsync(SoakPlatform platform, string service, string sql, List<Guid> ids) =>
        (await RowsAsync(platform, service, sql, ids)).ToDictionary(r => (string?)r[0] ?? "(none)", r => (long)r[1]!);

    private static async Task<long> ScalarAsync(SoakPlatform platform, string service, string sql, List<Guid>? ids = null) =>
        Convert.ToInt64((await RowsAsync(platform, service, sql, ids))[0][0], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<object?[]>> RowsAsync(SoakPlatform platform, string service, string sql, List<Guid>? ids = null)
    {
        await using var connection = new NpgsqlConnection(platform.Database(service));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        if (ids is not null)
        {
            command.Parameters.AddWithValue("ids", ids.ToArray());
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
