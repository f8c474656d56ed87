using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Mep.Support.Data;

/// <summary>
/// Prepares the statements of the ticket write path on each pooled connection, once, in a round trip of their own: the
/// inserts of a new ticket (ticket, history, clock, timers, idempotent answer, event) and the queries tagged with
/// <see cref="Tag"/>. Parsing and planning them again for every ticket was some 40 % of PostgreSQL's CPU per ticket.
/// <para>
/// Why this is safe where automatic preparation was not (<c>ServiceDatabase</c>, a NUL byte in a value poisoned pooled connections): automatic preparation
/// prepares a statement in the same round trip that binds its values, in place of an evicted one, and a value refused at
/// Bind (a NUL, 22021) left Npgsql's record of the connection's prepared statements out of step with the server. Here a
/// statement is prepared by <see cref="NpgsqlCommand.PrepareAsync"/>, which sends Parse and Describe without any values,
/// and nothing is ever evicted. A value can then only fail at the Bind of a statement that is prepared on both sides;
/// PostgreSQL keeps a prepared statement through errors and rollbacks, so both sides stay in step.
/// </para>
/// <para>
/// Only a bounded set of statements qualifies, so a connection never prepares without limit: an insert's text depends only
/// on its entity type (EF writes every column), and tagged queries are few and written on purpose. Updates (their text
/// depends on the columns changed), batches mixing inserts with anything else and every other query stay unprepared.
/// </para>
/// </summary>
public sealed class PreparedStatements : DbCommandInterceptor
{
    /// <summary>Tag (<c>TagWith</c>) of a query of the hot path that is worth preparing; EF writes it as a leading comment.</summary>
    public const string Tag = "prepared";

    private const string TagComment = "-- " + Tag;

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (command is NpgsqlCommand npgsql && Qualifies(eventData.CommandSource, npgsql.CommandText))
        {
            // A no-op without a round trip when every statement of the command is prepared on this connection already.
            await npgsql.PrepareAsync(cancellationToken);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (command is NpgsqlCommand npgsql && Qualifies(eventData.CommandSource, npgsql.CommandText))
        {
            await npgsql.PrepareAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>A tagged LINQ query, or a SaveChanges batch of nothing but inserts (never raw SQL, whose text may be anything).</summary>
    internal static bool Qualifies(CommandSource source, string sql)
    {
        if (source == CommandSource.LinqQuery)
        {
            return sql.StartsWith(TagComment, StringComparison.Ordinal);
        }

        if (source != CommandSource.SaveChanges)
        {
            return false;
        }

        var statements = sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return statements.Length > 0 && Array.TrueForAll(statements, statement => statement.StartsWith("INSERT INTO ", StringComparison.Ordinal));
    }
}
