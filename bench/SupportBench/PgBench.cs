using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Mep.Bench.Support;

/// <summary>What pgbench measured: its own tps (without connection set-up) and every transaction's latency from its log.</summary>
internal sealed record PgBenchRun(long Transactions, double TransactionsPerSecond, Latencies Latencies);

/// <summary>
/// PostgreSQL's own load generator (Debian installs it with the server) running a custom script with the same number of
/// clients as the API phase: the baseline of what the database does for the same rows without a service in between.
/// </summary>
internal static partial class PgBench
{
    /// <summary>
    /// The baseline: one ticket as the API opens it (every column the service fills, same kinds of values), its
    /// "opened" history line and its TicketOpened outbox row, in one transaction.
    /// </summary>
    public const string TicketScript = Variables + "BEGIN;\n" + InsertTicket + InsertHistory + InsertOutbox + "COMMIT;\n";

    /// <summary>
    /// Not a target, a yardstick: every row the API writes for a ticket, in its order (idempotency claim; ticket, clock segment,
    /// SLA timers and history; the stored answer, read back from the rows as the API reads its answer; the outbox row), one
    /// statement per table. What the rows themselves cost PostgreSQL, apart from how the service sends them.
    /// </summary>
    public const string EveryRowScript =
        Variables + "BEGIN;\n" + ClaimIdempotencyKey + InsertTicket + InsertClock + InsertHistory + StoreAnswer + InsertOutbox + "COMMIT;\n";

    // Sent as the service's driver sends them (Npgsql, no automatic preparation): the extended protocol with parameters, each
    // statement parsed and planned as it comes. Values later statements need come back with RETURNING into pgbench variables
    // (\gset); parameters are cast where PostgreSQL could not infer their type.
    private const string Variables =
        """
        \set school random(1, 100)
        \set category random(1, 3)
        \set impact random(1, 3)
        \set urgency random(1, 3)
        \set priority greatest(1, :impact + :urgency - 2)
        \set call random(1, 1000000000)

        """;

    private const string InsertTicket =
        """
        INSERT INTO tickets (id, number, school_id, reporter_name, reporter_email, reporter_phone, category, title, description, impact, urgency,
            priority, needs_on_site, status, level, group_code, routing_version, solved_by_school, escalated, waited_on_school, reopen_count,
            created_by, created_at, updated_at)
        VALUES (gen_random_uuid(), nextval('ticket_numbers'), md5('bench-school-' || :school::text)::uuid, 'Schulleitung Bench school ' || :school::text,
            'it' || :school::text || '@schule' || :school::text || '.example', '0511 ' || :call::text,
            (ARRAY['portal', 'accounts', 'mail'])[:category::int],
            'The school portal refuses the login of a whole class (call ' || :client_id::text || '-' || :call::text || ')',
            'Called in by the school''s IT coordinator, call ' || :client_id::text || '-' || :call::text || '. The school portal refuses '
                || 'the login of a whole class; it was still so after a restart of the affected devices, and the school''s own checklist '
                || '(level 0) did not help. About 30 people are affected.',
            (ARRAY['Low', 'Medium', 'High'])[:impact::int], (ARRAY['Low', 'Medium', 'High'])[:urgency::int],
            (ARRAY['P4', 'P3', 'P2', 'P1'])[:priority::int], false, 'New', 1, 'service-desk', 1, false, false, false, 0,
            'bench-pgbench-' || :client_id::text, now(), now())
        RETURNING id AS ticket_id, number AS ticket_number, school_id AS ticket_school, category AS ticket_category, priority AS ticket_priority
        \gset

        """;

    private const string InsertHistory =
        """
        INSERT INTO ticket_history (ticket_id, at, actor, change, field, from_value, to_value, note)
        VALUES (:ticket_id::uuid, now(), 'bench-pgbench-' || :client_id::text, 'opened', 'level', NULL, '1 (service-desk)', 'routing rules version 1');

        """;

    private const string InsertOutbox =
        """
        INSERT INTO outbox_messages (message_id, message_type, aggregate_id, body, created_at, attempts, next_attempt_at)
        VALUES (gen_random_uuid(), 'Mep.Contracts.Support.TicketOpened', :ticket_id::text,
            json_build_object('ticketId', :ticket_id::text, 'number', :ticket_number::bigint, 'schoolId', :ticket_school::text,
                'category', :ticket_category::text, 'priority', :ticket_priority::text, 'level', 1, 'group', 'service-desk', 'deviceId', NULL,
                'solvedBySchool', false, 'occurredAt', now())::text,
            now(), 0, now());

        """;

    private const string ClaimIdempotencyKey =
        """
        INSERT INTO idempotent_requests (caller, key, request_hash, status_code, response_body, created_at)
        VALUES ('bench-pgbench-' || :client_id::text, gen_random_uuid()::text, sha256(convert_to(:call::text, 'UTF8')), 0, '', now())
        ON CONFLICT DO NOTHING
        RETURNING caller AS idempotency_caller, key AS idempotency_key
        \gset

        """;

