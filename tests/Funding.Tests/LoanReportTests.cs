using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>
/// The loan devices of a programme for its proof of use, from Assets' loan events as Assets publishes them. Each test's schools are in a
/// district of their own, so that the report's totals are the test's.
/// </summary>
public sealed class LoanReportTests(FundingApi api) : IClassFixture<FundingApi>
{
    private const string Immediate = "sofortausstattung-2020";
    private static readonly DateOnly LentOn = new(2020, 9, 1);
    private static readonly DateOnly DueLongAgo = new(2021, 7, 15);
    private static readonly DateOnly DueLater = new(2099, 7, 15);
    private static readonly DateTimeOffset T0 = new(2020, 9, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Figures in the order of the API's loanFigures: devicesLent, loans, outNow, overdue, returned, returnedDamaged, lost, stolen, transferredAway, transferredIn.</summary>
    private static int[] Figures(JsonElement figures) =>
        [.. new[] { "devicesLent", "loans", "outNow", "overdue", "returned", "returnedDamaged", "lost", "stolen", "transferredAway", "transferredIn" }
            .Select(name => figures.GetProperty(name).GetInt32())];

    private static LentDevice Loan(Guid deviceId, FundingSource? source = FundingSource.ImmediateEquipmentLoan, DateOnly? dueBack = null,
        BorrowerKind borrower = BorrowerKind.Pupil) =>
        new(Guid.NewGuid(), deviceId, source, borrower, LentOn, dueBack ?? DueLongAgo, null);

    private static string District() => $"Leihe-{Guid.NewGuid():N}"[..20];

    /// <summary>Publishes each event under an id of its own and waits until Funding applied it before the next: the order Assets published in.</summary>
    private async Task DeliverInOrderAsync(params object[] messages)
    {
        foreach (var message in messages)
        {
            var id = Guid.NewGuid();
            await api.PublishAsync((dynamic)message, id);
            await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<long>($"SELECT count(*) FROM inbox_messages WHERE message_id = '{id}'") == 1,
                $"Funding applied {message.GetType().Name}");
        }
    }

    private async Task<JsonElement> ReportAsync(string district, string programme = Immediate) =>
        await FundingApi.GetOkAsync(api.Finance, $"/api/funding/reports/loans?programme={programme}&district={district}");

    private async Task<JsonElement> SchoolRowAsync(string district, Guid schoolId) =>
        (await ReportAsync(district)).GetProperty("schools").EnumerateArray().Single(s => s.GetProperty("schoolId").GetGuid() == schoolId);

    /// <summary>
    /// School A lends six devices of the immediate-equipment programme: two come back (one damaged) and one of them goes out again, one is
    /// lost, one stolen, one goes with its pupil to school B, one stays out. A teacher device and one of the school's own pool are lent too.
    /// </summary>
    private static (object[] History, Guid[] Devices) ProgrammeHistory(Guid a, Guid b)
    {
        var devices = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToArray();
        var loans = devices.Select(d => Loan(d)).ToArray();
        var again = Loan(devices[0], dueBack: DueLater);
        var transferredOn = new DateOnly(2021, 2, 1);
        object[] history =
        [
            new DevicesLent(a, [.. loans, Loan(Guid.NewGuid(), FundingSource.TeacherLoanDevices, borrower: BorrowerKind.Teacher), Loan(Guid.NewGuid(), source: null)], T0),
            new DevicesReturned(a, [new ReturnedLoan(loans[0].LoanId, devices[0], new DateOnly(2021, 1, 10), false, 0, null),
                new ReturnedLoan(loans[1].LoanId, devices[1], new DateOnly(2021, 1, 10), true, 1, null)], T0.AddDays(131)),
            new DevicesLent(a, [again], T0.AddDays(132)),
            new LoanLost(loans[2].LoanId, devices[2], a, LossKind.Lost, new DateOnly(2021, 1, 20), T0.AddDays(141)),
            new LoanLost(loans[3].LoanId, devices[3], a, LossKind.Stolen, new DateOnly(2021, 1, 21), T0.AddDays(142)),
            new LoanTransferred(loans[4].LoanId, Guid.NewGuid(), devices[4], a, b, transferredOn, T0.AddDays(153)),
        ];
        return (history, devices);
    }

