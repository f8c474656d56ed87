using Mep.Support.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Tickets;

/// <summary>
/// Hands out ticket numbers from blocks this replica takes from the sequence <c>ticket_numbers</c> (migration 0002):
/// one nextval per <see cref="BlockSize"/> tickets. Numbers are unique across replicas and rise within one; across
/// replicas and restarts they are not gapless, which a ticket number need not be.
/// </summary>
public sealed class TicketNumbers : IDisposable
{
    /// <summary>The sequence's INCREMENT BY: nextval returns the first number of a block of this many.</summary>
    public const int BlockSize = 20;

    private readonly SemaphoreSlim _taking = new(1, 1);
    private long _next;
    private long _end;

    /// <summary>The next number; takes a new block through <paramref name="db"/> when this one is used up.</summary>
    public async Task<long> NextAsync(SupportDbContext db, CancellationToken cancellationToken)
    {
        await _taking.WaitAsync(cancellationToken);
        try
        {
            if (_next == _end)
            {
                // Sequences are outside transactions: a block taken by a request that then rolls back stays taken.
                _next = await db.Database.SqlQuery<long>($"SELECT nextval('ticket_numbers') AS \"Value\"").SingleAsync(cancellationToken);
                _end = _next + BlockSize;
            }

            return _next++;
        }
        finally
        {
            _taking.Release();
        }
    }

    public void Dispose() => _taking.Dispose();
}
