using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Inventory;

/// <param name="Schools">Schools with at least one device or board system.</param>
/// <param name="Events">Outbox events written: a school's board systems in one, its devices in one per 5,000.</param>
public sealed record RepublishedInventory(int Schools, int Devices, int BoardSystems, int Events);

/// <summary>
/// Publishes the current state of every device (retired ones included) and every board system again, through the outbox, for a
/// service that rebuilt its replica. Built for the city's full inventory (millions of devices): one school at a time, its devices
/// read 5,000 at a time on the (school_id, created_at, id) list index, each chunk written as one event and committed on its own
/// with the change tracker cleared, so memory stays flat and no transaction grows with the inventory. A run that stops part-way
/// leaves committed chunks behind; running it again is safe, as consumers keep the newer state per device (AsOf).
/// </summary>
public sealed class InventoryRepublication(AssetsDbContext db, TimeProvider clock, ILogger<InventoryRepublication> logger)
{
    /// <summary>The contract's limit per <see cref="DeviceStatesRepublished"/>, the same as a registration batch's.</summary>
    public const int DevicesPerEvent = 5_000;

    public async Task<RepublishedInventory> RepublishAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (schools, devices, boardSystems, events) = (0, 0, 0, 0);
        Guid? previous = null;
        while (await NextSchoolAsync(previous, cancellationToken) is { } schoolId)
        {
            previous = schoolId;
            schools++;
            // Board systems first: a consumer then knows a system before it meets the components that name it.
            var systems = await db.BoardSystems.AsNoTracking().Where(b => b.SchoolId == schoolId).OrderBy(b => b.Id)
                .Select(b => new RepublishedBoardSystem(b.Id, b.RoomId, b.DismantledAt != null, b.UpdatedAt))
                .ToListAsync(cancellationToken);
            if (systems.Count > 0)
            {
                db.BoardSystemStatesRepublished(schoolId, systems, now);
                await CommitChunkAsync(cancellationToken);
                (boardSystems, events) = (boardSystems + systems.Count, events + 1);
            }

            DeviceCursor? after = null;
            while (await DeviceChunkAsync(schoolId, after, cancellationToken) is { Count: > 0 } chunk)
            {
                db.DeviceStatesRepublished(schoolId, chunk.ConvertAll(d => d.State), now);
                await CommitChunkAsync(cancellationToken);
                (devices, events) = (devices + chunk.Count, events + 1);
                after = chunk[^1].Cursor;
            }
        }

        logger.LogInformation("Inventory republished: {Schools} schools, {Devices} devices, {BoardSystems} board systems in {Events} events",
            schools, devices, boardSystems, events);
        return new RepublishedInventory(schools, devices, boardSystems, events);
    }

    private async Task CommitChunkAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The first school, or the next after <paramref name="after"/>, that has devices or board systems; each side is one index lookup.
    /// Two statements rather than "after IS NULL OR": a generic plan of that would scan the index from its start for every school.
    /// </summary>
    private async Task<Guid?> NextSchoolAsync(Guid? after, CancellationToken cancellationToken)
    {
        var next = after is { } previous
            ? db.Database.SqlQuery<Guid?>($"""
                SELECT least((SELECT school_id FROM devices WHERE school_id > {previous} ORDER BY school_id LIMIT 1),
                             (SELECT school_id FROM board_systems WHERE school_id > {previous} ORDER BY school_id LIMIT 1)) AS "Value"
                """)
            : db.Database.SqlQueryRaw<Guid?>("""
                SELECT least((SELECT school_id FROM devices ORDER BY school_id LIMIT 1),
                             (SELECT school_id FROM board_systems ORDER BY school_id LIMIT 1)) AS "Value"
                """);
        return await next.SingleAsync(cancellationToken);
    }

    private Task<List<DeviceRow>> DeviceChunkAsync(Guid schoolId, DeviceCursor? after, CancellationToken cancellationToken)
    {
        var devices = db.Devices.AsNoTracking().Where(d => d.SchoolId == schoolId);
        if (after is { } cursor)
        {
            devices = devices.Where(d => EF.Functions.GreaterThan(ValueTuple.Create(d.CreatedAt, d.Id), ValueTuple.Create(cursor.CreatedAt, cursor.Id)));
        }

        return devices.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).Take(DevicesPerEvent)
            .Select(d => new DeviceRow(
                new DeviceCursor(d.CreatedAt, d.Id),
                new RepublishedDevice(d.Id, d.RoomId, d.SerialNumber,
                    new DeviceClassification(d.Kind, d.Ownership, d.SubsidyCategory, d.BoardSystemId, d.ComponentKind, d.FundingSource, d.Status),
                    d.UpdatedAt,
                    Device.FinancialsOf(d.Kind, d.Ownership, d.PurchaseDate, d.PurchasePrice, d.UsefulLifeMonths, d.ContractMonthlyRate, d.ContractMonths,
                        d.ContractProvider),
                    new DeviceMake(d.Manufacturer, d.Model, d.WarrantyEnd))))
            .ToListAsync(cancellationToken);
    }

    private readonly record struct DeviceCursor(DateTimeOffset CreatedAt, Guid Id);

    private sealed record DeviceRow(DeviceCursor Cursor, RepublishedDevice State);
}

public static class InventoryRepublicationEndpoints
{
    public static RouteGroupBuilder MapInventoryRepublication(this RouteGroupBuilder group)
    {
        group.MapPost("/admin/inventory/republish", RepublishInventory).RequireAuthorization(PlatformRoles.Admin)
            .WithName(nameof(RepublishInventory))
            .WithSummary("Publish every device (retired ones included) and board system again, for a service that rebuilt its replica (admin).");
        return group;
    }

    public static async Task<Accepted<RepublishedInventory>> RepublishInventory(InventoryRepublication republication, CancellationToken cancellationToken) =>
        TypedResults.Accepted((string?)null, await republication.RepublishAsync(cancellationToken));
}
