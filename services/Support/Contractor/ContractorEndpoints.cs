using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts.Support;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.Messaging;
using Mep.SchoolDirectory;
using Mep.Support.Data;
using Mep.Support.Repairs;
using Mep.Support.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Contractor;

public static class ContractorEndpoints
{
    public static RouteGroupBuilder MapContractorEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/tickets/{id:guid}/contractor-hours", BookHours).RequireAuthorization(SupportAccess.Work)
            .WithName(nameof(BookHours))
            .WithSummary("Book contractor (CSS) hours on a ticket held by the contractor; the answer shows the school's budget after it, "
                + "and flags a booking beyond the budget.");
        group.MapGet("/tickets/{id:guid}/contractor-hours", TicketBookings).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(TicketBookings)).WithSummary("The contractor hours booked on a ticket.");
        group.MapGet("/schools/{schoolId:guid}/system-support-budget/{year:int}", GetBudget).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(GetBudget)).WithSummary("A school's system-support budget of a year: budget, booked, remaining, overrun.");
        group.MapPut("/schools/{schoolId:guid}/system-support-budget/{year:int}", SetBudget).RequireAuthorization(SupportAccess.Budgets)
            .WithName(nameof(SetBudget)).WithSummary("Set a school's system-support budget of a year (EUR).");
        group.MapGet("/contractor/rates", ListRates).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(ListRates)).WithSummary("The contractor's hourly rates, each valid from a day on.");
        group.MapPut("/contractor/rates/{validFrom}", SetRate).RequireAuthorization(SupportAccess.Budgets)
            .WithName(nameof(SetRate)).WithSummary("Set the contractor's hourly rate from a day on (YYYY-MM-DD).");
        return group;
    }

    public static async Task<Results<Created<BookingResult>, ProblemHttpResult>> BookHours(Guid id, BookingRequest request, ClaimsPrincipal user,
        SupportDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var ticket = await db.VisibleTickets(user).AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is null)
        {
            return ApiProblems.NotFound("ticket");
        }

        var group = await db.SupportGroups.AsNoTracking().SingleAsync(g => g.Code == ticket.GroupCode, cancellationToken);
        var school = await KnownSchools.OfAsync(db, ticket.SchoolId, cancellationToken);
        var workedOn = request.WorkedOn!.Value;
        var rate = await db.ContractorRates.Where(r => r.ValidFrom <= workedOn).OrderByDescending(r => r.ValidFrom).FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var booking = ContractorBooking.Book(ticket, group, rate, workedOn, request.Hours!.Value, request.Description!, user.Actor(), now);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Bookings of one school and year are judged one after the other, so two at once cannot both fit a budget only one fits.
            await LockBudgetAsync(db, ticket.SchoolId, workedOn.Year, cancellationToken);
            db.ContractorBookings.Add(booking);
            db.TicketHistory.Add(new TicketHistoryEntry(ticket.Id, now, user.Actor(), "contractorHours", null, null,
                $"{booking.Hours} h = {booking.Amount} EUR", booking.Description));
            await db.SaveChangesAsync(cancellationToken);
            var budget = await StatusAsync(db, ticket.SchoolId, workedOn.Year, cancellationToken);
            db.AddIntegrationEvent(new ContractorHoursBooked(ticket.Id, ticket.SchoolId, booking.Id, booking.Hours, booking.Amount, booking.BudgetYear,
                budget.OverBudget, now), ticket.Id.ToString(), now);
            await RepairCostLines.AddBookingEventAsync(db, booking, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (Results<Created<BookingResult>, ProblemHttpResult>)TypedResults.Created(
                $"{SupportService.PathPrefix}/tickets/{ticket.Id}/contractor-hours", new BookingResult(BookingResponse.From(booking, school), budget));
        });
    }

    public static async Task<Results<Ok<List<BookingResponse>>, ProblemHttpResult>> TicketBookings(Guid id, ClaimsPrincipal user, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        if (await db.VisibleTickets(user).Where(t => t.Id == id).Select(t => (Guid?)t.SchoolId).SingleOrDefaultAsync(cancellationToken) is not { } schoolId)
        {
            return ApiProblems.NotFound("ticket");
        }

        var school = await KnownSchools.OfAsync(db, schoolId, cancellationToken);
        var bookings = await db.ContractorBookings.AsNoTracking().Where(b => b.TicketId == id).OrderBy(b => b.WorkedOn).ThenBy(b => b.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(bookings.ConvertAll(b => BookingResponse.From(b, school)));
    }

    public static async Task<Results<Ok<BudgetStatus>, ProblemHttpResult>> GetBudget(Guid schoolId, int year, ClaimsPrincipal user, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        if (!user.MaySee(schoolId) || user.IsVendorOnly() || !await db.KnownSchools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken))
        {
            return ApiProblems.NotFound("school");
        }

        return TypedResults.Ok(await StatusAsync(db, schoolId, year, cancellationToken));
    }

    public static async Task<Results<Ok<BudgetStatus>, ProblemHttpResult>> SetBudget(Guid schoolId, int year, BudgetRequest request, ClaimsPrincipal user,
        SupportDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (year is < 2019 or > 2100 || !await db.KnownSchools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken))
        {
            return ApiProblems.NotFound("school or year");
        }

        var budget = await db.SystemSupportBudgets.AsTracking().SingleOrDefaultAsync(b => b.SchoolId == schoolId && b.Year == year, cancellationToken);
        if (budget is null)
        {
            budget = new SystemSupportBudget { SchoolId = schoolId, Year = year };
            db.SystemSupportBudgets.Add(budget);
        }

        (budget.Amount, budget.UpdatedAt, budget.UpdatedBy) = (request.Amount, clock.GetUtcNow(), user.Actor());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await StatusAsync(db, schoolId, year, cancellationToken));
    }

    public static async Task<Ok<List<ContractorRate>>> ListRates(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.ContractorRates.AsNoTracking().OrderBy(r => r.ValidFrom).ToListAsync(cancellationToken));

    public static async Task<Results<Ok<ContractorRate>, ProblemHttpResult>> SetRate([MaxLength(10)] string validFrom, RateRequest request, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(validFrom, "yyyy-MM-dd", out var day))
        {
            return ApiProblems.Malformed("validFrom is a day as YYYY-MM-DD.");
        }

        var rate = await db.ContractorRates.AsTracking().SingleOrDefaultAsync(r => r.ValidFrom == day, cancellationToken);
        if (rate is null)
        {
            rate = new ContractorRate { ValidFrom = day };
            db.ContractorRates.Add(rate);
        }

        rate.HourlyRate = request.HourlyRate;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(rate);
    }

    internal static async Task<BudgetStatus> StatusAsync(SupportDbContext db, Guid schoolId, int year, CancellationToken cancellationToken)
    {
        var budget = await db.SystemSupportBudgets.Where(b => b.SchoolId == schoolId && b.Year == year).Select(b => (decimal?)b.Amount)
            .SingleOrDefaultAsync(cancellationToken);
        var booked = await db.ContractorBookings.Where(b => b.SchoolId == schoolId && b.BudgetYear == year)
            .GroupBy(b => 1).Select(g => new { Hours = g.Sum(b => b.Hours), Amount = g.Sum(b => b.Amount), Count = g.Count() })
            .SingleOrDefaultAsync(cancellationToken);
        var (hours, amount, count) = booked is null ? (0m, 0m, 0) : (booked.Hours, booked.Amount, booked.Count);
        var remaining = (budget ?? 0m) - amount;
        return new BudgetStatus(schoolId, year, budget, hours, amount, Math.Max(remaining, 0m), remaining < 0m || (budget is null && count > 0),
            Math.Max(-remaining, 0m), count);
    }

    private static Task<int> LockBudgetAsync(SupportDbContext db, Guid schoolId, int year, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({schoolId.ToString() + "/" + year}, 0))", cancellationToken);
}
