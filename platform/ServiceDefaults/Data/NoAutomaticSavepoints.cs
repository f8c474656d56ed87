using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mep.ServiceDefaults.Data;

/// <summary>
/// EF Core sets a savepoint before every SaveChanges inside an explicit transaction, so that a failed save could be
/// rolled back alone and the transaction go on. No write here goes on after a failed save: a failure ends the whole
/// transaction, and the execution strategy retries it from the start. The savepoint was a round trip per save for nothing.
/// </summary>
internal sealed class NoAutomaticSavepoints : SaveChangesInterceptor
{
    public static readonly NoAutomaticSavepoints Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Disable(eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Disable(eventData);
        return ValueTask.FromResult(result);
    }

    private static void Disable(DbContextEventData eventData) => eventData.Context!.Database.AutoSavepointsEnabled = false;
}
