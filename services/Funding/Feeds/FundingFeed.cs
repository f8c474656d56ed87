using System.Security.Claims;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.Funding.Allocations;
using Mep.Funding.Applications;
using Mep.Funding.Data;
using Mep.Funding.Deadlines;
using Mep.Funding.Lending;
using Mep.Funding.Programmes;
using Mep.Funding.Spending;
using Mep.ServiceDefaults.Auth;
using Mep.Feeds;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Feeds;

/// <summary>
/// An application as the reporting feed shows it, with what identifies its school. The description, concept reference and proof-of-use
/// document are left out: finance reports amounts, statuses and days.
/// </summary>
public sealed class FeedApplication
{
    public Guid Id { get; init; }
    public Guid SchoolId { get; init; }
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string District { get; init; } = string.Empty;
    public string ProgrammeCode { get; init; } = string.Empty;
    public SpendingCategory Category { get; init; }
    public string Title { get; init; } = string.Empty;
    public ApplicationStatus Status { get; init; }
    public decimal PlannedAmount { get; init; }
    public decimal SurchargeAmount { get; init; }

    /// <summary>Planned amount plus surcharge, as the API's plannedTotal.</summary>
    public decimal PlannedTotal { get; init; }
    public decimal? ApprovedAmount { get; init; }
    public decimal DrawnAmount { get; init; }

    /// <summary>Approved minus drawn (0 approved before approval), as the API's remaining.</summary>
    public decimal Remaining { get; init; }
    public DateOnly MeasureStart { get; init; }
    public DateOnly? SubmittedOn { get; init; }
    public DateOnly? ApprovedOn { get; init; }
    public DateOnly? SettledOn { get; init; }
    public bool FirstComeFirstServed { get; init; }
}

/// <summary>An invoice paid for a measure; its device and rollout-item links stay in the API (the proof of use lists them).</summary>
public sealed class FeedExpenditure
{
    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string ProgrammeCode { get; init; } = string.Empty;
    public string Vendor { get; init; } = string.Empty;
    public string InvoiceNumber { get; init; } = string.Empty;
    public DateOnly InvoiceDate { get; init; }
    public decimal Amount { get; init; }
    public SpendingCategory Category { get; init; }
}

public sealed class FeedDraw
{
    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string ProgrammeCode { get; init; } = string.Empty;
    public decimal Amount { get; init; }
    public DateOnly DrawnOn { get; init; }
    public string Reference { get; init; } = string.Empty;
}

/// <summary>One step of an application's lifecycle; the school is the application's (for slicing by school without a join in Excel).</summary>
public sealed class FeedApplicationStatusChange
{
    public long Id { get; init; }
    public Guid ApplicationId { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;

    /// <summary>Null on the first step (the draft's creation).</summary>
    public ApplicationStatus? From { get; init; }
    public ApplicationStatus To { get; init; }
    public DateOnly OnDay { get; init; }
    public string Actor { get; init; } = string.Empty;
}

public sealed class FeedDeadlineWarning
{
    public string ProgrammeCode { get; init; } = string.Empty;

    /// <summary>applicationsUntil, approvalsUntil or settlementUntil.</summary>
    public string Deadline { get; init; } = string.Empty;
    public DateOnly Day { get; init; }
    public int WindowDays { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public int DaysLeft { get; init; }
    public decimal AmountAtRisk { get; init; }
    public DateTimeOffset WarnedAt { get; init; }
}

/// <summary>A programme with the scalar parts of its rules; the nested rules (financiers, caps, dates, shares) stay in GET /programmes.</summary>
public sealed class FeedProgramme
{
    public string Code { get; init; } = string.Empty;
    public string Name { get; init; } = string.Empty;
    public ProgrammeKind Kind { get; init; }

