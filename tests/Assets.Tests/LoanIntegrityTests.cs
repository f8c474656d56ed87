using System.Net;

namespace Mep.Assets.Tests;

/// <summary>
/// The days a loan names hold together: what is recorded has happened (returns, losses), an extension ends after today, a device is
/// lent again only after its last loan ended, and a transfer does not restart the programme's limit. On the real clock: every day below
/// lies before 7 December 2026 or is counted from today. Two hand-outs racing for one device lend it once, and a lent device follows its
/// loan: it is not retired, reported lost or moved to another school through the device's own endpoints.
/// </summary>
public sealed class LoanIntegrityTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    /// <summary>A day after today, wherever the machine's clock stands.</summary>
    private static string InAMonth() => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(TestSchool School, HttpClient Client, Guid LoanId)> SchoolWithALoanAsync(string serial, params (string Field, object? Value)[] fields)
    {
        var school = await api.SchoolAsync();
        var client = api.ClientFor(school);
        await AssetsApi.RegisterAsync(client, [AssetsApi.LoanTablet(serial)]);
        var loanId = (await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan(serial, "P-" + serial)], fields))[serial];
        return (school, client, loanId);
    }

    private static async Task<string?> StateAsync(HttpClient client, Guid loanId) =>
        (await (await client.GetAsync($"/api/assets/loans/{loanId}")).ReadJsonAsync()).GetProperty("state").GetString();

    [Fact]
    public async Task A_return_dated_after_today_is_refused_and_the_loan_stays_out()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("DAYS-RET1");

        var response = await client.PostAsync("/api/assets/loans/returns", Json.Body(new { returnedOn = InAMonth(), returns = new[] { new { loanId } } }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal(("returned-after-today", "returnedOn"), (row.GetProperty("rule").GetString(), row.GetProperty("field").GetString()));
        Assert.Equal("out", await StateAsync(client, loanId));
    }

    [Fact]
    public async Task A_loss_reported_after_today_is_refused_and_the_loan_stays_out()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("DAYS-LOST1");

        var response = await client.PostAsync($"/api/assets/loans/{loanId}/lost", Json.Body(new { kind = "lost", reportedOn = InAMonth() }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("loss-reported-after-today", problem.GetProperty("rule").GetString());
        Assert.Equal("out", await StateAsync(client, loanId));
    }

    [Fact]
    public async Task An_extension_to_a_day_already_past_is_refused()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("DAYS-EXT1", ("dueBack", "2026-10-01"));

        var response = await client.PostAsync($"/api/assets/loans/{loanId}/extend", Json.Body(new { dueBack = "2026-11-01" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("extension-not-after-today", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_device_is_not_lent_again_from_a_day_before_its_last_loan_ended()
    {
        var (school, client, loanId) = await SchoolWithALoanAsync("DAYS-AGAIN1");
        (await client.PostAsync("/api/assets/loans/returns", Json.Body(new { returnedOn = "2026-11-20", returns = new[] { new { loanId } } })))
            .EnsureSuccessStatusCode();

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan("DAYS-AGAIN1", "P-DA02")],
            ("lentOn", "2026-10-01"), ("agreement", new { template = "Leihvertrag Sofortausstattung", version = "2", signedOn = "2026-09-28" }))));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal(("lent-before-last-loan-ended", "lentOn"), (row.GetProperty("rule").GetString(), row.GetProperty("field").GetString()));
        Assert.Equal(1, await api.LoanRowsAsync(school.Id));
    }

    [Fact]
    public async Task A_transferred_loan_is_extended_no_further_than_the_programme_allows_from_the_first_hand_out()
    {
        var (_, oldClient, oldLoan) = await SchoolWithALoanAsync("DAYS-MOVE1");
        var newSchool = await api.SchoolAsync();
        using var newClient = api.ClientFor(newSchool);
        (await oldClient.PostAsync($"/api/assets/loans/{oldLoan}/transfer", Json.Body(new { toSchoolNumber = newSchool.Number, on = "2026-11-11" })))
            .EnsureSuccessStatusCode();
        var newLoan = (await (await newClient.GetAsync("/api/assets/loans")).ReadJsonAsync()).GetProperty("items")[0].GetProperty("loanId").GetGuid();

        // Lent on 2026-09-01 under the immediate-equipment programme (1,095 days): 2029-08-31 at the latest, at whichever school.
        var response = await newClient.PostAsync($"/api/assets/loans/{newLoan}/extend", Json.Body(new { dueBack = "2029-09-01" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal(("due-back-beyond-programme", "2029-08-31"), (problem.GetProperty("rule").GetString(), problem.GetProperty("latestDueBack").GetString()));
    }

    [Fact]
    public async Task Two_hand_outs_of_the_same_device_at_once_lend_it_once_and_the_other_is_refused_not_an_error()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        await AssetsApi.RegisterAsync(client, [AssetsApi.LoanTablet("DAYS-RACE")]);

        var responses = await Task.WhenAll(Enumerable.Range(1, 4).Select(i =>
            client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan("DAYS-RACE", $"P-RACE{i}")])))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.UnprocessableEntity }));
        Assert.Equal(1, await api.LoanRowsAsync(school.Id));
    }

    [Fact]
    public async Task A_transfer_dated_after_today_is_refused_and_the_device_stays()
    {
        var (school, client, loanId) = await SchoolWithALoanAsync("DAYS-MOVE2");
        var newSchool = await api.SchoolAsync();

        var response = await client.PostAsync($"/api/assets/loans/{loanId}/transfer", Json.Body(new { toSchoolNumber = newSchool.Number, on = InAMonth() }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("transfer-after-today", problem.GetProperty("rule").GetString());
        Assert.Equal("out", await StateAsync(client, loanId));
        Assert.Equal(1, await api.LoanRowsAsync(school.Id));
        Assert.Equal(0, await api.LoanRowsAsync(newSchool.Id));
    }

    private static async Task<Guid> DeviceOfAsync(HttpClient client, Guid loanId) =>
        (await (await client.GetAsync($"/api/assets/loans/{loanId}")).ReadJsonAsync()).GetProperty("deviceId").GetGuid();

    [Fact]
    public async Task A_lent_device_is_not_retired_through_the_device_and_its_loan_stays_out()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("ONLOAN-RET1");
        var device = await DeviceOfAsync(client, loanId);

        var response = await client.PostAsync($"/api/assets/devices/{device}/retire", Json.Body(new { reason = "Ausgesondert" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "urn:mep:problem:conflict");
        Assert.Equal("device-on-loan", problem.GetProperty("rule").GetString());
        Assert.Equal("out", await StateAsync(client, loanId));
    }

    [Fact]
    public async Task A_lent_device_is_reported_lost_through_its_loan_not_through_the_device()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("ONLOAN-LOST1");
        var device = await DeviceOfAsync(client, loanId);

        var response = await client.PostAsync($"/api/assets/devices/{device}/status", Json.Body(new { status = "lost" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "urn:mep:problem:conflict");
        Assert.Contains($"/api/assets/loans/{loanId}/lost", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("out", await StateAsync(client, loanId));
    }

    [Fact]
    public async Task A_lent_device_goes_to_another_school_only_with_its_loans_transfer()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("ONLOAN-MOVE1");
        var other = await api.SchoolAsync();
        var device = await DeviceOfAsync(client, loanId);

        var response = await api.Planner.PostAsync($"/api/assets/devices/{device}/move", Json.Body(new { schoolId = other.Id }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "urn:mep:problem:conflict");
        Assert.Contains($"/api/assets/loans/{loanId}/transfer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("out", await StateAsync(client, loanId));
    }

    [Fact]
    public async Task A_bulk_retirement_naming_a_lent_device_retires_nothing()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("ONLOAN-BULK1");
        var free = (await AssetsApi.RegisterAsync(client, [AssetsApi.LoanTablet("ONLOAN-BULK2")]))["ONLOAN-BULK2"];
        var lent = await DeviceOfAsync(client, loanId);

        var response = await api.Planner.PostAsync("/api/assets/devices/status-changes", Json.Body(new { status = "retired", deviceIds = new[] { free, lent } }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal((2, lent), (row.GetProperty("row").GetInt32(), row.GetProperty("deviceId").GetGuid()));
        Assert.Equal("inService", (await (await client.GetAsync($"/api/assets/devices/{free}")).ReadJsonAsync()).GetProperty("status").GetString());
    }
}
