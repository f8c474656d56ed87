using System.Security.Claims;
using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Exports;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Mep.Jobs;

namespace Mep.Assets.Loans;

public static class LoanEndpoints
{
    /// <summary>5,000 rows with every override filled are about 2.5 MB as JSON; the rest is headroom.</summary>
    private const long MaxBatchBodyBytes = 4 * 1024 * 1024;

    public static RouteGroupBuilder MapLoanEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/loans/batch", LendDevices).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(LendDevices))
            .WithSummary($"Lend up to {LoanFields.MaxRows:N0} devices of one school in one call (a class set, a cart, a single loan): all or none; Idempotency-Key supported.")
            .WithDescription("The call's lentOn, dueBack, agreement, accessories and condition apply to every row that does not give its own. "
                + "The programme that financed each device decides who may borrow it and until when (GET /loan-rules). One bad row and nothing "
                + "is lent: the problem lists every bad row (`rows`: row, counted from 1, serialNumber or deviceId, field, rule, reason), with rules "
                + "such as device-unknown, device-not-lendable (also a network device or board system component: only tablets and computer-room devices "
                + "are lent), device-already-lent, device-listed-twice, lent-before-last-loan-ended, programme-excludes-borrower, "
                + "due-back-beyond-programme, guardian-signature-required.")
            .Produces<LoanBatchResult>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBatchBodyBytes));
        group.MapPost("/loans/returns", ReturnDevices).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(ReturnDevices))
            .WithSummary($"Take back up to {LoanFields.MaxRows:N0} lent devices in one call (the end of the school year): all or none; Idempotency-Key supported.")
            .WithDescription("Each row names a loan by loanId or by its device's serialNumber (the loan that is out), with the condition, damage and "
                + "the accessories that did not come back. One bad row and nothing is returned: the problem lists every bad row (`rows`: row, "
                + "loanId or serialNumber, field, rule, reason).")
            .Produces<LoanReturnsResult>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBatchBodyBytes));
        group.MapGet("/loans", ListLoans).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(ListLoans)).WithSummary("Loans, newest first, filtered and paged; a school key sees only its own school's.");
        group.MapGet("/loans/{id:guid}", GetLoan).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(GetLoan)).WithSummary("One loan, with its agreement and ETag; another school's loan is not found for a school key.");
        group.MapPost("/loans/{id:guid}/extend", ExtendLoan).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(ExtendLoan)).WithSummary("A later due date, after today and within the programme's limit counted from the first hand-out (If-Match supported).");
        group.MapPost("/loans/{id:guid}/lost", ReportLoss).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(ReportLoss))
            .WithSummary("The device was lost or stolen: the loan ends so and the device becomes lost, leaving the counts (If-Match supported).");
        group.MapPost("/loans/{id:guid}/transfer", TransferLoan).RequireAuthorization(AssetsAccess.Register)
            .WithName(nameof(TransferLoan))
            .WithSummary("The borrower moves to another school with the device: the loan ends here and continues there; each school sees only its own part (If-Match supported).");
        group.MapGet("/loan-rules", LoanRules).RequireAuthorization(AssetsAccess.Read)
            .WithName(nameof(LoanRules)).WithSummary("Per financing programme: who may borrow its devices and for how many days at most.");
        group.MapGet("/loans/report", LoanReportEndpoint).RequireAuthorization(AssetsAccess.Read)
            .WithName("LoanReport")
            .WithSummary("Per school and programme: loans out and overdue today, lent, returned, returned damaged and lost or stolen in a period, "
                + "damage and loss rates; a school key sees its own school.");
        group.MapExport("/loans/report.{format}", LoanReportFile, "LoanReport", "The loan report per school and programme as a file.")
            .RequireAuthorization(AssetsAccess.Read);
        return group;
    }

    public static async Task<IResult> LendDevices(LoanBatchRequest request, HttpRequest http, ClaimsPrincipal user, AssetsDbContext db,
        TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var required = await SchoolSelection.RequireAsync(db, user, request.SchoolId, request.SchoolNumber, cancellationToken);
        if (required.Refused(out var refusal))
        {
            return refusal;
        }

        var school = required.School!;
        return await IdempotentWrite.RunAsync(db, http, user, request, clock, json.Value.SerializerOptions, async now =>
        {
            var handOut = await LoanHandOuts.PrepareAsync(db, school.SchoolId, request, now, cancellationToken);
            if (handOut.Errors.Count > 0)
            {
                return WriteOutcome.Refused(BatchRefused(handOut.Errors, "lent"));
            }

            // Inside the write's transaction, which the Idempotency-Key's claim opened; the event and the key's answer follow in its save.
            List<Loan> lent = [.. handOut.Loans.Select(l => l.Loan)];
            await LoanCopy.InsertAsync(db, lent, cancellationToken);
            db.DevicesLent(school.SchoolId, lent, now);
            var today = BerlinDay.Today(clock);
            return new WriteOutcome(StatusCodes.Status201Created,
                new LoanBatchResult([.. handOut.Loans.Select(l => LoanResponse.From(l.Loan, l.SerialNumber, school, today))]), null, null);
        }, cancellationToken);
    }

    public static async Task<IResult> ReturnDevices(LoanReturnsRequest request, HttpRequest http, ClaimsPrincipal user, AssetsDbContext db,
        TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken) =>
        await IdempotentWrite.RunAsync(db, http, user, request, clock, json.Value.SerializerOptions, async now =>
        {
            var returned = await LoanHandOuts.ReturnAsync(db, user, request, now, cancellationToken);
            if (returned.Errors.Count > 0)
            {
                return WriteOutcome.Refused(BatchRefused(returned.Errors, "returned"));
            }

            await LoanCopy.UpdateReturnedAsync(db, [.. returned.Loans.Select(l => l.Loan)], cancellationToken);
            foreach (var perSchool in returned.Loans.GroupBy(l => l.Loan.SchoolId))
            {
                db.DevicesReturned(perSchool.Key, [.. perSchool.Select(l => l.Loan)], now);
            }

            var schools = await SchoolsAsync(db, returned.Loans.Select(l => l.Loan.SchoolId), cancellationToken);
            var today = BerlinDay.Today(clock);
            return WriteOutcome.Ok(new LoanReturnsResult(returned.Loans.Count,
                [.. returned.Loans.Select(l => LoanResponse.From(l.Loan, l.SerialNumber, schools.GetValueOrDefault(l.Loan.SchoolId), today))]));
        }, cancellationToken);

    public static async Task<Results<Ok<Page<LoanResponse>>, ProblemHttpResult>> ListLoans([AsParameters] LoanListQuery query, ClaimsPrincipal user,
        AssetsDbContext db, ISchoolNumbers numbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var selection = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        if (selection.Refused(out var refusal))
        {
            return refusal;
        }

        var today = BerlinDay.Today(clock);
        var loans = selection.Apply(db.Set<Loan>().AsNoTracking().VisibleTo(user, l => l.SchoolId), l => l.SchoolId);
        if (EnumText.ParseOptionalName<LoanState>(query.State) is { } state)
        {
            loans = loans.Where(l => l.State == state);
        }

        if (query.Overdue is { } overdue)
        {
            loans = overdue
                ? loans.Where(l => l.State == LoanState.Out && l.DueBack < today)
                : loans.Where(l => !(l.State == LoanState.Out && l.DueBack < today));
        }

        if (!string.IsNullOrWhiteSpace(query.BorrowerReference))
        {
            var reference = LoanReference.Normalise(query.BorrowerReference);
            loans = loans.Where(l => l.BorrowerReference == reference);
        }

        if (EnumText.ParseOptionalName<FundingSource>(query.Programme) is { } programme)
        {
            loans = loans.Where(l => l.Programme == programme);
        }

        if (!string.IsNullOrWhiteSpace(query.ClassName))
        {
            var className = query.ClassName.Trim();
            loans = loans.Where(l => l.ClassName == className);
        }

        if (query.DeviceId is { } deviceId)
        {
            loans = loans.Where(l => l.DeviceId == deviceId);
        }

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await loans.CountAsync(cancellationToken);
        var rows = await loans.OrderByDescending(l => l.LentOn).ThenByDescending(l => l.Id).Skip(skip).Take(take)
            .Join(db.Devices, l => l.DeviceId, d => d.Id, (l, d) => new { Loan = l, d.SerialNumber })
            .ToListAsync(cancellationToken);
        var schools = await SchoolsAsync(db, rows.Select(r => r.Loan.SchoolId), cancellationToken);
        return TypedResults.Ok(new Page<LoanResponse>(
            [.. rows.Select(r => LoanResponse.From(r.Loan, r.SerialNumber, schools.GetValueOrDefault(r.Loan.SchoolId), today))], page, pageSize, total));
    }

    public static async Task<Results<Ok<LoanResponse>, ProblemHttpResult>> GetLoan(Guid id, ClaimsPrincipal user, AssetsDbContext db,
        TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(db, user, id, tracking: false, cancellationToken) is not { } loan)
        {
            return ApiProblems.NotFound("loan");
        }

        ETags.Set(response, loan.Version);
        return TypedResults.Ok(await AnswerAsync(db, loan, clock, cancellationToken));
    }

    public static async Task<Results<Ok<LoanResponse>, ProblemHttpResult>> ExtendLoan(Guid id, LoanExtensionRequest request, ClaimsPrincipal user,
        AssetsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(FindVisibleAsync(db, user, id, tracking: true, cancellationToken), "loan", http.Request, l => l.Version);
        if (!found.TryGet(out var loan, out var refusal))
        {
            return refusal;
        }

        var rule = await db.Set<LoanProgrammeRule>().AsNoTracking().SingleOrDefaultAsync(r => r.Programme == loan.Programme, cancellationToken)
            ?? throw new DomainRuleException("device-not-lendable", "No loan rule is kept for the device's programme any more; the loan is not extended.");
        loan.Extend(request.DueBack!.Value, rule, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, loan.Version);
        return TypedResults.Ok(await AnswerAsync(db, loan, clock, cancellationToken));
    }

    public static async Task<Results<Ok<LoanResponse>, ProblemHttpResult>> ReportLoss(Guid id, LoanLossRequest request, ClaimsPrincipal user,
        AssetsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(FindVisibleAsync(db, user, id, tracking: true, cancellationToken), "loan", http.Request, l => l.Version);
        if (!found.TryGet(out var loan, out var refusal))
        {
            return refusal;
        }

        var device = await db.Devices.AsTracking().SingleAsync(d => d.Id == loan.DeviceId, cancellationToken);
        var now = clock.GetUtcNow();
        var kind = EnumText.ParseName<LossKind>(request.Kind!);
        var from = loan.ReportLoss(kind, request.ReportedOn!.Value, device, now);
        db.DeviceHistory.Add(DeviceHistoryEntry.StatusChanged(device.Id, from, device.Status, user.Actor(),
            $"Loan {loan.Id}: {DeviceRules.Name(kind)}, reported on {loan.LossReportedOn:yyyy-MM-dd}.", now));
        db.DeviceStatusChanged(device, from, now);
        db.LoanLost(loan, now);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, loan.Version);
        return TypedResults.Ok(await AnswerAsync(db, loan, clock, cancellationToken));
    }

    public static async Task<Results<Ok<LoanResponse>, ProblemHttpResult>> TransferLoan(Guid id, LoanTransferRequest request, ClaimsPrincipal user,
        AssetsDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(FindVisibleAsync(db, user, id, tracking: true, cancellationToken), "loan", http.Request, l => l.Version);
        if (!found.TryGet(out var loan, out var refusal))
        {
            return refusal;
        }

        if (user.SchoolScope() is not null && request.ToSchoolId is not null)
        {
            // A school knows the school a pupil moves to by its number; ids of other schools are not a school key's to name.
            return ApiProblems.InvalidFields("Name the school the borrower moves to by toSchoolNumber.",
                new Dictionary<string, string[]> { ["toSchoolId"] = ["A school key names the new school by toSchoolNumber."] });
        }

        var target = await TargetSchoolAsync(db, request, cancellationToken);
        if (!target.TryGet(out var toSchool, out var unknown))
        {
            return unknown;
        }

        var device = await db.Devices.AsTracking().SingleAsync(d => d.Id == loan.DeviceId, cancellationToken);
        var now = clock.GetUtcNow();
        var from = (device.SchoolId, device.RoomId);
        var continued = loan.TransferTo(Guid.CreateVersion7(now), toSchool.SchoolId, request.On!.Value, device, now);
        db.DeviceHistory.Add(DeviceHistoryEntry.Moved(device.Id, from, (device.SchoolId, device.RoomId), user.Actor(),
            $"Loan transferred on {request.On:yyyy-MM-dd}: the borrower changed school.", now));
        db.DeviceMoved(device, from, now);
        db.LoanTransferred(loan, continued, now);

        // The loan that ends is saved before the one that continues: the device may be out on one loan at a time (ux_loans_device_id_out).
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            db.Set<Loan>().Add(continued);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        ETags.Set(http.Response, loan.Version);
        return TypedResults.Ok(await AnswerAsync(db, loan, clock, cancellationToken));
    }

    public static async Task<Ok<List<LoanRuleResponse>>> LoanRules(AssetsDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Set<LoanProgrammeRule>().AsNoTracking().OrderBy(r => r.Programme).ToListAsync(cancellationToken))
            .Select(LoanRuleResponse.From).ToList());

    public static async Task<Results<Ok<LoanReport>, ProblemHttpResult>> LoanReportEndpoint([AsParameters] LoanReportQuery query, ClaimsPrincipal user,
        AssetsDbContext db, ISchoolNumbers numbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, refusal) = await ReportAsync(query, user, db, numbers, clock, cancellationToken);
        return report is null ? refusal! : TypedResults.Ok(report);
    }

    public static async Task<Results<ExportDocument, ProblemHttpResult>> LoanReportFile([AsParameters] LoanReportQuery query, ClaimsPrincipal user,
        AssetsDbContext db, ISchoolNumbers numbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (report, refusal) = await ReportAsync(query, user, db, numbers, clock, cancellationToken);
        return report is null ? refusal! : LoanReportExport.Of(report);
    }

    /// <summary>The report of the school the query names (all the caller may see when none), or the refusal of that naming.</summary>
    private static async Task<(LoanReport? Report, ProblemHttpResult? Refusal)> ReportAsync(LoanReportQuery query, ClaimsPrincipal user,
        AssetsDbContext db, ISchoolNumbers numbers, TimeProvider clock, CancellationToken cancellationToken)
    {
        var selection = await SchoolSelection.SelectAsync(numbers, user, query.SchoolId, query.SchoolNumber, cancellationToken);
        return selection.Refused(out var refusal)
            ? (null, refusal)
            : (await LoanReport.BuildAsync(db, user, selection, query.From, query.To, BerlinDay.Today(clock), cancellationToken), null);
    }

    /// <summary>One bad row or more: nothing was written; every bad row with its rule.</summary>
    private static ProblemHttpResult BatchRefused(IReadOnlyList<LoanRowError> errors, string what) =>
        ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.BatchRejected, "Batch rejected",
            $"{errors.Select(e => e.Row).Distinct().Count()} row(s) cannot be {what}; nothing was {what}. Correct them and send the whole batch again.",
            new Dictionary<string, object?> { ["rows"] = errors });

    private static async Task<LoanResponse> AnswerAsync(AssetsDbContext db, Loan loan, TimeProvider clock, CancellationToken cancellationToken)
    {
        var serial = await db.Devices.Where(d => d.Id == loan.DeviceId).Select(d => d.SerialNumber).SingleAsync(cancellationToken);
        return LoanResponse.From(loan, serial, await KnownSchools.OfAsync(db, loan.SchoolId, cancellationToken), BerlinDay.Today(clock));
    }

    private static async Task<Dictionary<Guid, KnownSchool>> SchoolsAsync(AssetsDbContext db, IEnumerable<Guid> schoolIds, CancellationToken cancellationToken)
    {
        var ids = schoolIds.Distinct().ToList();
        return await db.KnownSchools.AsNoTracking().Where(s => ids.Contains(s.SchoolId)).ToDictionaryAsync(s => s.SchoolId, cancellationToken);
    }

    /// <summary>The school the borrower moves to: by number (compared with the id, if both), or by id; 422 school-unknown when nobody has it.</summary>
    private static async Task<WriteTarget<KnownSchool>> TargetSchoolAsync(AssetsDbContext db, LoanTransferRequest request, CancellationToken cancellationToken)
    {
        var schools = db.KnownSchools.AsNoTracking();
        var school = request.ToSchoolNumber is { } number
            ? await KnownSchools.ByNumber(schools, number.Trim()).FirstOrDefaultAsync(cancellationToken)
            : await schools.FirstOrDefaultAsync(s => s.SchoolId == request.ToSchoolId, cancellationToken);
        if (school is null)
        {
            var field = request.ToSchoolNumber is null ? "toSchoolId" : "toSchoolNumber";
            return new(null, ApiProblems.DomainRule("school-unknown", "No school with this " + (field == "toSchoolId" ? "id" : "number") + " is known.", [field]));
        }

        if (request.ToSchoolId is { } id && request.ToSchoolNumber is not null && id != school.SchoolId)
        {
            return new(null, ApiProblems.InvalidFields("toSchoolId and toSchoolNumber name different schools; name the school by one of them.",
                new Dictionary<string, string[]>
                {
                    ["toSchoolId"] = ["Names another school than toSchoolNumber."], ["toSchoolNumber"] = ["Names another school than toSchoolId."],
                }));
        }

        return new(school, null);
    }

    /// <summary>The loan if it exists and the caller may see its school; for a school key another school's loan does not exist.</summary>
    private static Task<Loan?> FindVisibleAsync(AssetsDbContext db, ClaimsPrincipal user, Guid id, bool tracking, CancellationToken cancellationToken) =>
        (tracking ? db.Set<Loan>().AsTracking() : db.Set<Loan>().AsNoTracking()).VisibleTo(user, l => l.SchoolId)
            .FirstOrDefaultAsync(l => l.Id == id, cancellationToken);
}