    /// <summary>The authority's total in the programme, when it has one.</summary>
    public decimal? Pool { get; init; }
    public decimal FundingRate { get; init; }
    public decimal OwnShareRate { get; init; }
    public decimal SafetySurchargeRate { get; init; }
}

/// <summary>A school's allocation in a programme: its base amount (bound to it in DigitalPakt) and its per-pupil share.</summary>
public sealed class FeedAllocation
{
    public string ProgrammeCode { get; init; } = string.Empty;
    public Guid SchoolId { get; init; }
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public decimal BaseAmount { get; init; }
    public int? BasePupils { get; init; }
    public decimal PerPupilShare { get; init; }
    public decimal Total { get; init; }
}

/// <summary>A loan as Assets reported it, for counting loan devices per programme in Excel; the borrower stays with Assets.</summary>
public sealed class FeedLoan
{
    public Guid LoanId { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public Guid DeviceId { get; init; }

    /// <summary>The programme that financed the device, as Assets names it; null for a school's own pool.</summary>
    public FundingSource? FundingSource { get; init; }
    public BorrowerKind? BorrowerKind { get; init; }
    public DateOnly? LentOn { get; init; }
    public DateOnly? DueBack { get; init; }

    /// <summary>Null while the loan is out.</summary>
    public LoanEnding? Ending { get; init; }
    public DateOnly? EndedOn { get; init; }
    public bool? Damaged { get; init; }

    /// <summary>The loan at the borrower's earlier school that this one continues.</summary>
    public Guid? TransferredFromLoanId { get; init; }
}

/// <summary>A repair's cost against its payer.</summary>
public sealed class FeedRepairCost
{
    public Guid CostId { get; init; }
    public Guid RepairCaseId { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public Guid DeviceId { get; init; }
    public RepairPayer Payer { get; init; }
    public decimal Amount { get; init; }
    public decimal? ContractorHours { get; init; }
    public DateOnly IncurredOn { get; init; }
}

/// <summary>
/// The Funding service's OData feed (/api/funding/odata) for finance's Excel and Power BI: applications, invoices, draws and status
/// history, allocations, loans and repair costs (a school key its own school's), deadline warnings (finance and admins), programmes.
/// </summary>
public static class FundingFeed
{
    public static void Declare(FeedBuilder feed) => feed
        .EntitySet("Applications", "Application", (FeedApplication a) => a.Id, FundingAccess.Read, context => Applications(Db(context), context.User))
        .EntitySet("Expenditures", "Expenditure", (FeedExpenditure e) => e.Id, FundingAccess.Read, context => Expenditures(Db(context), context.User))
        .EntitySet("Draws", "Draw", (FeedDraw d) => d.Id, FundingAccess.Read, context => Draws(Db(context), context.User))
        .EntitySet("ApplicationStatusChanges", "ApplicationStatusChange", (FeedApplicationStatusChange c) => c.Id, FundingAccess.Read,
            context => StatusChanges(Db(context), context.User))
        .EntitySet("DeadlineWarnings", "DeadlineWarning", (FeedDeadlineWarning w) => new { w.ProgrammeCode, w.Deadline, w.Day, w.WindowDays, w.SchoolId },
            FundingAccess.Manage, context => DeadlineWarnings(Db(context)))
        .EntitySet("Programmes", "Programme", (FeedProgramme p) => p.Code, FundingAccess.Read, context => Programmes(Db(context)))
        .EntitySet("Allocations", "Allocation", (FeedAllocation a) => new { a.ProgrammeCode, a.SchoolId }, FundingAccess.Read,
            context => Allocations(Db(context), context.User))
        .EntitySet("Loans", "Loan", (FeedLoan l) => l.LoanId, FundingAccess.Read, context => Loans(Db(context), context.User))
        .EntitySet("RepairCosts", "RepairCost", (FeedRepairCost c) => c.CostId, FundingAccess.Read, context => RepairCosts(Db(context), context.User));

    private static FundingDbContext Db(HttpContext context) => context.RequestServices.GetRequiredService<FundingDbContext>();

    /// <summary>A school key's rows are its school's, before any query option applies. Every application's school is known (creation checks it).</summary>
    private static IQueryable<FeedApplication> Applications(FundingDbContext db, ClaimsPrincipal user) =>
        from a in db.VisibleApplications(user).AsNoTracking()
        join s in db.KnownSchools.AsNoTracking() on a.SchoolId equals s.SchoolId
        select new FeedApplication
        {
            Id = a.Id, SchoolId = a.SchoolId, SchoolNumber = s.Number, SchoolName = s.Name, District = s.District, ProgrammeCode = a.ProgrammeCode,
            Category = a.Category, Title = a.Title, Status = a.Status, PlannedAmount = a.PlannedAmount, SurchargeAmount = a.SurchargeAmount,
            PlannedTotal = a.PlannedAmount + a.SurchargeAmount, ApprovedAmount = a.ApprovedAmount, DrawnAmount = a.DrawnAmount,
            Remaining = (a.ApprovedAmount ?? 0m) - a.DrawnAmount, MeasureStart = a.MeasureStart, SubmittedOn = a.SubmittedOn, ApprovedOn = a.ApprovedOn,
            SettledOn = a.SettledOn, FirstComeFirstServed = a.FirstComeFirstServed,
        };

    private static IQueryable<FeedExpenditure> Expenditures(FundingDbContext db, ClaimsPrincipal user) =>
        db.Set<Expenditure>().AsNoTracking().VisibleTo(user, e => e.SchoolId).LeftJoin(db.KnownSchools, e => e.SchoolId, k => k.SchoolId,
            (e, k) => new FeedExpenditure
            {
                Id = e.Id, ApplicationId = e.ApplicationId, SchoolId = e.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name,
                ProgrammeCode = e.ProgrammeCode, Vendor = e.Vendor, InvoiceNumber = e.InvoiceNumber, InvoiceDate = e.InvoiceDate, Amount = e.Amount,
                Category = e.Category,
            });

    private static IQueryable<FeedAllocation> Allocations(FundingDbContext db, ClaimsPrincipal user) =>
        db.Set<Allocation>().AsNoTracking().VisibleTo(user, a => a.SchoolId).LeftJoin(db.KnownSchools, a => a.SchoolId, k => k.SchoolId,
            (a, k) => new FeedAllocation
            {
                ProgrammeCode = a.ProgrammeCode, SchoolId = a.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, BaseAmount = a.BaseAmount,
                BasePupils = a.BasePupils, PerPupilShare = a.PerPupilShare, Total = a.BaseAmount + a.PerPupilShare,
            });

