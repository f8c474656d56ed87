using System.Globalization;
using Mep.Contracts.Schools;
using Mep.Funding.Allocations;
using Mep.Funding.Applications;
using Mep.Funding.Data;
using Mep.Funding.Directory;
using Mep.Funding.Programmes;
using Mep.Funding.Spending;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.Jobs;
using Mep.SchoolDirectory;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.DemoData;

/// <summary>
/// Demo money for the demo city that Schools seeds (synthetic, shaped like the council paper). Real are the programme's figures: the
/// per-pupil pool of 17,216,836.00 EUR (distributed by the existing proposal, pupils of 2019/20 times the Land's type weights), the
/// six measure-4 schools (found by name) and the 783,960.00 EUR of DigitalPakt funds the paper uses for measures 1-4, which their
/// approved applications add up to exactly. Everything else (how the sum splits, days, vendors, invoices, draws, the applications of
/// other schools and the city budget's) is plausible demo data. Applications carry a fixed key in their title (DEMO-...): running it
/// again creates nothing, and an existing per-pupil distribution is never overwritten.
/// </summary>
/// <remarks>
/// The applications' history lies in 2020-2024, so it goes through the domain types with the historical day as "today", not through
/// the HTTP API: the API judges deadlines on the real day, and today (2026) it refuses every DigitalPakt submission and approval
/// after the 2023/2024 deadlines. Every rule the API applies on a step is applied here on the step's day (draft rules, submission
/// deadline, requirement profile and mobile-device cap, approval deadline, invoice rules, draws never above approved minus drawn,
/// proof of use and full media concept before settlement), with the same history rows, audit rows and outbox events.
/// </remarks>
public sealed class DemoFunding(FundingDbContext db, TimeProvider clock, ILogger<DemoFunding> logger)
{
    public const string Command = "seed-demo";
    public const int DemoCitySchools = Mep.Contracts.Schools.DemoCitySchools.Count;
    public const string Prefix = "DEMO-";
    public const string DigitalPakt = "digitalpakt-2019-ni";
    public const string CityBudget = "city-mep-budget";

    /// <summary>docs/domain.md: the council paper uses 783,960 EUR of DigitalPakt funds for measures 1-4 (cost table: grants for investment).</summary>
    public const decimal MeasureFourFunds = 783_960.00m;

    /// <summary>The paper's measure 4 (real names): six more schools to MEP standard in 2020.</summary>
    public static readonly IReadOnlyList<string> MeasureFourSchools =
    [
        "GS Am Welfenplatz", "GS Otfried-Preußler-Schule", "GY Goetheschule", "GY Limmer", "GY Ricarda-Huch-Schule", "IGS Leonore-Goldschmidt-Schule",
    ];

    /// <summary>Applications at the measure-4 schools carry this key prefix; their approved amounts add up to <see cref="MeasureFourFunds"/>.</summary>
    public const string MeasureFourKeyPrefix = Prefix + "M4-";

    private const string Actor = "demo-seed";
    private const string LockName = "funding-demo-seed";

    /// <param name="SharesApplied">Whether this run distributed the per-pupil share (false: a distribution was there and is kept).</param>
    public sealed record Result(bool SharesApplied, decimal PerPupilShareTotal, int SchoolsWithShare, int ApplicationsCreated, int DemoApplications,
        int MeasureFourApplications, decimal MeasureFourApproved, decimal MeasureFourDrawn, decimal MeasureFourSpent);

