using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.Funding.Tests;

/// <summary>
/// Finance's work list of applications by deadline risk, on the days <see cref="ReportCity"/> arranges: school A has a DigitalPakt measure
/// approved at 18,000.00 with 10,000.00 drawn and no proof of use, a submitted one (5,000.00) and a draft (1,000.00); the deadlines are
/// firstComeFirstServedUntil and approvalsUntil on 15 May 2024, settlementUntil on 31 December 2024, the warning window 90 days.
/// </summary>
public sealed class DeadlineRiskTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    private async Task<JsonElement> RisksAsync(string query) =>
        await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/deadline-risks?{query}");

    private static List<(string? Status, string? Deadline, string? Day, int DaysLeft, bool Lapsed, decimal AmountOpen, string WaitingFor)> Rows(
        JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(r => (r.GetProperty("status").GetString(), r.GetProperty("deadline").GetString(),
            r.GetProperty("day").GetString(), r.GetProperty("daysLeft").GetInt32(), r.GetProperty("lapsed").GetBoolean(),
            r.GetProperty("amountOpen").GetDecimal(), string.Join(",", r.GetProperty("waitingFor").EnumerateArray().Select(w => w.GetString()))))];

    [Fact]
    public async Task Applications_are_listed_fewest_days_left_first_with_their_deadline_exact_days_left_and_the_money_open()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Risiko-Mitte");

        var page = await RisksAsync($"schoolNumber={a.Number}");

        // 15 October 2024: the submission and approval days passed 153 days ago; the settlement day is 77 days ahead, by which the
        // 8,000.00 not drawn lapse and the 10,000.00 drawn need their proof of use.
        Assert.Equal([
            ("submitted", "approvalsUntil", "2024-05-15", -153, true, 5_000.00m, "approval"),
            ("draft", "firstComeFirstServedUntil", "2024-05-15", -153, true, 1_000.00m, "submission"),
            ("approved", "settlementUntil", "2024-12-31", 77, false, 18_000.00m, "draws,proofOfUse"),
        ], Rows(page));
        Assert.Equal(3, page.GetProperty("totalItems").GetInt32());
    }

    [Fact]
    public async Task A_row_names_its_application_programme_and_school_by_number_and_name()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Risiko-Nord");

        var row = (await RisksAsync($"schoolNumber={a.Number}")).GetProperty("items")[2];

        Assert.Equal(("WLAN in Gebäude A", "digitalpakt-2019-ni", a.Id, a.Number, $"GY Testschule {a.Number}", "schoolWlan"),
            (row.GetProperty("title").GetString(), row.GetProperty("programme").GetString(), row.GetProperty("schoolId").GetGuid(),
                row.GetProperty("schoolNumber").GetString(), row.GetProperty("schoolName").GetString(), row.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task A_running_measure_with_its_proof_of_use_in_owes_only_the_money_not_drawn()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Risiko-Süd");
        var approved = (await RisksAsync($"schoolNumber={a.Number}")).GetProperty("items")[2].GetProperty("applicationId").GetGuid();
        await Measures.StepAsync(Api.Finance, approved, "start");
        await Measures.StepAsync(Api.Finance, approved, "proof-of-use",
            new { submittedOn = "2024-10-01", documentReference = "VN-2024-1", spentTotal = 12_345.67m });

        var row = Rows(await RisksAsync($"schoolNumber={a.Number}"))[2];

        Assert.Equal(("inProgress", 8_000.00m, "draws"), (row.Status, row.AmountOpen, row.WaitingFor));
    }

    [Fact]
    public async Task A_deadline_beyond_the_programmes_warning_window_is_not_listed()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Risiko-West");
        // 1 September 2024: the settlement day is 121 days ahead, beyond the 90 days of the widest warning.
        funding.SetDay(2024, 9, 1);

        Assert.Equal(["submitted", "draft"], Rows(await RisksAsync($"schoolNumber={a.Number}")).Select(r => r.Status));
    }

    [Fact]
    public async Task An_application_with_nothing_open_is_not_listed()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Risiko-Ost");
        var approved = (await RisksAsync($"schoolNumber={a.Number}")).GetProperty("items")[2].GetProperty("applicationId").GetGuid();
        funding.SetDay(2024, 10, 1);
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{approved}/draws",
            new { amount = 8_000.00m, drawnOn = "2024-10-01", reference = "NBank-2" });
        await Measures.StepAsync(Api.Finance, approved, "start");
        await Measures.StepAsync(Api.Finance, approved, "proof-of-use",
            new { submittedOn = "2024-10-01", documentReference = "VN-2024-2", spentTotal = 18_000.00m });
        funding.SetDay(2024, 10, 15);

        Assert.Equal(["submitted", "draft"], Rows(await RisksAsync($"schoolNumber={a.Number}")).Select(r => r.Status));
    }

    [Fact]
    public async Task The_school_number_filter_lists_exactly_that_schools_applications()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Risiko-Linden");
        var (other, _) = await ReportCity.SetUpAsync(funding, "Risiko-Linden");

        var page = await RisksAsync($"schoolNumber={a.Number}");

        Assert.All(page.GetProperty("items").EnumerateArray(), r => Assert.Equal(a.Id, r.GetProperty("schoolId").GetGuid()));
        var ofOther = await RisksAsync($"schoolId={other.Id}");
        Assert.Equal((3, 3), (page.GetProperty("totalItems").GetInt32(), ofOther.GetProperty("totalItems").GetInt32()));
    }

    [Fact]
    public async Task The_programme_filter_lists_only_that_programmes_applications()
    {
        var (a, _) = await ReportCity.SetUpAsync(funding, "Risiko-Ahlem");

        var digitalPakt = await RisksAsync($"programme=digitalpakt-2019-ni&schoolNumber={a.Number}");
        var cityBudget = await RisksAsync($"programme=city-mep-budget&schoolNumber={a.Number}");

        Assert.Equal((3, 0), (digitalPakt.GetProperty("totalItems").GetInt32(), cityBudget.GetProperty("totalItems").GetInt32()));
    }

    [Fact]
    public async Task An_unknown_programme_is_404()
    {
        await (await Api.Finance.GetAsync("/api/funding/applications/deadline-risks?programme=no-such-programme"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_school_key_may_not_read_the_work_list()
    {
        var school = await Api.SchoolAsync();

        await (await Api.ClientFor(school).GetAsync("/api/funding/applications/deadline-risks"))
            .AssertProblemAsync(HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
    }
}
