using System.Globalization;
using MassTransit;
using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Repairs;

/// <summary>
/// Support sent a device away for repair: the device goes in repair (Staffing and Funding follow from its DeviceStatusChanged) and,
/// when its user needs one, a free loan device of the school is lent as the replacement.
/// </summary>
public sealed class DeviceSentForRepairConsumer(AssetsDbContext db, TimeProvider clock, ILogger<DeviceSentForRepairConsumer> logger)
    : IdempotentConsumer<DeviceSentForRepair, AssetsDbContext>(db, clock)
{
    protected override string ConsumerName => "assets/device-sent-for-repair";

    protected override async Task HandleAsync(DeviceSentForRepair message, ConsumeContext<DeviceSentForRepair> context)
    {
        var now = Clock.GetUtcNow();
        var (repair, device) = await RepairSteps.LoadAsync(Db, message.RepairCaseId, message.DeviceId, context.CancellationToken);
        var step = repair.Send(message.DeviceId, message.SchoolId, message.SentOn, message.ReplacementWanted, device, message.OccurredAt, now);
        RepairSteps.Record(Db, logger, repair, device, step,
            string.Create(CultureInfo.InvariantCulture, $"Repair case {message.RepairCaseId}: sent for repair on {message.SentOn:yyyy-MM-dd}."), now);
        if (repair.AwaitsReplacement && device is not null)
        {
            await ReplacementLoans.LendAsync(Db, repair, device, message.SentOn, now, logger, context.CancellationToken);
        }
    }
}

/// <summary>
/// Support closed a repair case: the device is in service again (repaired) or retired (written off), and the replacement lent for the
/// case comes back or stays with its user (<see cref="ReplacementLoans.TakeBackAsync"/>).
/// </summary>
public sealed class RepairCaseClosedConsumer(AssetsDbContext db, TimeProvider clock, ILogger<RepairCaseClosedConsumer> logger)
    : IdempotentConsumer<RepairCaseClosed, AssetsDbContext>(db, clock)
{
    protected override string ConsumerName => "assets/repair-case-closed";

    protected override async Task HandleAsync(RepairCaseClosed message, ConsumeContext<RepairCaseClosed> context)
    {
        var now = Clock.GetUtcNow();
        var (repair, device) = await RepairSteps.LoadAsync(Db, message.RepairCaseId, message.DeviceId, context.CancellationToken);
        var step = repair.Close(message.DeviceId, message.SchoolId, message.Outcome, message.ClosedOn, device, message.OccurredAt, now);
        RepairSteps.Record(Db, logger, repair, device, step, string.Create(CultureInfo.InvariantCulture,
            $"Repair case {message.RepairCaseId}: {(message.Outcome == RepairOutcome.WrittenOff ? "written off" : "repaired")} on {message.ClosedOn:yyyy-MM-dd}."),
            now);
        if (device is not null)
        {
            await ReplacementLoans.TakeBackAsync(Db, repair, device, message.ClosedOn,
                writtenOffNow: step.DeviceWas is not null && device.Status == DeviceStatus.Retired, now, context.CancellationToken);
        }
    }
}

/// <summary>What the two consumers write about a step of a case: the device's history line and event, or the reason nothing happened.</summary>
internal static class RepairSteps
{
    /// <summary>Support's repair cases change devices in Assets' history under this actor (a staff member's subject elsewhere).</summary>
    public const string Actor = "support-repair-case";

    /// <summary>The case's record, locked so that a send and a close handled at once apply one after the other, and its device if Assets has it.</summary>
    public static async Task<(DeviceRepair Repair, Device? Device)> LoadAsync(AssetsDbContext db, Guid repairCaseId, Guid deviceId,
        CancellationToken cancellationToken) =>
        (await ReplicaRows.LockOrAddAsync(db, repairCaseId, DeviceRepair.Track, cancellationToken),
            await db.Devices.AsTracking().FirstOrDefaultAsync(d => d.Id == deviceId, cancellationToken));

    public static void Record(AssetsDbContext db, ILogger logger, DeviceRepair repair, Device? device, RepairStep step, string note, DateTimeOffset now)
    {
        if (step.Skipped is { } rule)
        {
            // Logged, not thrown: a refusal would come back with every redelivery and end in the error queue, and nothing in Assets can
            // change what Support decided. The record keeps the reason beside the case (device_repairs.device_not_followed).
            // A case's own order (a repeated send, a close before its send) is expected news; a device gone or unknown is worth a look.
            logger.Log(rule.StartsWith("repair-", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning,
                "Repair case {RepairCaseId} of device {DeviceId}: the device's status did not follow ({Rule})", repair.RepairCaseId, repair.DeviceId, rule);
            return;
        }

        if (step.DeviceWas is { } from && device is not null)
        {
            db.DeviceHistory.Add(DeviceHistoryEntry.StatusChanged(device.Id, from, device.Status, Actor, note, now));
            db.DeviceStatusChanged(device, from, now);
        }
    }
}

public static class RepairConsumersRegistration
{
    public static IBusRegistrationConfigurator AddRepairConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<DeviceSentForRepairConsumer>();
        bus.AddConsumer<RepairCaseClosedConsumer>();
        return bus;
    }
}