    /// <summary>Migrates, waits for Schools' events to have told Funding the whole demo city, seeds, prints a summary line.</summary>
    public static async Task RunFromCommandLineAsync(WebApplication app)
    {
        await app.Services.MigrateDatabaseAsync<FundingDbContext>();
        await using var scope = app.Services.CreateAsyncScope();
        var demo = scope.ServiceProvider.GetRequiredService<DemoFunding>();
        await demo.WaitForSchoolsAsync(Mep.Contracts.Schools.DemoCitySchools.Numbers, TimeSpan.FromSeconds(120), CancellationToken.None);
        var r = await demo.SeedAsync(CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"demo funding: per-pupil share {r.PerPupilShareTotal:#,##0.00} EUR over {r.SchoolsWithShare} schools "
            + $"({(r.SharesApplied ? "distributed by the proposal" : "kept as distributed")}); {r.ApplicationsCreated} applications created, "
            + $"{r.DemoApplications} in total; measure 4: {r.MeasureFourApplications} applications, {r.MeasureFourApproved:#,##0.00} EUR approved, "
            + $"{r.MeasureFourDrawn:#,##0.00} drawn, {r.MeasureFourSpent:#,##0.00} spent"));
    }

    /// <summary>
    /// The command runs while the services start, so Schools' events may still be on their way: polls until Funding knows the schools,
    /// each with its 2019/20 figures (and so its base amount) and media concept, and the six measure-4 schools by name. Fails with a
    /// message rather than distributing the pool over half a city.
    /// </summary>
    /// <param name="numbers">The demo schools' numbers (<see cref="Mep.Contracts.Schools.DemoCitySchools.Numbers"/>).</param>
    public async Task WaitForSchoolsAsync(IReadOnlyCollection<string> numbers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var expected = numbers.Count;
        var demoNumbers = numbers.ToList();
        var programme = await ProgrammeCatalog.FindAsync(db, DigitalPakt, cancellationToken)
            ?? throw new InvalidOperationException($"Programme {DigitalPakt} is missing; the migrations seed it.");
        var startYear = programme.Rules.PerPupilShare?.PupilsOfStartYear ?? 2019;
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            // The demo city's schools only: schools users added are none of this wait's business (one named like a measure-4
            // school kept it from ever ending, and others let it end before the city had arrived).
            var demoSchools = db.KnownSchools.Where(s => demoNumbers.Contains(s.Number));
            var known = await demoSchools.CountAsync(cancellationToken);
            var withFigures = await db.KnownSchoolYears.CountAsync(y => y.StartYear == startYear && demoSchools.Any(s => s.SchoolId == y.SchoolId), cancellationToken);
            var withBase = await db.Set<Allocation>().CountAsync(a => a.ProgrammeCode == DigitalPakt && a.BasePupils != null
                && demoSchools.Any(s => s.SchoolId == a.SchoolId), cancellationToken);
            var withConcept = await db.KnownMediaConcepts.CountAsync(c => demoSchools.Any(s => s.SchoolId == c.SchoolId), cancellationToken);
            var measureFour = await demoSchools.CountAsync(s => MeasureFourSchools.Contains(s.Name), cancellationToken);
            if (known >= expected && withFigures >= expected && withBase >= expected && withConcept >= expected && measureFour == MeasureFourSchools.Count)
            {
                return;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                throw new InvalidOperationException(
                    $"Funding knows {known} of {expected} demo schools ({withFigures} with {startYear}/{startYear + 1 - 2000:00} figures, {withBase} with a "
                    + $"base amount, {withConcept} with a media concept, {measureFour} of the {MeasureFourSchools.Count} measure-4 schools) after "
                    + $"{timeout.TotalSeconds:0} s; Schools' events have not arrived. Are Schools and Funding running (./mep status), and was the "
                    + "demo city seeded (./mep seed)?");
            }

            logger.LogInformation("Waiting for the demo city: Funding knows {Known} of {Expected} schools, {WithFigures} with figures", known, expected,
                withFigures);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    public async Task<Result> SeedAsync(CancellationToken cancellationToken)
    {
        var programmes = (await ProgrammeCatalog.AllAsync(db, cancellationToken)).ToDictionary(p => p.Code, StringComparer.Ordinal);
        var sharesApplied = await DistributePerPupilShareAsync(programmes[DigitalPakt], cancellationToken);

        var schools = await db.KnownSchools.AsNoTracking().OrderBy(s => s.Number).ToListAsync(cancellationToken);
        var concepts = await db.KnownMediaConcepts.AsNoTracking().ToDictionaryAsync(c => c.SchoolId, c => c.Status, cancellationToken);
        var byName = schools.ToLookup(s => s.Name, StringComparer.Ordinal);
        // Other schools that may apply (a requirement profile at least), those not yet at MEP standard first, by number.
        var others = schools.Where(s => !MeasureFourSchools.Contains(s.Name)
                && concepts.GetValueOrDefault(s.SchoolId, MediaConceptStatus.None) != MediaConceptStatus.None)
            .OrderBy(s => s.AtMepStandard).ThenBy(s => s.Number, StringComparer.Ordinal).ToList();

        var created = 0;
        foreach (var plan in Plan())
        {
            KnownSchool school;
            if (plan.SchoolName is { } name)
            {
                school = byName[name].FirstOrDefault() ?? throw new InvalidOperationException(
                    $"Funding knows no school named {name}: the demo city names the measure-4 schools as the council paper does.");
            }
            else if (others.Count > 0)
            {
                school = others[plan.OtherSchool % others.Count];
            }
            else
            {
                logger.LogWarning("No other school with a media concept for demo application {Key}; skipped", plan.Key);
                continue;
            }

            created += await SeedApplicationAsync(plan, school, programmes[plan.ProgrammeCode], cancellationToken) ? 1 : 0;
        }

        var allocations = db.Set<Allocation>().Where(a => a.ProgrammeCode == DigitalPakt);
        var measureFour = db.Set<FundingApplication>().Where(a => a.ProgrammeCode == DigitalPakt && a.Title.StartsWith(MeasureFourKeyPrefix));
        var result = new Result(sharesApplied, await allocations.SumAsync(a => a.PerPupilShare, cancellationToken),
            await allocations.CountAsync(a => a.PerPupilShare > 0, cancellationToken), created,
            await db.Set<FundingApplication>().CountAsync(a => a.Title.StartsWith(Prefix), cancellationToken),
            await measureFour.CountAsync(cancellationToken), await measureFour.SumAsync(a => a.ApprovedAmount ?? 0m, cancellationToken),
            await measureFour.SumAsync(a => a.DrawnAmount, cancellationToken), await measureFour.SumAsync(a => a.SpentAmount, cancellationToken));
        logger.LogInformation("Demo funding seeded: {Created} applications created, {Total} demo applications in total", created, result.DemoApplications);
        return result;
    }

    /// <summary>
    /// Applies the proposal (<see cref="PerPupilDistribution"/>, as POST .../per-pupil-share/proposal and PUT .../per-pupil-share do)
    /// unless some per-pupil share is distributed already: finance's own distribution survives another <c>./mep up</c>.
    /// </summary>
    private async Task<bool> DistributePerPupilShareAsync(Programme programme, CancellationToken cancellationToken)
    {
        var rule = programme.Rules.PerPupilShare ?? throw new InvalidOperationException($"{programme.Code} has no per-pupil share rule.");
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({LockName}, 0))", cancellationToken);
            if (await db.Set<Allocation>().AnyAsync(a => a.ProgrammeCode == programme.Code && a.PerPupilShare != 0m, cancellationToken))
            {
                return false;
            }

            var proposal = await PerPupilDistribution.ProposeAsync(db, programme, rule, cancellationToken);
            if (proposal.Difference != 0m)
            {
                throw new InvalidOperationException($"The per-pupil proposal misses the pool by {proposal.Difference:0.00} EUR: no school has pupils.");
            }

            var now = clock.GetUtcNow();
            var shares = proposal.Shares.ToDictionary(s => s.SchoolId!.Value, s => s.Amount!.Value);
            await PerPupilDistribution.StageAsync(db, programme, shares,
                $"Demo: proposal from the pupils of {rule.PupilsOfStartYear}/{rule.PupilsOfStartYear + 1 - 2000:00} times the Land's type weights",
                Actor, now, cancellationToken);
            (await AllocationSets.LoadAsync(db, programme.Code, now, cancellationToken)).Touch(Actor, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        });
    }

    /// <summary>
    /// One application with its whole history in one transaction (a run that stops part-way leaves whole applications behind); each
    /// step is saved on its own, so history rows and events keep the steps' order. Nothing when an application with the key exists.
    /// </summary>
    private async Task<bool> SeedApplicationAsync(PlannedApplication plan, KnownSchool school, Programme programme, CancellationToken cancellationToken) =>
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({LockName}, 0))", cancellationToken);
            var titled = plan.Key + ":";
            if (await db.Set<FundingApplication>().AnyAsync(a => a.Title.StartsWith(titled), cancellationToken))
            {
                return false;
            }

            var draft = new ApplicationDraft(programme.Code, plan.Category, $"{plan.Key}: {plan.Title}", plan.Description, plan.PlannedAmount,
                plan.MeasureStart, $"{Prefix}MEK-{school.Number}");
            var draftedOn = plan.Steps[0].Day.AddDays(-14);
            var taking = "draft";
            try
            {
                var (application, _) = ApplicationStore.StageDraft(db, school.SchoolId, draft, programme, draftedOn, Actor, At(draftedOn));
                await db.SaveChangesAsync(cancellationToken);
                foreach (var step in plan.Steps)
                {
                    taking = step.ToString();
                    await TakeAsync(application, programme, plan, step, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            catch (DomainRuleException refusal)
            {
                // The plan is ours: a refusal is a bug in it, and a demo that breaks the rules would teach the wrong figures.
                throw new InvalidOperationException($"The {taking} of demo application {plan.Key} was refused: {refusal.Message}", refusal);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        });

    /// <summary>One step on its day, judged by the rules the API judges it by (on that day instead of the real one).</summary>
    private async Task TakeAsync(FundingApplication application, Programme programme, PlannedApplication plan, Step step,
        CancellationToken cancellationToken)
    {
        var (today, now) = (step.Day, At(step.Day));
        switch (step)
        {
            case Submission:
                var facts = await ApplicationStore.SubmissionFactsAsync(db, application, programme, cancellationToken);
                Staged(application.Submit(programme, facts, today, Actor, now));
                break;
            case Approval:
                Staged(application.Approve(application.PlannedTotal, programme, today, Actor, now));
                break;
            case Rejection rejection:
                Staged(application.Reject(rejection.Reason, today, Actor, now));
                break;
            case Withdrawal withdrawal:
                Staged(application.Withdraw(withdrawal.Reason, today, Actor, now));
                break;
            case Start:
                Staged(application.Start(today, Actor, now));
                break;
            case Invoice invoice:
                var request = new ExpenditureRequest(invoice.Vendor, invoice.Number, today, invoice.Amount, application.Category, null, null);
                var history = await ExpenditureEndpoints.InvoiceHistoryAsync(db, application, request, cancellationToken);
                ExpenditureEndpoints.StageExpenditure(db, application, programme, request, history, Actor, now);
                break;
            case Drawing drawing:
                DrawEndpoints.StageDraw(db, application, programme, drawing.Amount, today, today, drawing.Reference, Actor, now);
                break;
            case Completion:
                Staged(application.Complete(today, Actor, now));
                break;
            case ProofOfUse:
                SettlementEndpoints.StageProofOfUse(db, application, today, $"{plan.Key}-VN", application.SpentAmount, Actor, now);
                break;
            case Settlement:
                Staged(application.Settle(programme, await MediaConcepts.OfAsync(db, application.SchoolId, cancellationToken), today, today, Actor, now));
                break;
            default:
                throw new InvalidOperationException($"Unknown demo step {step}.");
        }

        void Staged(ApplicationStatusChange change) => ApplicationStore.StageStatusChange(db, application, change, now);
    }

    /// <summary>10:00 in Hannover on the day: when the demo's office did it.</summary>
    private static DateTimeOffset At(DateOnly day)
    {
        var local = day.ToDateTime(new TimeOnly(10, 0));
        return new DateTimeOffset(local, ScheduledJobs.Berlin.GetUtcOffset(local)).ToUniversalTime();
    }

    internal abstract record Step(DateOnly Day);

    internal sealed record Submission(DateOnly Day) : Step(Day);

    /// <summary>Approved at the planned total (net plus the 20 % safety surcharge), as the council paper plans its measures.</summary>
    internal sealed record Approval(DateOnly Day) : Step(Day);

    internal sealed record Rejection(DateOnly Day, string Reason) : Step(Day);

    internal sealed record Withdrawal(DateOnly Day, string Reason) : Step(Day);

    internal sealed record Start(DateOnly Day) : Step(Day);

    internal sealed record Invoice(DateOnly Day, string Vendor, string Number, decimal Amount) : Step(Day);

    /// <summary>A draw (Mittelabruf) at the Land's funding bank, after the invoices it pays.</summary>
    internal sealed record Drawing(DateOnly Day, string Reference, decimal Amount) : Step(Day);

    internal sealed record Completion(DateOnly Day) : Step(Day);

    /// <summary>The proof of use (Verwendungsnachweis) over what the invoices add up to.</summary>
    internal sealed record ProofOfUse(DateOnly Day) : Step(Day);

    internal sealed record Settlement(DateOnly Day) : Step(Day);

    /// <param name="Key">Fixed and unique (DEMO-...): the title starts with it, and a rerun finds the application by it.</param>
    /// <param name="SchoolName">A measure-4 school, by the paper's name; null for <paramref name="OtherSchool"/>.</param>
    /// <param name="OtherSchool">Index into the other schools that may apply (wraps around in a small city).</param>
    internal sealed record PlannedApplication(string Key, string ProgrammeCode, string? SchoolName, int OtherSchool, SpendingCategory Category,
        string Title, string? Description, decimal PlannedAmount, DateOnly MeasureStart, IReadOnlyList<Step> Steps);

    private const string Networks = "Netzwerkbau Leine GmbH";
    private const string Wireless = "Funknetz Niedersachsen GmbH";
    private const string Media = "Medientechnik Hannover GmbH";
    private const string Devices = "Bildungstechnik Nord GmbH";

    /// <summary>
    /// The demo's applications. Measure 4: eleven DigitalPakt applications, net 653,300.00 EUR + 20 % surcharge = 783,960.00 EUR
    /// approved; one settled, one completed, six in progress, three approved and not yet started. Others: submitted and undecided (one
    /// first come first served), rejected, withdrawn, a completed mobile-device measure of the Corona period; two city-budget measures.
    /// </summary>
    internal static IReadOnlyList<PlannedApplication> Plan() =>
    [
        MeasureFour("01", "GS Am Welfenplatz", SpendingCategory.SchoolWlan, "Flächendeckendes WLAN", 42_500.00m, "2020-10-05",
            new Submission(Day("2020-06-15")), new Approval(Day("2020-09-01")), new Start(Day("2020-10-05")),
            new Invoice(Day("2021-02-19"), Wireless, "DEMO-2021-0147", 31_240.00m), new Drawing(Day("2021-03-10"), "DEMO-NB-2021-0011", 31_240.00m),
            new Invoice(Day("2021-05-28"), Wireless, "DEMO-2021-0388", 19_760.00m), new Drawing(Day("2021-06-21"), "DEMO-NB-2021-0034", 19_760.00m),
            new Completion(Day("2021-06-30")), new ProofOfUse(Day("2021-09-15")), new Settlement(Day("2021-11-30"))),
        MeasureFour("02", "GS Am Welfenplatz", SpendingCategory.DisplayDevices, "Tafelsysteme in allen Klassenräumen", 27_500.00m, "2021-01-11",
            new Submission(Day("2020-06-15")), new Approval(Day("2020-09-01")), new Start(Day("2021-01-11")),
            new Invoice(Day("2021-07-16"), Media, "DEMO-2021-1203", 33_000.00m), new Drawing(Day("2021-08-09"), "DEMO-NB-2021-0052", 33_000.00m),
            new Completion(Day("2021-08-27"))),
        MeasureFour("03", "GS Otfried-Preußler-Schule", SpendingCategory.Networking, "Verkabelung und Netzverteiler", 35_000.00m, "2020-11-02",
            new Submission(Day("2020-07-01")), new Approval(Day("2020-10-12")), new Start(Day("2020-11-02")),
            new Invoice(Day("2021-04-23"), Networks, "DEMO-2021-0512", 18_430.00m), new Drawing(Day("2021-05-17"), "DEMO-NB-2021-0027", 18_430.00m),
            new Invoice(Day("2021-10-08"), Networks, "DEMO-2021-1377", 11_720.00m)),
        MeasureFour("04", "GS Otfried-Preußler-Schule", SpendingCategory.SchoolWlan, "Flächendeckendes WLAN", 30_000.00m, "2021-08-02",
            new Submission(Day("2021-03-15")), new Approval(Day("2021-06-01"))),
        MeasureFour("05", "GY Goetheschule", SpendingCategory.Networking, "Verkabelung, Technikräume und Netzverteiler", 95_000.00m, "2020-10-19",
            new Submission(Day("2020-06-22")), new Approval(Day("2020-09-14")), new Start(Day("2020-10-19")),
            new Invoice(Day("2021-01-29"), Networks, "DEMO-2021-0093", 52_870.50m), new Drawing(Day("2021-02-22"), "DEMO-NB-2021-0006", 50_000.00m),
            new Invoice(Day("2021-06-11"), Networks, "DEMO-2021-0731", 45_550.00m), new Drawing(Day("2021-07-05"), "DEMO-NB-2021-0041", 40_000.00m)),
        MeasureFour("06", "GY Goetheschule", SpendingCategory.DisplayDevices, "Tafelsysteme für die Klassenräume", 68_000.00m, "2021-05-10",
            new Submission(Day("2021-02-08")), new Approval(Day("2021-04-26")), new Start(Day("2021-05-10")),
            new Invoice(Day("2021-09-03"), Media, "DEMO-2021-1290", 41_380.00m), new Drawing(Day("2021-09-27"), "DEMO-NB-2021-0063", 40_000.00m)),
        MeasureFour("07", "GY Limmer", SpendingCategory.Networking, "Verkabelung und Technikräume", 88_000.00m, "2020-11-16",
            new Submission(Day("2020-07-13")), new Approval(Day("2020-10-05")), new Start(Day("2020-11-16")),
            new Invoice(Day("2021-03-26"), Networks, "DEMO-2021-0266", 64_200.00m), new Drawing(Day("2021-04-19"), "DEMO-NB-2021-0019", 60_000.00m)),
        MeasureFour("08", "GY Limmer", SpendingCategory.SchoolWlan, "Flächendeckendes WLAN", 46_000.00m, "2021-09-01",
            new Submission(Day("2021-05-03")), new Approval(Day("2021-07-19"))),
        MeasureFour("09", "GY Ricarda-Huch-Schule", SpendingCategory.Networking, "Verkabelung Haupt- und Nebengebäude", 72_000.00m, "2021-01-18",
            new Submission(Day("2020-09-07")), new Approval(Day("2020-11-23")), new Start(Day("2021-01-18")),
            new Invoice(Day("2021-06-25"), Networks, "DEMO-2021-0802", 22_500.00m), new Drawing(Day("2021-07-12"), "DEMO-NB-2021-0045", 20_000.00m)),
        MeasureFour("10", "GY Ricarda-Huch-Schule", SpendingCategory.DisplayDevices, "Tafelsysteme für die Klassenräume", 49_300.00m, "2021-11-01",
            new Submission(Day("2021-06-14")), new Approval(Day("2021-09-06"))),
        MeasureFour("11", "IGS Leonore-Goldschmidt-Schule", SpendingCategory.SchoolWlan, "Flächendeckendes WLAN", 100_000.00m, "2020-12-07",
            new Submission(Day("2020-08-24")), new Approval(Day("2020-11-09")), new Start(Day("2020-12-07")),
            new Invoice(Day("2021-04-09"), Wireless, "DEMO-2021-0421", 54_300.00m), new Drawing(Day("2021-05-03"), "DEMO-NB-2021-0023", 50_000.00m),
            new Invoice(Day("2021-08-20"), Wireless, "DEMO-2021-1116", 33_000.00m), new Drawing(Day("2021-09-13"), "DEMO-NB-2021-0058", 30_000.00m)),

        Other("DEMO-DP-01", DigitalPakt, 0, SpendingCategory.SchoolWlan, "WLAN im Hauptgebäude", 56_000.00m, "2023-08-01",
            new Submission(Day("2023-05-10"))),
        Other("DEMO-DP-02", DigitalPakt, 1, SpendingCategory.Networking, "Strukturierte Verkabelung und Netzschränke", 74_500.00m, "2024-08-01",
            new Submission(Day("2024-03-12"))),
        Other("DEMO-DP-03", DigitalPakt, 2, SpendingCategory.Networking, "Schulserver und Serverraum", 38_000.00m, "2021-08-01",
            new Submission(Day("2021-03-01")),
            new Rejection(Day("2021-05-20"), "Server sind nur unter Bedingungen förderfähig; die Bedingungen sind nicht nachgewiesen.")),
        Other("DEMO-DP-04", DigitalPakt, 3, SpendingCategory.DisplayDevices, "Interaktive Displays Jahrgang 5 und 6", 41_500.00m, "2022-08-01",
            new Submission(Day("2022-02-01")), new Withdrawal(Day("2022-04-11"), "Wird aus dem städtischen MEP-Budget finanziert.")),
        Other("DEMO-DP-05", DigitalPakt, 4, SpendingCategory.MobileDevices, "Leihtablets für Schülerinnen und Schüler", 20_000.00m, "2020-04-01",
            new Submission(Day("2020-06-02")), new Approval(Day("2020-07-10")), new Start(Day("2020-08-03")),
            new Invoice(Day("2020-09-25"), Devices, "DEMO-2020-0815", 23_850.00m), new Drawing(Day("2020-10-19"), "DEMO-NB-2020-0071", 23_850.00m),
            new Completion(Day("2020-12-18")), new ProofOfUse(Day("2021-03-01"))),

        new("DEMO-CITY-01", CityBudget, "GY Limmer", 0, SpendingCategory.Networking, "Glasfaseranschluss und Backbone-Knoten",
            "Breitband außerhalb der Pauschale; Backbone-Knoten aus dem MEP-Budget", 48_500.00m, Day("2020-07-01"), [
                new Submission(Day("2020-05-04")), new Approval(Day("2020-06-02")), new Start(Day("2020-07-01")),
                new Invoice(Day("2020-11-20"), Networks, "DEMO-2020-1102", 52_418.60m), new Drawing(Day("2020-12-07"), "DEMO-HH-2020-0004", 52_418.60m),
            ]),
        Other("DEMO-CITY-02", CityBudget, 5, SpendingCategory.WorkDevices, "Erneuerung des Computerraums", 36_000.00m, "2024-08-01",
            new Submission(Day("2024-02-12"))),
    ];

    private static PlannedApplication MeasureFour(string number, string school, SpendingCategory category, string title, decimal planned, string start,
        params Step[] steps) =>
        new(MeasureFourKeyPrefix + number, DigitalPakt, school, 0, category, title, $"Maßnahme 4 der Drucksache 1000/2020: {school} zum MEP-Standard",
            planned, Day(start), steps);

    private static PlannedApplication Other(string key, string programme, int otherSchool, SpendingCategory category, string title, decimal planned,
        string start, params Step[] steps) =>
        new(key, programme, null, otherSchool, category, title, null, planned, Day(start), steps);

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
