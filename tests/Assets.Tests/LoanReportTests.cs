using System.Net;

namespace Mep.Assets.Tests;

/// <summary>The loan report on a fixed clock: per school and programme, as JSON and as CSV for German Excel.</summary>
public sealed class LoanReportTests : IAsyncLifetime
{
    /// <summary>10 July 2027, in the school year 2026/27.</summary>
    private readonly TestClock _clock = new(new DateTimeOffset(2027, 7, 10, 10, 0, 0, TimeSpan.Zero));
    private readonly AssetsApi _api;

    public LoanReportTests() => _api = AssetsApi.WithClock(_clock);

    public Task InitializeAsync() => _api.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    /// <summary>
    /// Eight loans of the immediate-equipment programme: three returned (one damaged), one stolen, one overdue (due 2027-06-30), three out;
    /// and one teacher loan out.
    /// </summary>
    private async Task<(TestSchool School, HttpClient Client)> SchoolWithLoansAsync()
    {
        var school = await _api.SchoolAsync();
        var client = _api.ClientFor(school);
        var serials = Enumerable.Range(1, 8).Select(i => $"REP{school.Number}-{i}").ToList();
        await AssetsApi.RegisterAsync(client, [.. serials.Select(s => AssetsApi.LoanTablet(s)), AssetsApi.LoanTablet($"REP{school.Number}-T", "teacherLoanDevices")]);
        var loans = await AssetsApi.LendAsync(client, serials.Select((s, i) => AssetsApi.PupilLoan(s, $"P-RP{i:D2}", ("dueBack", i == 4 ? "2027-06-30" : "2027-07-15"))));
        await AssetsApi.LendAsync(client, [new { serialNumber = $"REP{school.Number}-T", borrowerKind = "teacher", borrowerReference = "L-4711" }]);
        (await client.PostAsync("/api/assets/loans/returns", Json.Body(new
        {
            returnedOn = "2027-07-01",
            returns = new object[]
            {
                new { loanId = loans[serials[0]], damaged = true }, new { loanId = loans[serials[1]] }, new { loanId = loans[serials[2]] },
            },
        }))).EnsureSuccessStatusCode();
        (await client.PostAsync($"/api/assets/loans/{loans[serials[3]]}/lost", Json.Body(new { kind = "stolen", reportedOn = "2027-03-02" })))
            .EnsureSuccessStatusCode();
        return (school, client);
    }

    [Fact]
    public async Task The_report_counts_loans_out_overdue_lost_and_the_damage_and_loss_rates_per_programme()
    {
        var (school, client) = await SchoolWithLoansAsync();

        var report = await (await client.GetAsync("/api/assets/loans/report")).ReadJsonAsync();

        Assert.Equal(("2026-08-01", "2027-07-31", "2027-07-10"),
            (report.GetProperty("from").GetString(), report.GetProperty("to").GetString(), report.GetProperty("day").GetString()));
        var rows = report.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("programme").GetString()!);
        var pupils = rows["immediateEquipmentLoan"];
        Assert.Equal((school.Number, 4, 1, 8, 3, 1, 0, 1, 33.33m, 12.5m),
            (pupils.GetProperty("schoolNumber").GetString(), pupils.GetProperty("out").GetInt32(), pupils.GetProperty("overdue").GetInt32(),
                pupils.GetProperty("lent").GetInt32(), pupils.GetProperty("returned").GetInt32(), pupils.GetProperty("returnedDamaged").GetInt32(),
                pupils.GetProperty("lost").GetInt32(), pupils.GetProperty("stolen").GetInt32(), pupils.GetProperty("damageRate").GetDecimal(),
                pupils.GetProperty("lossRate").GetDecimal()));
        Assert.Equal((1, 1), (rows["teacherLoanDevices"].GetProperty("out").GetInt32(), rows["teacherLoanDevices"].GetProperty("lent").GetInt32()));
    }

    [Fact]
    public async Task The_report_csv_opens_in_german_excel_with_semicolons_and_decimal_commas()
    {
        var (school, client) = await SchoolWithLoansAsync();

        var response = await client.GetAsync("/api/assets/loans/report.csv");

        var lines = await ExportFiles.CsvLinesAsync(response);
        Assert.Equal([
            "Schulnummer;Schule;Programm;Ausgeliehen;Überfällig;Verliehen im Zeitraum;Zurückgegeben;Davon beschädigt;Verloren;Gestohlen;"
                + "Schadensquote (%);Verlustquote (%)",
            $"{school.Number};GY Testschule {school.Number};Sofortausstattung (Leihgerät);4;1;8;3;1;0;1;33,33;12,50",
            $"{school.Number};GY Testschule {school.Number};Leihgeräte für Lehrkräfte;1;0;1;0;0;0;0;;0,00",
        ], lines);
        Assert.Equal(("Leihgeräte_2026-08-01_2027-07-31.csv", "Leihgeraete_2026-08-01_2027-07-31.csv"), ExportFiles.FileName(response));
    }

    [Fact]
    public async Task The_loans_feed_counts_a_schools_loans_without_the_pupils_references()
    {
        var (_, client) = await SchoolWithLoansAsync();

        var response = await client.GetAsync("/api/assets/odata/Loans?$filter=State eq 'Out'&$count=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(5, (await response.ReadJsonAsync()).GetProperty("@odata.count").GetInt32());
        Assert.DoesNotContain("P-RP", body, StringComparison.Ordinal);
    }
}