    private static IQueryable<FeedLoan> Loans(FundingDbContext db, ClaimsPrincipal user) =>
        db.Set<KnownLoan>().AsNoTracking().VisibleTo(user, l => l.SchoolId).LeftJoin(db.KnownSchools, l => l.SchoolId, k => k.SchoolId,
            (l, k) => new FeedLoan
            {
                LoanId = l.LoanId, SchoolId = l.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, DeviceId = l.DeviceId, FundingSource = l.FundingSource,
                BorrowerKind = l.BorrowerKind, LentOn = l.LentOn, DueBack = l.DueBack, Ending = l.Ending, EndedOn = l.EndedOn, Damaged = l.Damaged,
                TransferredFromLoanId = l.TransferredFromLoanId,
            });

    private static IQueryable<FeedRepairCost> RepairCosts(FundingDbContext db, ClaimsPrincipal user) =>
        db.Set<RepairCost>().AsNoTracking().VisibleTo(user, c => c.SchoolId).LeftJoin(db.KnownSchools, c => c.SchoolId, k => k.SchoolId,
            (c, k) => new FeedRepairCost
            {
                CostId = c.CostId, RepairCaseId = c.RepairCaseId, SchoolId = c.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, DeviceId = c.DeviceId,
                Payer = c.Payer, Amount = c.Amount, ContractorHours = c.ContractorHours, IncurredOn = c.IncurredOn,
            });

    private static IQueryable<FeedDraw> Draws(FundingDbContext db, ClaimsPrincipal user) =>
        db.Set<Draw>().AsNoTracking().VisibleTo(user, d => d.SchoolId).LeftJoin(db.KnownSchools, d => d.SchoolId, k => k.SchoolId,
            (d, k) => new FeedDraw
            {
                Id = d.Id, ApplicationId = d.ApplicationId, SchoolId = d.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name,
                ProgrammeCode = d.ProgrammeCode, Amount = d.Amount, DrawnOn = d.DrawnOn, Reference = d.Reference,
            });

    /// <summary>History rows carry no school of their own: they are the visible applications' rows.</summary>
    private static IQueryable<FeedApplicationStatusChange> StatusChanges(FundingDbContext db, ClaimsPrincipal user) =>
        from c in db.Set<ApplicationStatusChange>().AsNoTracking()
        join a in db.VisibleApplications(user) on c.ApplicationId equals a.Id
        join k in db.KnownSchools on a.SchoolId equals k.SchoolId into schools
        from k in schools.DefaultIfEmpty()
        select new FeedApplicationStatusChange
        {
            Id = c.Id, ApplicationId = c.ApplicationId, SchoolId = a.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, From = c.FromStatus,
            To = c.ToStatus, OnDay = c.OnDay, Actor = c.Actor,
        };

    private static IQueryable<FeedDeadlineWarning> DeadlineWarnings(FundingDbContext db) =>
        db.Set<DeadlineWarning>().AsNoTracking().LeftJoin(db.KnownSchools, w => w.SchoolId, k => k.SchoolId, (w, k) => new FeedDeadlineWarning
        {
            ProgrammeCode = w.ProgrammeCode, Deadline = w.Deadline, Day = w.Day, WindowDays = w.WindowDays, SchoolId = w.SchoolId,
            SchoolNumber = k!.Number, SchoolName = k.Name, DaysLeft = w.DaysLeft, AmountAtRisk = w.AmountAtRisk, WarnedAt = w.WarnedAt,
        });

    /// <summary>
    /// The rules are one jsonb column that EF reads whole; their scalars come out of it in SQL, so that $filter and $orderby on a rate run
    /// in PostgreSQL like every other column. The JSON names are the API's (JsonColumn); the kind comes through the entity's mapping.
    /// </summary>
    private static IQueryable<FeedProgramme> Programmes(FundingDbContext db) =>
        from p in db.Set<Programme>().AsNoTracking()
        join r in db.Database.SqlQuery<ScalarRules>($"""
            SELECT code AS code, (rules->>'pool')::numeric AS pool, (rules->>'fundingRate')::numeric AS funding_rate,
                (rules->>'ownShareRate')::numeric AS own_share_rate, (rules->>'safetySurchargeRate')::numeric AS safety_surcharge_rate
            FROM programmes
            """) on p.Code equals r.Code
        select new FeedProgramme
        {
            Code = p.Code, Name = p.Name, Kind = p.Kind, Pool = r.Pool, FundingRate = r.FundingRate, OwnShareRate = r.OwnShareRate,
            SafetySurchargeRate = r.SafetySurchargeRate,
        };

    private sealed class ScalarRules
    {
        public string Code { get; init; } = string.Empty;
        public decimal? Pool { get; init; }
        public decimal FundingRate { get; init; }
        public decimal OwnShareRate { get; init; }
        public decimal SafetySurchargeRate { get; init; }
    }
}
