using System.Linq.Expressions;
using System.Security.Claims;
using Mep.Contracts.Support;
using Mep.Feeds;
using Mep.Support.Data;
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
    public Guid? ParentId { get; init; }
    public Guid? MergedIntoId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FirstRespondedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

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

/// <summary>The Support service's OData feeds (Excel, Power BI): tickets with their SLA timers, timers alone, contractor hours.</summary>
public static class SupportFeed
{
    public static void Declare(FeedBuilder feed) => feed
        .EntitySet("Tickets", "Ticket", (FeedTicket t) => t.Id, SupportAccess.ReadTickets, context => Tickets(Db(context), context.User))
        .EntitySet("SlaTimers", "SlaTimer", (FeedSlaTimer t) => t.Id, SupportAccess.ReadTickets, context => Timers(Db(context), context.User))
        .EntitySet("ContractorBookings", "ContractorBooking", (FeedContractorBooking b) => b.Id, SupportAccess.ReadTickets,
            context => Bookings(Db(context), context.User));

    /// <summary>A timer's columns, the same in the SlaTimers set and in a ticket's expanded SlaTimers.</summary>
    private static readonly Expression<Func<SlaTimer, FeedSlaTimer>> AsFeedTimer = s => new FeedSlaTimer
    {
        Id = s.TicketId.ToString() + "/" + s.Clock + "/" + s.Target, TicketId = s.TicketId, Clock = s.Clock, Target = s.Target,
        TargetMinutes = s.TargetMinutes, ElapsedMinutes = s.ElapsedMinutes, DueAt = s.DueAt, MetAt = s.MetAt, WarnedAt = s.WarnedAt,
        BreachedAt = s.BreachedAt,
    };

    private static SupportDbContext Db(HttpContext context) => context.RequestServices.GetRequiredService<SupportDbContext>();

    private static IQueryable<FeedTicket> Tickets(SupportDbContext db, ClaimsPrincipal user) =>
        db.VisibleTickets(user).AsNoTracking().Select(t => new FeedTicket
        {
            Id = t.Id, Number = t.Number, SchoolId = t.SchoolId, SchoolNumber = db.KnownSchools.Where(k => k.SchoolId == t.SchoolId).Select(k => k.Number).FirstOrDefault()!, SchoolName = db.KnownSchools.Where(k => k.SchoolId == t.SchoolId).Select(k => k.Name).FirstOrDefault()!, Category = t.Category, Priority = t.Priority, Status = t.Status, Level = t.Level,
            Group = t.GroupCode, SolvedBySchool = t.SolvedBySchool, Escalated = t.Escalated, FirstContactResolution = t.FirstContactResolution,
            DeviceId = t.DeviceId, ParentId = t.ParentId, MergedIntoId = t.MergedIntoId, CreatedAt = t.CreatedAt, FirstRespondedAt = t.FirstRespondedAt,
            ResolvedAt = t.ResolvedAt, ClosedAt = t.ClosedAt,
            SlaTimers = db.SlaTimers.Where(s => s.TicketId == t.Id).Select(AsFeedTimer).ToList(),
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
}
