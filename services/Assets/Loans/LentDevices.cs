using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Loans;

/// <summary>
/// A device out on a loan follows its loan: it is reported lost or stolen through the loan (which records the report), goes to
/// another school with the loan's transfer, and leaves the inventory only once it is back. A status change or a move through the
/// device's own endpoints that would leave an open loan for a device no longer there is refused; the loan's endpoints say how instead.
/// </summary>
public static class LentDevices
{
    /// <summary>What a lent device may still become by the device's own endpoints: in service, or in repair (its loan stays open).</summary>
    public static bool MayBecome(DeviceStatus to) => to is DeviceStatus.InService or DeviceStatus.InRepair;

    /// <summary>The open loan of each of the devices that is lent out, by device.</summary>
    public static Task<Dictionary<Guid, Guid>> OpenLoansAsync(AssetsDbContext db, IReadOnlyCollection<Guid> deviceIds, CancellationToken cancellationToken) =>
        db.Set<Loan>().Where(l => deviceIds.Contains(l.DeviceId) && l.State == LoanState.Out)
            .ToDictionaryAsync(l => l.DeviceId, l => l.Id, cancellationToken);

    public static string WhyNot(Guid loanId, DeviceStatus to) => to == DeviceStatus.Lost
        ? $"The device is lent out on loan {loanId}: report it lost or stolen through the loan (POST /api/assets/loans/{loanId}/lost)."
        : $"The device is lent out on loan {loanId}: take it back (POST /api/assets/loans/returns) before it becomes {DeviceRules.Name(to)}.";

    /// <exception cref="DomainRuleException"><c>device-on-loan</c> (a conflict with the loan's state).</exception>
    public static async Task EnsureMayBecomeAsync(AssetsDbContext db, Guid deviceId, DeviceStatus to, CancellationToken cancellationToken)
    {
        if (!MayBecome(to) && (await OpenLoansAsync(db, [deviceId], cancellationToken)).TryGetValue(deviceId, out var loan))
        {
            throw new DomainRuleException("device-on-loan", WhyNot(loan, to)) { IsStateConflict = true };
        }
    }

    /// <exception cref="DomainRuleException"><c>device-on-loan</c> when a lent device would leave its school without its loan.</exception>
    public static async Task EnsureMayMoveAsync(AssetsDbContext db, Device device, Guid toSchoolId, CancellationToken cancellationToken)
    {
        if (toSchoolId != device.SchoolId && (await OpenLoansAsync(db, [device.Id], cancellationToken)).TryGetValue(device.Id, out var loan))
        {
            throw new DomainRuleException("device-on-loan",
                $"The device is lent out on loan {loan}: when its borrower changes school, transfer the loan (POST /api/assets/loans/{loan}/transfer).")
            { IsStateConflict = true };
        }
    }
}
