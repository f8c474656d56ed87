using System.Linq.Expressions;
using System.Security.Claims;
using Mep.Contracts.Support;
using Mep.Feeds;
using Mep.Support.Data;
using Mep.Support.Repairs;
using Mep.Support.Sla;
using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Feeds;

/// <summary>A ticket as the reporting feed shows it: no reporter contact, no description (reports need counts and times).</summary>
public sealed class FeedTicket
{
    public Guid Id { get; init; }
    public long Number { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string Category { get; init; } = string.Empty;
    public TicketPriority Priority { get; init; }
    public TicketStatus Status { get; init; }
    public int Level { get; init; }
    public string Group { get; init; } = string.Empty;
    public bool SolvedBySchool { get; init; }
    public bool Escalated { get; init; }
    public bool? FirstContactResolution { get; init; }
    public Guid? DeviceId { get; init; }

    /// <summary>The device by what is written on it, the room by what is on its door.</summary>
    public string? DeviceSerial { get; init; }
    public Guid? RoomId { get; init; }
    public string? Building { get; init; }
    public string? RoomNumber { get; init; }
    public Guid? ParentId { get; init; }
    public Guid? MergedIntoId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FirstRespondedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When the first response and the resolution are owed, and the earlier of the two (as the work lists show them).</summary>
    public DateTimeOffset? FirstResponseDueAt { get; init; }
    public DateTimeOffset? ResolutionDueAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Its SLA timers ($expand=SlaTimers).</summary>
    public List<FeedSlaTimer> SlaTimers { get; init; } = [];
}

public sealed class FeedSlaTimer
{
    public string Id { get; init; } = string.Empty;
    public Guid TicketId { get; init; }
    public string Clock { get; init; } = string.Empty;
    public string Target { get; init; } = string.Empty;
    public int TargetMinutes { get; init; }
    public decimal ElapsedMinutes { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? MetAt { get; init; }
    public DateTimeOffset? WarnedAt { get; init; }
    public DateTimeOffset? BreachedAt { get; init; }
}

public sealed class FeedContractorBooking
{
    public Guid Id { get; init; }
    public Guid TicketId { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public DateOnly WorkedOn { get; init; }
    public int BudgetYear { get; init; }
    public decimal Hours { get; init; }
    public decimal HourlyRate { get; init; }
    public decimal Amount { get; init; }
}

/// <summary>A repair case as the reporting feed shows it: no diagnosis text, no override reason (reports need payers, days and counts).</summary>
public sealed class FeedRepairCase
{
    public Guid Id { get; init; }
    public Guid TicketId { get; init; }
    public Guid SchoolId { get; init; }
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public Guid DeviceId { get; init; }
    public string? Manufacturer { get; init; }
    public string? Model { get; init; }
    public RepairStatus Status { get; init; }
    public RepairPayer DecidedPayer { get; init; }
    public RepairPayer Payer { get; init; }
    public string PayerRule { get; init; } = string.Empty;
    public bool PayerOverridden { get; init; }
    public DateOnly OpenedOn { get; init; }
    public DateOnly? SentOn { get; init; }
    public string? SentTo { get; init; }
    public DateOnly? BackOn { get; init; }
    public DateOnly? ClosedOn { get; init; }
    public RepairOutcome? Outcome { get; init; }
    public bool RepeatRepair { get; init; }
    public bool ReplacementWanted { get; init; }
    public Guid? ReplacementDeviceId { get; init; }
    public bool ReplacementUnavailable { get; init; }
}

/// <summary>An amount recorded on a repair case (the contractor's hours on its ticket are in ContractorBookings).</summary>
public sealed class FeedRepairCost
{
    public Guid Id { get; init; }
    public Guid RepairCaseId { get; init; }
    public Guid SchoolId { get; init; }
    public RepairPayer Payer { get; init; }
    public decimal Amount { get; init; }
    public DateOnly IncurredOn { get; init; }
}

/// <summary>The Support service's OData feeds (Excel, Power BI): tickets with their SLA timers, timers alone, contractor hours, repairs and their costs.</summary>
public static class SupportFeed
{
    public static void Declare(FeedBuilder feed) => feed
        .EntitySet("Tickets", "Ticket", (FeedTicket t) => t.Id, SupportAccess.ReadTickets, context => Tickets(Db(context), context.User))
        .EntitySet("SlaTimers", "SlaTimer", (FeedSlaTimer t) => t.Id, SupportAccess.ReadTickets, context => Timers(Db(context), context.User))
        .EntitySet("ContractorBookings", "ContractorBooking", (FeedContractorBooking b) => b.Id, SupportAccess.ReadTickets,
            context => Bookings(Db(context), context.User))
        .EntitySet("RepairCases", "RepairCase", (FeedRepairCase r) => r.Id, SupportAccess.ReadTickets, context => RepairCases(Db(context), context.User))
        .EntitySet("RepairCosts", "RepairCost", (FeedRepairCost c) => c.Id, SupportAccess.ReadTickets, context => RepairCosts(Db(context), context.User));