    [Fact]
    public async Task A_programmes_loans_are_counted_per_school_as_lent_out_overdue_returned_lost_stolen_and_transferred()
    {
        var district = District();
        var a = await api.SchoolAsync(district: district);
        var b = await api.SchoolAsync(district: district);
        var (history, _) = ProgrammeHistory(a.Id, b.Id);

        await DeliverInOrderAsync(history);
        var report = await ReportAsync(district);

        Assert.Equal((Immediate, "immediateEquipmentLoan", "2020-03-16"), (report.GetProperty("programme").GetString(),
            report.GetProperty("fundingSource").GetString(), report.GetProperty("lentFrom").GetString()));
        var schools = report.GetProperty("schools").EnumerateArray().ToDictionary(s => s.GetProperty("schoolId").GetGuid());
        Assert.Equal([a.Id, b.Id], report.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("schoolId").GetGuid()));
        Assert.Equal(a.Number, schools[a.Id].GetProperty("schoolNumber").GetString());
        Assert.Equal([6, 7, 2, 1, 2, 1, 1, 1, 1, 0], Figures(schools[a.Id].GetProperty("figures")));
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0, 0, 1], Figures(schools[b.Id].GetProperty("figures")));
        // The device that went along with its pupil is one device of the programme, lent at two schools.
        Assert.Equal([6, 8, 3, 2, 2, 1, 1, 1, 1, 1], Figures(report.GetProperty("totals")));
    }

    [Fact]
    public async Task The_same_events_arriving_newest_first_give_the_figures_of_the_events_in_order()
    {
        var district = District();
        var a = await api.SchoolAsync(district: district);
        var b = await api.SchoolAsync(district: district);
        var (history, _) = ProgrammeHistory(a.Id, b.Id);

        await DeliverInOrderAsync([.. history.Reverse()]);
        var report = await ReportAsync(district);

        var schools = report.GetProperty("schools").EnumerateArray().ToDictionary(s => s.GetProperty("schoolId").GetGuid());
        Assert.Equal([6, 7, 2, 1, 2, 1, 1, 1, 1, 0], Figures(schools[a.Id].GetProperty("figures")));
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0, 0, 1], Figures(schools[b.Id].GetProperty("figures")));
        Assert.Equal([6, 8, 3, 2, 2, 1, 1, 1, 1, 1], Figures(report.GetProperty("totals")));
    }

    [Fact]
    public async Task The_same_events_handled_all_at_once_give_the_figures_of_the_events_in_order()
    {
        var district = District();
        var a = await api.SchoolAsync(district: district);
        var b = await api.SchoolAsync(district: district);
        var (history, _) = ProgrammeHistory(a.Id, b.Id);

        await api.DeliverAllAtOnceAsync(history, "/api/funding");
        var report = await ReportAsync(district);

        Assert.Equal([6, 8, 3, 2, 2, 1, 1, 1, 1, 1], Figures(report.GetProperty("totals")));
    }

    [Fact]
    public async Task A_hand_out_and_a_loss_told_twice_under_new_message_ids_are_counted_once()
    {
        var district = District();
        var school = await api.SchoolAsync(district: district);
        var loans = Enumerable.Range(0, 3).Select(_ => Loan(Guid.NewGuid())).ToArray();
        var lent = new DevicesLent(school.Id, loans, T0);
        var lost = new LoanLost(loans[0].LoanId, loans[0].DeviceId, school.Id, LossKind.Lost, new DateOnly(2020, 12, 1), T0.AddDays(91));

        await DeliverInOrderAsync(lent, lost, lent, lost);
        var row = await SchoolRowAsync(district, school.Id);

        Assert.Equal([3, 3, 2, 2, 0, 0, 1, 0, 0, 0], Figures(row.GetProperty("figures")));
    }

    [Fact]
    public async Task A_lost_device_moves_from_out_to_lost()
    {
        var district = District();
        var school = await api.SchoolAsync(district: district);
        var loans = new[] { Loan(Guid.NewGuid(), dueBack: DueLater), Loan(Guid.NewGuid(), dueBack: DueLater) };
        await DeliverInOrderAsync(new DevicesLent(school.Id, loans, T0));
        var before = Figures((await SchoolRowAsync(district, school.Id)).GetProperty("figures"));

        await DeliverInOrderAsync(new LoanLost(loans[1].LoanId, loans[1].DeviceId, school.Id, LossKind.Lost, new DateOnly(2021, 3, 1), T0.AddDays(181)));
        var after = Figures((await SchoolRowAsync(district, school.Id)).GetProperty("figures"));

        Assert.Equal([2, 2, 2, 0, 0, 0, 0, 0, 0, 0], before);
        Assert.Equal([2, 2, 1, 0, 0, 0, 1, 0, 0, 0], after);
    }

    [Fact]
    public async Task Each_loan_programme_counts_only_the_devices_it_financed_lent_since_its_first_day_of_measures()
    {
        var district = District();
        var school = await api.SchoolAsync(district: district);
        // The teacher programme's period starts in 2021.
        var teacherLentOn = new DateOnly(2021, 3, 1);
        await DeliverInOrderAsync(new DevicesLent(school.Id, [
            Loan(Guid.NewGuid()), Loan(Guid.NewGuid(), FundingSource.TeacherLoanDevices, borrower: BorrowerKind.Teacher) with { LentOn = teacherLentOn },
            Loan(Guid.NewGuid(), FundingSource.TeacherLoanDevices, borrower: BorrowerKind.Teacher) with { LentOn = teacherLentOn },
            Loan(Guid.NewGuid(), FundingSource.TeacherLoanDevices, borrower: BorrowerKind.Teacher), Loan(Guid.NewGuid(), source: null)], T0));

        var own = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/reports/loans/schools/{school.Id}");

        var programmes = own.GetProperty("programmes").EnumerateArray()
            .ToDictionary(p => p.GetProperty("programme").GetString()!, p => Figures(p.GetProperty("figures"))[1]);
        Assert.Equal(new Dictionary<string, int>
        {
            ["city-mep-budget"] = 0, ["digitalpakt-2019-ni"] = 0, [Immediate] = 1, ["teacher-loan-devices-2021"] = 2,
        }, programmes);
    }

    [Fact]
    public async Task The_period_counts_only_loans_lent_within_it()
    {
        var district = District();
        var school = await api.SchoolAsync(district: district);
        await DeliverInOrderAsync(new DevicesLent(school.Id, [Loan(Guid.NewGuid()), Loan(Guid.NewGuid()) with { LentOn = new DateOnly(2022, 1, 10) }], T0));

        var report = await FundingApi.GetOkAsync(api.Finance,
            $"/api/funding/reports/loans?programme={Immediate}&district={district}&lentFrom=2020-03-16&lentUntil=2021-12-31");

        Assert.Equal(("2020-03-16", "2021-12-31"), (report.GetProperty("lentFrom").GetString(), report.GetProperty("lentUntil").GetString()));
        Assert.Equal(1, report.GetProperty("totals").GetProperty("devicesLent").GetInt32());
    }

    [Fact]
    public async Task A_school_key_reads_its_own_schools_loans_only()
    {
        var district = District();
        var a = await api.SchoolAsync(district: district);
        var b = await api.SchoolAsync(district: district);
        var (history, _) = ProgrammeHistory(a.Id, b.Id);
        await DeliverInOrderAsync(history);
        var key = api.ClientFor(b);

        var own = await FundingApi.GetOkAsync(key, $"/api/funding/reports/loans/schools/{b.Id}");
        var other = await key.GetAsync($"/api/funding/reports/loans/schools/{a.Id}");
        var list = await key.GetAsync($"/api/funding/reports/loans?programme={Immediate}");
        var feed = await FundingApi.GetOkAsync(key, "/api/funding/odata/Loans");

        var immediate = own.GetProperty("programmes").EnumerateArray().Single(p => p.GetProperty("programme").GetString() == Immediate);
        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0, 0, 1], Figures(immediate.GetProperty("figures")));
        await other.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal([b.Id], feed.GetProperty("value").EnumerateArray().Select(l => l.GetProperty("SchoolId").GetGuid()));
    }

    [Fact]
    public async Task The_loan_report_as_csv_has_a_row_per_school_under_german_headers()
    {
        var district = District();
        var school = await api.SchoolAsync(district: district);
        await DeliverInOrderAsync(new DevicesLent(school.Id, [Loan(Guid.NewGuid()), Loan(Guid.NewGuid(), dueBack: DueLater)], T0));

        var csv = await api.Finance.GetAsync($"/api/funding/reports/loans.csv?programme={Immediate}&district={district}");

        var lines = await ExportFiles.CsvLinesAsync(csv);
        Assert.Equal(["Schulnummer;Schule;Stadtbezirk;Geräte verliehen;Ausleihen;Derzeit verliehen;Überfällig;Zurückgegeben;Davon beschädigt;Verloren;"
            + "Gestohlen;Mitgenommen (Schulwechsel);Übernommen (Schulwechsel)",
            $"{school.Number};GY Testschule {school.Number};{district};2;2;2;1;0;0;0;0;0;0"], lines);
    }

    [Fact]
    public async Task The_loan_workbook_adds_the_programmes_totals_with_its_period_as_days()
    {
        var district = District();
        var a = await api.SchoolAsync(district: district);
        var b = await api.SchoolAsync(district: district);
        var (history, _) = ProgrammeHistory(a.Id, b.Id);
        await DeliverInOrderAsync(history);

        var workbook = await ExportFiles.WorkbookAsync(
            await api.Finance.GetAsync($"/api/funding/reports/loans.xlsx?programme={Immediate}&district={district}&lentUntil=2021-12-31"));

        Assert.Equal(["Leihgeräte", "Summen"], workbook.Select(sheet => sheet.Name));
        Assert.Equal((6m, 1m), (workbook[0].Row(a.Number)["Geräte verliehen"].Number!.Value, workbook[0].Row(b.Number)["Geräte verliehen"].Number!.Value));
        var totals = workbook[1].Row("Immediate equipment programme 2020 (loan devices for pupils)");
        Assert.Equal((new DateOnly(2020, 3, 16), new DateOnly(2021, 12, 31), 6m, 8m, 1m), (totals["Verliehen ab"].Day!.Value, totals["Verliehen bis"].Day!.Value,
            totals["Geräte verliehen"].Number!.Value, totals["Ausleihen"].Number!.Value, totals["Übernommen (Schulwechsel)"].Number!.Value));
    }

    [Fact]
    public async Task A_programme_that_finances_no_loan_devices_is_refused_by_its_rule()
    {
        var response = await api.Finance.GetAsync("/api/funding/reports/loans?programme=administration-2020");

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("programme-without-loan-devices", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task An_unknown_programme_is_a_404_and_a_missing_one_or_a_period_ending_before_it_starts_a_400()
    {
        var unknown = await api.Finance.GetAsync("/api/funding/reports/loans?programme=no-such-programme");
        var missing = await api.Finance.GetAsync("/api/funding/reports/loans");
        var backwards = await api.Finance.GetAsync($"/api/funding/reports/loans?programme={Immediate}&lentFrom=2021-01-01&lentUntil=2020-12-31");

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(["programme"], (await missing.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(["lentUntil"], (await backwards.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }
}