    /// <summary>
    /// The open level-1 segment and the ticket's timers row: four timers (total and level 1, first response and resolution) with
    /// their warning and due instants in one jsonb array, the next instants and the due times work lists read, as the service writes them.
    /// </summary>
    private const string InsertClock =
        """
        INSERT INTO ticket_clock_segments (ticket_id, sequence, level, running, started_at, ended_at)
        VALUES (:ticket_id::uuid, 1, 1, true, now(), NULL);
        INSERT INTO ticket_sla_timers (ticket_id, timers, next_warn_at, next_due_at, first_response_due_at, resolution_due_at, due_at)
        SELECT :ticket_id::uuid, jsonb_agg(jsonb_build_object('clock', clock, 'target', target, 'target_minutes', minutes, 'elapsed_minutes', 0,
                'calendar_code', 'office-hours', 'runs_in_school_holidays', false, 'auto_escalate', false, 'active', true,
                'warn_at', now() + interval '1 day', 'due_at', now() + interval '2 days', 'met_at', NULL, 'warned_at', NULL, 'breached_at', NULL,
                'no_due_time_reason', NULL)),
            now() + interval '1 day', now() + interval '2 days', now() + interval '2 days', now() + interval '2 days', now() + interval '2 days'
        FROM (VALUES ('level1', 'firstResponse', 240), ('level1', 'resolution', 2400), ('total', 'firstResponse', 480), ('total', 'resolution', 4800))
            AS t(clock, target, minutes);

        """;

    private const string StoreAnswer =
        """
        UPDATE idempotent_requests SET status_code = 201, location = '/api/support/tickets/' || :ticket_id::text,
            response_body = (SELECT json_build_object('ticket', row_to_json(t), 'sla', (SELECT json_agg(s) FROM sla_timers s WHERE s.ticket_id = t.id))::text
                             FROM tickets t WHERE t.id = :ticket_id::uuid)
        WHERE caller = :idempotency_caller::text AND key = :idempotency_key::text;

        """;

    /// <summary>The newest pgbench of the installed PostgreSQL versions (Debian keeps them under /usr/lib/postgresql/N/bin), else one on PATH.</summary>
    public static string Locate()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(directory => (Version: int.TryParse(Path.GetFileName(directory), out var v) ? v : 0, Path: Path.Combine(directory, "bin", "pgbench")))
                .Where(candidate => File.Exists(candidate.Path)).OrderByDescending(candidate => candidate.Version).Select(candidate => candidate.Path).FirstOrDefault()
            : null;
        return installed ?? "pgbench";
    }

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="clients"/> connections, each for <paramref name="transactionsPerClient"/>
    /// transactions. With <paramref name="logDirectory"/> every transaction's latency is logged there (pgbench -l) and read back.
    /// </summary>
    public static async Task<PgBenchRun> RunAsync(string connectionString, string script, int clients, int transactionsPerClient, string? logDirectory)
    {
        var scriptFile = Path.Combine(Path.GetTempPath(), $"mep-bench-support-{Guid.NewGuid():N}.pgbench");
        await File.WriteAllTextAsync(scriptFile, script);
        try
        {
            var server = new NpgsqlConnectionStringBuilder(connectionString);
            // Two pgbench threads: the machine the bench was made for has two cores, and the API's clients run in one process too.
            var start = new ProcessStartInfo(Locate(),
            [
                "--no-vacuum", "--protocol=extended", $"--client={clients}", "--jobs=2", $"--transactions={transactionsPerClient}",
                $"--file={scriptFile}", "--host", server.Host!, "--port", server.Port.ToString(CultureInfo.InvariantCulture),
                "--username", server.Username!, server.Database!,
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (logDirectory is not null)
            {
                Directory.CreateDirectory(logDirectory);
                start.ArgumentList.Insert(0, "--log");
                start.ArgumentList.Insert(1, $"--log-prefix={Path.Combine(logDirectory, "transactions")}");
            }

            start.Environment["PGPASSWORD"] = server.Password;
            using var process = Process.Start(start) ?? throw new BenchFailure("pgbench did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new BenchFailure($"pgbench exited with {process.ExitCode}: {await errors}{await output}");
            }

            var report = await output;
            var processed = ProcessedLine().Match(report);
            var tps = TpsLine().Match(report);
            if (!processed.Success || !tps.Success)
            {
                throw new BenchFailure($"pgbench's report is not in the expected form:\n{report}");
            }

            var done = long.Parse(processed.Groups["done"].Value, CultureInfo.InvariantCulture);
            if (done != long.Parse(processed.Groups["planned"].Value, CultureInfo.InvariantCulture))
            {
                throw new BenchFailure($"pgbench processed only {processed.Value}:\n{report}\n{await errors}");
            }

            var latencies = logDirectory is null ? new Latencies() : ReadLog(logDirectory);
            return new PgBenchRun(done, double.Parse(tps.Groups["tps"].Value, CultureInfo.InvariantCulture), latencies);
        }
        finally
        {
            File.Delete(scriptFile);
        }
    }

    /// <summary>
    /// pgbench's per-transaction log: one file per thread, a line per transaction
    /// "client_id transaction_no latency_us script_no epoch_s epoch_us"; the latency is the whole transaction, BEGIN to COMMIT.
    /// </summary>
    private static Latencies ReadLog(string logDirectory)
    {
        var latencies = new Latencies();
        foreach (var file in Directory.GetFiles(logDirectory, "transactions.*"))
        {
            foreach (var line in File.ReadLines(file))
            {
                var fields = line.Split(' ');
                if (fields.Length < 3 || !long.TryParse(fields[2], CultureInfo.InvariantCulture, out var microseconds))
                {
                    throw new BenchFailure($"{file}: a transaction that did not complete: {line}");
                }

                latencies.Add(microseconds / 1_000.0);
            }
        }

        return latencies;
    }

    [GeneratedRegex(@"number of transactions actually processed: (?<done>\d+)/(?<planned>\d+)")]
    private static partial Regex ProcessedLine();

    [GeneratedRegex(@"tps = (?<tps>[0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