    /// <summary>A timer's columns, the same in the SlaTimers set and in a ticket's expanded SlaTimers.</summary>
    private static readonly Expression<Func<SlaTimer, FeedSlaTimer>> AsFeedTimer = s => new FeedSlaTimer
    {
        Id = s.TicketId.ToString() + "/" + s.Clock + "/" + s.Target, TicketId = s.TicketId, Clock = s.Clock, Target = s.Target,
        TargetMinutes = s.TargetMinutes, ElapsedMinutes = s.ElapsedMinutes, DueAt = s.DueAt, MetAt = s.MetAt, WarnedAt = s.WarnedAt,
        BreachedAt = s.BreachedAt,
    };

    private static SupportDbContext Db(HttpContext context) => context.RequestServices.GetRequiredService<SupportDbContext>();

    private static IQueryable<FeedTicket> Tickets(SupportDbContext db, ClaimsPrincipal user) =>
        TicketWithNames.Of(db.VisibleTickets(user).AsNoTracking(), db).Select(r => new FeedTicket
        {
            Id = r.Ticket.Id, Number = r.Ticket.Number, SchoolId = r.Ticket.SchoolId, SchoolNumber = r.School!.Number, SchoolName = r.School.Name,
            Category = r.Ticket.Category, Priority = r.Ticket.Priority, Status = r.Ticket.Status, Level = r.Ticket.Level, Group = r.Ticket.GroupCode,
            SolvedBySchool = r.Ticket.SolvedBySchool, Escalated = r.Ticket.Escalated, FirstContactResolution = r.Ticket.FirstContactResolution,
            DeviceId = r.Ticket.DeviceId, DeviceSerial = r.Ticket.DeviceSerial, RoomId = r.Ticket.RoomId, Building = r.Room!.BuildingName,
            RoomNumber = r.Room.Number, ParentId = r.Ticket.ParentId, MergedIntoId = r.Ticket.MergedIntoId, CreatedAt = r.Ticket.CreatedAt,
            FirstRespondedAt = r.Ticket.FirstRespondedAt, ResolvedAt = r.Ticket.ResolvedAt, ClosedAt = r.Ticket.ClosedAt,
            FirstResponseDueAt = r.Timers!.FirstResponseDueAt, ResolutionDueAt = r.Timers.ResolutionDueAt, DueAt = r.Timers.DueAt,
            SlaTimers = db.SlaTimers.Where(s => s.TicketId == r.Ticket.Id).Select(AsFeedTimer).ToList(),
        });

    private static IQueryable<FeedSlaTimer> Timers(SupportDbContext db, ClaimsPrincipal user)
    {
        var visible = db.VisibleTickets(user).Select(t => t.Id);
        return db.SlaTimers.AsNoTracking().Where(s => visible.Contains(s.TicketId)).Select(AsFeedTimer);
    }

    private static IQueryable<FeedContractorBooking> Bookings(SupportDbContext db, ClaimsPrincipal user)
    {
        var visible = db.VisibleTickets(user).Select(t => t.Id);
        return db.ContractorBookings.AsNoTracking().Where(b => visible.Contains(b.TicketId)).Select(b => new FeedContractorBooking
        {
            Id = b.Id, TicketId = b.TicketId, SchoolId = b.SchoolId, SchoolNumber = db.KnownSchools.Where(k => k.SchoolId == b.SchoolId).Select(k => k.Number).FirstOrDefault()!, SchoolName = db.KnownSchools.Where(k => k.SchoolId == b.SchoolId).Select(k => k.Name).FirstOrDefault()!, WorkedOn = b.WorkedOn, BudgetYear = b.BudgetYear, Hours = b.Hours,
            HourlyRate = b.HourlyRate, Amount = b.Amount,
        });
    }

    private static IQueryable<FeedRepairCase> RepairCases(SupportDbContext db, ClaimsPrincipal user) =>
        db.VisibleRepairs(user).Select(r => new FeedRepairCase
        {
            Id = r.Id, TicketId = r.TicketId, SchoolId = r.SchoolId,
            SchoolNumber = db.KnownSchools.Where(k => k.SchoolId == r.SchoolId).Select(k => k.Number).FirstOrDefault()!,
            SchoolName = db.KnownSchools.Where(k => k.SchoolId == r.SchoolId).Select(k => k.Name).FirstOrDefault()!, DeviceId = r.DeviceId,
            Manufacturer = r.Manufacturer, Model = r.Model, Status = r.Status, DecidedPayer = r.DecidedPayer, Payer = r.Payer, PayerRule = r.PayerRule,
            PayerOverridden = r.PayerOverriddenBy != null, OpenedOn = r.OpenedOn, SentOn = r.SentOn, SentTo = r.SentTo, BackOn = r.BackOn,
            ClosedOn = r.ClosedOn, Outcome = r.Outcome, RepeatRepair = r.RepeatRepair, ReplacementWanted = r.ReplacementWanted,
            ReplacementDeviceId = r.ReplacementDeviceId, ReplacementUnavailable = r.ReplacementUnavailable,
        });

    private static IQueryable<FeedRepairCost> RepairCosts(SupportDbContext db, ClaimsPrincipal user)
    {
        var visible = db.VisibleRepairs(user).Select(r => r.Id);
        return db.Set<RepairCost>().AsNoTracking().Where(c => visible.Contains(c.RepairCaseId)).Select(c => new FeedRepairCost
        {
            Id = c.Id, RepairCaseId = c.RepairCaseId, SchoolId = c.SchoolId, Payer = c.Payer, Amount = c.Amount, IncurredOn = c.IncurredOn,
        });
    }
}
