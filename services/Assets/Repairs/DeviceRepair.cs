using System.Text.Json.Serialization;
using Mep.Assets.Devices;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Assets.Repairs;

/// <summary>What became of the replacement a repair case's device user asked for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RepairReplacement>))]
public enum RepairReplacement
{
    /// <summary>A free loan device of the school is out to the user (<see cref="DeviceRepair.ReplacementLoanId"/>).</summary>
    Lent,

    /// <summary>No loan device was free for the user, or the device has no personal user to lend to.</summary>
    Unavailable,

    /// <summary>The user's own device came back repaired; the replacement came back to the school.</summary>
    Returned,

    /// <summary>The user's own device did not come back (written off, or lost on the way): the user keeps the replacement as an ordinary loan.</summary>
    KeptByUser,
}

/// <summary>What one of the case's messages did to the device: its status before a change (null when unchanged), or why it did nothing.</summary>
/// <param name="Skipped">The rule that kept the device as it was, for the log; null when the device followed the case (or had nothing to do).</param>
public sealed record RepairStep(DeviceStatus? DeviceWas, string? Skipped)
{
    public static RepairStep Skip(string rule) => new(null, rule);
}

/// <summary>
/// Assets' record of one of Support's repair cases: what it heard of the case (sent, closed) and what it did about the device and its
/// user. Support's relays may deliver the close before the send; the record keeps both facts, so the later one finds the earlier and a
/// device is never left in repair by a send that arrives after its case closed. A message about a device that is lost or retired, or
/// that Assets does not know, changes nothing and says why (<see cref="DeviceNotFollowed"/>): a refusal would only be redelivered.
/// </summary>
public sealed class DeviceRepair : ReplicaRow
{
    private DeviceRepair()
    {
    }

    public Guid RepairCaseId { get; private set; }
    public Guid DeviceId { get; private set; }
    public Guid SchoolId { get; private set; }
    public DateOnly? SentOn { get; private set; }
    public bool ReplacementWanted { get; private set; }
    public DateOnly? ClosedOn { get; private set; }
    public RepairOutcome? Outcome { get; private set; }
    public RepairReplacement? Replacement { get; private set; }
    public Guid? ReplacementLoanId { get; private set; }

    /// <summary>Why the device's status did not follow the case's last message (a rule name); null when it did.</summary>
    public string? DeviceNotFollowed { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static DeviceRepair Track(Guid repairCaseId) => new() { RepairCaseId = repairCaseId };

    /// <summary>Whether the send asked for a replacement that is still to be lent (or found unavailable).</summary>
    public bool AwaitsReplacement => ReplacementWanted && Replacement is null && ClosedOn is null;

    /// <summary>
    /// The device went away for repair: it goes in repair (one already in repair stays so). Nothing happens when the case was sent
    /// already (a second message about the same send) or closed already (the close arrived first and the device followed that).
    /// </summary>
    public RepairStep Send(Guid deviceId, Guid schoolId, DateOnly sentOn, bool replacementWanted, Device? device, DateTimeOffset occurredAt,
        DateTimeOffset now)
    {
        if (SentOn is not null)
        {
            return RepairStep.Skip("repair-already-sent");
        }

        ApplyFinal(occurredAt, () => (DeviceId, SchoolId, SentOn, UpdatedAt) = (deviceId, schoolId, sentOn, now));
        if (ClosedOn is not null)
        {
            return Followed(RepairStep.Skip("repair-closed-before-sent"));
        }

        ReplacementWanted = replacementWanted;
        if (Unfollowable(device) is { } skipped)
        {
            // The user needs no replacement for a device that is gone or unknown: the school lends one by hand if it does.
            ReplacementWanted = false;
            return Followed(skipped);
        }

        if (device!.Status == DeviceStatus.InRepair)
        {
            return Followed(new RepairStep(null, null));
        }

        if (!DeviceRules.MayChange(device.Status, DeviceStatus.InRepair))
        {
            ReplacementWanted = false;
            return Followed(RepairStep.Skip("device-status-transition"));
        }

        var was = device.Status;
        device.ChangeStatus(DeviceStatus.InRepair, now);
        return Followed(new RepairStep(was, null));
    }

    /// <summary>
    /// The case ended. Repaired: a device still in repair is in service again (one already out of repair is left as it is). Written off:
    /// the device is retired. Nothing happens when the case was closed already.
    /// </summary>
    public RepairStep Close(Guid deviceId, Guid schoolId, RepairOutcome outcome, DateOnly closedOn, Device? device, DateTimeOffset occurredAt,
        DateTimeOffset now)
    {
        if (ClosedOn is not null)
        {
            return RepairStep.Skip("repair-already-closed");
        }

        ApplyFinal(occurredAt, () => (DeviceId, SchoolId, ClosedOn, Outcome, UpdatedAt) = (deviceId, schoolId, closedOn, outcome, now));
        if (Unfollowable(device) is { } skipped)
        {
            return Followed(skipped);
        }

        var to = outcome == RepairOutcome.WrittenOff ? DeviceStatus.Retired : DeviceStatus.InService;
        if (outcome == RepairOutcome.Repaired && device!.Status != DeviceStatus.InRepair)
        {
            return Followed(new RepairStep(null, null));
        }

        var was = device!.Status;
        device.ChangeStatus(to, now);
        return Followed(new RepairStep(was, null));
    }

    /// <summary>
    /// The replacement loan to take back now that the case closed, if any. A repaired device is back with its user, so the replacement
    /// goes back to the school. A written-off device is gone for good but its user still needs a device (a pupil's lessons run on it, a
    /// teacher's too): the user keeps the replacement, now an ordinary loan of the school under its programme's terms, until the school
    /// takes it back or the user's new device arrives. The same holds when the device did not come back in service (lost at the vendor).
    /// </summary>
    public Guid? ReplacementToTakeBack(DeviceStatus deviceStatus, DateTimeOffset now)
    {
        if (Replacement != RepairReplacement.Lent || ClosedOn is null)
        {
            return null;
        }

        if (Outcome == RepairOutcome.Repaired && deviceStatus == DeviceStatus.InService)
        {
            Replacement = RepairReplacement.Returned;
            UpdatedAt = now;
            return ReplacementLoanId;
        }

        Replacement = RepairReplacement.KeptByUser;
        UpdatedAt = now;
        return null;
    }

    public void ReplacementLent(Guid loanId, DateTimeOffset now) => (Replacement, ReplacementLoanId, UpdatedAt) = (RepairReplacement.Lent, loanId, now);

    public void NoReplacementFree(DateTimeOffset now) => (Replacement, UpdatedAt) = (RepairReplacement.Unavailable, now);

    private static RepairStep? Unfollowable(Device? device) => device?.Status switch
    {
        null => RepairStep.Skip("device-unknown"),
        DeviceStatus.Retired => RepairStep.Skip("device-retired"),
        DeviceStatus.Lost => RepairStep.Skip("device-lost"),
        _ => null,
    };

    private RepairStep Followed(RepairStep step)
    {
        DeviceNotFollowed = step.Skipped;
        return step;
    }
}

internal sealed class DeviceRepairConfiguration : IEntityTypeConfiguration<DeviceRepair>
{
    public void Configure(EntityTypeBuilder<DeviceRepair> repair)
    {
        repair.ToTable("device_repairs");
        repair.HasKey(r => r.RepairCaseId);
        repair.Ignore(r => r.AwaitsReplacement);
        repair.HasIndex(r => r.DeviceId);
        repair.HasIndex(r => r.ReplacementLoanId).IsUnique().HasFilter("replacement_loan_id IS NOT NULL");
    }
}
