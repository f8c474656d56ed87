using System.Text.Json.Serialization;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Errors;
using Mep.Support.Directory;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Repairs;

/// <summary>Where a repair case is: opened with a diagnosis, sent to the vendor or contractor, back, closed (repaired or written off).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RepairStatus>))]
public enum RepairStatus
{
    Open,
    Sent,
    Back,
    Closed,
}

/// <summary>
/// A device's repair, on the ticket that reported it: the payer decided by <see cref="RepairPayerRules"/> (an agent may override it
/// with a reason), the trip to the vendor or contractor and back with its days, the replacement Assets lent meanwhile, and the outcome.
/// Days never go backwards, a case is sent once, and a closed case is final.
/// </summary>
public sealed class RepairCase
{
    /// <summary>The third repair of a device within twelve months (counting this one) flags it: a model or a device to look at.</summary>
    public const int RepeatRepairCount = 3;

    private RepairCase()
    {
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public Guid SchoolId { get; private set; }
    public Guid DeviceId { get; private set; }

    /// <summary>The device's make when the case was opened, so that reports per model stay as they were when a device is re-recorded.</summary>
    public string? Manufacturer { get; private set; }
    public string? Model { get; private set; }
    public string Diagnosis { get; private set; } = string.Empty;
    public RepairStatus Status { get; private set; }
    public DateOnly OpenedOn { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public string OpenedBy { get; private set; } = string.Empty;

    /// <summary>Who the rules said pays; <see cref="Payer"/> differs only after an override.</summary>
    public RepairPayer DecidedPayer { get; private set; }
    public RepairPayer Payer { get; private set; }
    public string PayerRule { get; private set; } = string.Empty;
    public string PayerReason { get; private set; } = string.Empty;
    public DateOnly? PayerRuleDate { get; private set; }
    public string? PayerOverriddenBy { get; private set; }
    public DateTimeOffset? PayerOverriddenAt { get; private set; }
    public string? PayerOverrideReason { get; private set; }

    /// <summary>The device has a personal user (a pupil's, a teacher's, a lent one), who needs a replacement while it is away.</summary>
    public bool ReplacementWanted { get; private set; }
    public DateOnly? SentOn { get; private set; }
    public string? SentTo { get; private set; }
    public DateOnly? BackOn { get; private set; }
    public DateOnly? ClosedOn { get; private set; }
    public RepairOutcome? Outcome { get; private set; }
    public bool RepeatRepair { get; private set; }
    public Guid? ReplacementDeviceId { get; private set; }
    public Guid? ReplacementLoanId { get; private set; }

    /// <summary>Assets had no free loan device when the case was sent (and none was lent since).</summary>
    public bool ReplacementUnavailable { get; private set; }
    public DateOnly? ReplacementReturnedOn { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Days the device was out of service: from sent to back.</summary>
    public int? DaysOutOfService => SentOn is { } sent && BackOn is { } back ? back.DayNumber - sent.DayNumber : null;

    /// <summary>
    /// Opens the case for <paramref name="device"/> on <paramref name="ticket"/>: the ticket's device, or one the case names, which must be
    /// the ticket's school's.
    /// </summary>
    /// <param name="earlierRepairsWithinYear">The device's cases opened in the twelve months up to <paramref name="openedOn"/>.</param>
    /// <param name="ticketHasCase">The ticket has a repair case already (one per ticket: its contractor hours are that case's cost).</param>
    /// <param name="deviceInRepair">The device has a case not yet closed.</param>
    public static RepairCase Open(Ticket ticket, KnownDevice device, string diagnosis, DateOnly openedOn, DateOnly today, PayerDecision payer,
        int earlierRepairsWithinYear, bool ticketHasCase, bool deviceInRepair, string actor, DateTimeOffset now)
    {
        if (ticket.DeviceId is { } reported && reported != device.DeviceId)
        {
            throw new DomainRuleException("repair-device-not-the-tickets",
                "The ticket names another device; a repair case is for the device its ticket reports.") { Field = "deviceId" };
        }

        if (device.SchoolId != ticket.SchoolId)
        {
            throw new DomainRuleException("device-unknown", "The ticket's school has no device with this id.") { Field = "deviceId" };
        }

        if (device.Retired)
        {
            throw new DomainRuleException("repair-device-retired", "The device is retired; a retired device is not repaired.") { Field = "deviceId" };
        }

        if (ticket.Status == TicketStatus.Closed || ticket.MergedIntoId is not null)
        {
            throw new DomainRuleException("repair-ticket-closed", "The ticket is closed or merged; open the repair on an active ticket.")
            {
                IsStateConflict = true,
            };
        }

        if (ticketHasCase)
        {
            throw Conflict("repair-case-exists-for-ticket", "The ticket has a repair case already; a new repair is a new ticket.");
        }

        if (deviceInRepair)
        {
            throw Conflict("repair-case-open-for-device", "The device has an open repair case; close it before opening another.");
        }

        NotInFuture(openedOn, today, "openedOn");
        return new RepairCase
        {
            Id = Guid.CreateVersion7(now), TicketId = ticket.Id, SchoolId = ticket.SchoolId, DeviceId = device.DeviceId,
            Manufacturer = device.Manufacturer, Model = device.Model, Diagnosis = diagnosis.Trim(), Status = RepairStatus.Open, OpenedOn = openedOn,
            OpenedAt = now, OpenedBy = actor, DecidedPayer = payer.Payer, Payer = payer.Payer, PayerRule = payer.Rule, PayerReason = payer.Reason,
            PayerRuleDate = payer.RuleDate, ReplacementWanted = HasPersonalUser(device),
            RepeatRepair = earlierRepairsWithinYear + 1 >= RepeatRepairCount,
        };
    }

    /// <summary>A pupil's, a teacher's or a lent tablet has one user who is without it meanwhile; a class set's tablets do not.</summary>
    public static bool HasPersonalUser(KnownDevice device) => device.Kind == DeviceKind.Tablet
        && device.Ownership is TabletOwnership.ParentFinancedPupil or TabletOwnership.Teacher or TabletOwnership.Loan;

    /// <summary>The device left for the vendor or contractor named; once only.</summary>
    public DeviceSentForRepair SendTo(string sentTo, DateOnly sentOn, DateOnly today, DateTimeOffset now)
    {
        NotClosed();
        if (Status != RepairStatus.Open)
        {
            throw Conflict("repair-already-sent", $"The device was sent on {SentOn:yyyy-MM-dd} already; a case is sent once.");
        }

        NotBefore(sentOn, OpenedOn, "sentOn", "the day the case was opened");
        NotInFuture(sentOn, today, "sentOn");
        (Status, SentOn, SentTo) = (RepairStatus.Sent, sentOn, sentTo.Trim());
        return new DeviceSentForRepair(Id, TicketId, DeviceId, SchoolId, Payer, sentOn, ReplacementWanted, now);
    }

    /// <summary>The device came back from the vendor or contractor.</summary>
    public void ComeBack(DateOnly backOn, DateOnly today)
    {
        NotClosed();
        if (Status != RepairStatus.Sent)
        {
            throw Status == RepairStatus.Open
                ? Conflict("repair-not-sent", "The device has not been sent; record when it was sent first.")
                : Conflict("repair-already-back", $"The device came back on {BackOn:yyyy-MM-dd} already.");
        }

        NotBefore(backOn, SentOn!.Value, "backOn", "the day it was sent");
        NotInFuture(backOn, today, "backOn");
        (Status, BackOn) = (RepairStatus.Back, backOn);
    }

    /// <summary>
    /// Ends the case: repaired once the device is back, or written off at any point (not worth repairing, or beyond repair at the vendor).
    /// </summary>
    public RepairCaseClosed Close(RepairOutcome outcome, DateOnly closedOn, DateOnly today, DateTimeOffset now)
    {
        NotClosed();
        if (outcome == RepairOutcome.Repaired && Status != RepairStatus.Back)
        {
            throw Conflict("repair-not-back", "A case is closed as repaired once the device is back; record when it came back first.");
        }

        NotBefore(closedOn, BackOn ?? SentOn ?? OpenedOn, "closedOn", "the case's last recorded day");
        NotInFuture(closedOn, today, "closedOn");
        (Status, ClosedOn, Outcome) = (RepairStatus.Closed, closedOn, outcome);
        return new RepairCaseClosed(Id, DeviceId, SchoolId, outcome, closedOn, now);
    }

    /// <summary>An agent decides another payer than the rules did (a goodwill repair, damage the warranty excludes); kept with who and why.</summary>
    public void OverridePayer(RepairPayer payer, string reason, string actor, DateTimeOffset now)
    {
        NotClosed();
        if (payer == Payer)
        {
            throw new DomainRuleException("repair-payer-unchanged", $"{Payer} pays this repair already.") { Field = "payer" };
        }

        (Payer, PayerOverriddenBy, PayerOverriddenAt, PayerOverrideReason) = (payer, actor, now, reason.Trim());
    }

    /// <summary>
    /// A cost against the case's payer. The school's system-support budget is charged only through the contractor's hours booked on
    /// the ticket (as every contractor job is), so that the budget's figures have one source.
    /// </summary>
    public RepairCost RecordCost(decimal amount, string description, DateOnly incurredOn, DateOnly today, string actor, DateTimeOffset now)
    {
        if (Payer == RepairPayer.SchoolSystemSupportBudget)
        {
            throw new DomainRuleException("repair-cost-through-contractor-hours",
                "This repair is charged to the school's system-support budget: book the contractor's hours on the ticket instead.");
        }

        NotBefore(incurredOn, OpenedOn, "incurredOn", "the day the case was opened");
        NotInFuture(incurredOn, today, "incurredOn");
        return new RepairCost(Guid.CreateVersion7(now), Id, SchoolId, Payer, amount, description.Trim(), incurredOn, actor, now);
    }

    /// <summary>
    /// Assets lent a replacement naming this case. A hand-out of another loan replaces what an earlier one said (a device swapped); the
    /// hand-out of the loan already recorded (its return overtook it on the broker) leaves that return standing.
    /// </summary>
    public void RecordReplacement(Guid deviceId, Guid loanId)
    {
        if (loanId == ReplacementLoanId)
        {
            (ReplacementDeviceId, ReplacementUnavailable) = (deviceId, false);
            return;
        }

        (ReplacementDeviceId, ReplacementLoanId, ReplacementUnavailable, ReplacementReturnedOn) = (deviceId, loanId, false, null);
    }

    /// <summary>Assets had none free. A replacement already recorded (its hand-out overtook this news) stands.</summary>
    public void RecordReplacementUnavailable()
    {
        if (ReplacementLoanId is null)
        {
            ReplacementUnavailable = true;
        }
    }

    /// <summary>
    /// The replacement loan came back; a return of another loan changes nothing here. A return naming this case before any hand-out
    /// is heard of (the two travel on different queues) records that loan as the replacement, so the later hand-out finds it back.
    /// </summary>
    public void RecordReplacementReturned(Guid loanId, Guid deviceId, DateOnly returnedOn)
    {
        if (ReplacementLoanId is null)
        {
            (ReplacementDeviceId, ReplacementLoanId, ReplacementUnavailable) = (deviceId, loanId, false);
        }

        if (loanId == ReplacementLoanId)
        {
            ReplacementReturnedOn = returnedOn;
        }
    }

    private void NotClosed()
    {
        if (Status == RepairStatus.Closed)
        {
            throw Conflict("repair-case-closed", $"The case was closed on {ClosedOn:yyyy-MM-dd} ({Outcome}); a closed case is final.");
        }
    }

    private static void NotBefore(DateOnly day, DateOnly earliest, string field, string what)
    {
        if (day < earliest)
        {
            throw new DomainRuleException("repair-date-before-previous", $"{field} is before {what} ({earliest:yyyy-MM-dd}); days never go backwards.")
            {
                Field = field,
            };
        }
    }

    private static void NotInFuture(DateOnly day, DateOnly today, string field)
    {
        if (day > today)
        {
            throw new DomainRuleException("repair-date-in-future", $"{field} is after today ({today:yyyy-MM-dd}); record what has happened.")
            {
                Field = field,
            };
        }
    }

    private static DomainRuleException Conflict(string rule, string message) => new(rule, message) { IsStateConflict = true };
}

internal sealed class RepairCaseConfiguration : IEntityTypeConfiguration<RepairCase>
{
    public void Configure(EntityTypeBuilder<RepairCase> repair)
    {
        repair.ToTable("repair_cases");
        repair.HasKey(r => r.Id);
        repair.Ignore(r => r.DaysOutOfService);
        repair.HasIndex(r => r.TicketId).IsUnique();
        repair.HasIndex(r => r.DeviceId).IsUnique().HasFilter("closed_on IS NULL");
        repair.HasIndex(r => new { r.DeviceId, r.OpenedOn });
        repair.HasIndex(r => new { r.SchoolId, r.OpenedOn });
        repair.HasIndex(r => r.OpenedOn);
        repair.HasOne<Ticket>().WithOne().HasForeignKey<RepairCase>(r => r.TicketId).OnDelete(DeleteBehavior.Restrict);
    }
}
