using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;

namespace Mep.Assets.Tests;

/// <summary>A school key manages its own school's loans only, and after a transfer each school sees only its own part.</summary>
public sealed class LoanSchoolScopeTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private async Task<(TestSchool School, HttpClient Client, Guid LoanId)> SchoolWithALoanAsync(string serial)
    {
        var school = await api.SchoolAsync();
        var client = api.ClientFor(school);
        await AssetsApi.RegisterAsync(client, [AssetsApi.LoanTablet(serial)]);
        var loanId = (await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan(serial, "P-" + serial)]))[serial];
        return (school, client, loanId);
    }

    private static async Task<List<Guid>> LoanIdsAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/assets/loans{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().Select(l => l.GetProperty("loanId").GetGuid())];
    }

    [Fact]
    public async Task Another_schools_key_sees_none_of_a_schools_loans_in_list_single_report_csv_or_feed()
    {
        var (lender, _, loanId) = await SchoolWithALoanAsync("SCOPE-1");
        var (_, other, otherLoan) = await SchoolWithALoanAsync("SCOPE-2");

        Assert.Equal([otherLoan], await LoanIdsAsync(other));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/assets/loans/{loanId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/assets/loans?schoolId={lender.Id}")).StatusCode);
        var report = await (await other.GetAsync("/api/assets/loans/report")).ReadJsonAsync();
        Assert.DoesNotContain(report.GetProperty("rows").EnumerateArray(), r => r.GetProperty("schoolId").GetGuid() == lender.Id);
        Assert.DoesNotContain(lender.Number, string.Join('\n', await ExportFiles.CsvLinesAsync(await other.GetAsync("/api/assets/loans/report.csv"))));
        var feed = await (await other.GetAsync("/api/assets/odata/Loans")).ReadJsonAsync();
        Assert.Equal([otherLoan], feed.GetProperty("value").EnumerateArray().Select(l => l.GetProperty("Id").GetGuid()));
    }

    [Fact]
    public async Task A_school_key_cannot_return_extend_or_report_lost_another_schools_loan()
    {
        var (_, _, loanId) = await SchoolWithALoanAsync("SCOPE-3");
        var other = api.ClientFor(await api.SchoolAsync());

        var returned = await other.PostAsync("/api/assets/loans/returns", Json.Body(new { returnedOn = "2027-07-10", returns = new[] { new { loanId } } }));
        var extended = await other.PostAsync($"/api/assets/loans/{loanId}/extend", Json.Body(new { dueBack = "2028-07-14" }));
        var lost = await other.PostAsync($"/api/assets/loans/{loanId}/lost", Json.Body(new { kind = "lost", reportedOn = "2026-11-02" }));

        var problem = await returned.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        Assert.Equal("loan-unknown", Assert.Single(problem.GetProperty("rows").EnumerateArray()).GetProperty("rule").GetString());
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (extended.StatusCode, lost.StatusCode));
    }

    [Fact]
    public async Task A_school_key_cannot_lend_another_schools_device()
    {
        await SchoolWithALoanAsync("SCOPE-4");
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan("SCOPE-4", "P-SC04X")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        Assert.Equal("device-unknown", Assert.Single(problem.GetProperty("rows").EnumerateArray()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_transfer_ends_the_loan_at_the_old_school_and_continues_it_at_the_new_one_each_seeing_only_its_part()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<LoanTransferred>().Keep<DeviceMoved>());
        var (oldSchool, oldClient, oldLoan) = await SchoolWithALoanAsync("MOVE-1");
        var newSchool = await api.SchoolAsync();
        using var newClient = api.ClientFor(newSchool);

        var response = await oldClient.PostAsync($"/api/assets/loans/{oldLoan}/transfer", Json.Body(new { toSchoolNumber = newSchool.Number, on = "2026-11-11" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ended = await response.ReadJsonAsync();
        Assert.Equal(("transferredOut", "2026-11-11"), (ended.GetProperty("state").GetString(), ended.GetProperty("transferredOn").GetString()));
        var newLoan = Assert.Single(await LoanIdsAsync(newClient));
        Assert.Equal([oldLoan], await LoanIdsAsync(oldClient));
        Assert.Equal(HttpStatusCode.NotFound, (await oldClient.GetAsync($"/api/assets/loans/{newLoan}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await newClient.GetAsync($"/api/assets/loans/{oldLoan}")).StatusCode);
        var continuedResponse = await newClient.GetAsync($"/api/assets/loans/{newLoan}");
        var continuedText = await continuedResponse.Content.ReadAsStringAsync();
        var continued = JsonDocument.Parse(continuedText).RootElement;
        Assert.Equal(("out", "2026-11-11", "2027-07-15", "P-MOVE-1", JsonValueKind.Null),
            (continued.GetProperty("state").GetString(), continued.GetProperty("lentOn").GetString(), continued.GetProperty("dueBack").GetString(),
                continued.GetProperty("borrowerReference").GetString(), continued.GetProperty("className").ValueKind));
        Assert.DoesNotContain(oldSchool.Id.ToString(), continuedText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(oldSchool.Number, continuedText, StringComparison.Ordinal);
        Assert.Equal(newSchool.Id, (await (await newClient.GetAsync($"/api/assets/devices/{continued.GetProperty("deviceId").GetGuid()}")).ReadJsonAsync())
            .GetProperty("schoolId").GetGuid());
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<LoanTransferred>().Any(e => e.LoanId == oldLoan)
            && listener.Received<DeviceMoved>().Any(e => e.ToSchoolId == newSchool.Id)), "the transfer and the move arrive");
        Assert.Equal(new LoanTransferred(oldLoan, newLoan, continued.GetProperty("deviceId").GetGuid(), oldSchool.Id, newSchool.Id, new DateOnly(2026, 11, 11), default),
            listener.Received<LoanTransferred>().Single(e => e.LoanId == oldLoan) with { OccurredAt = default });
    }

    [Fact]
    public async Task A_school_key_names_the_school_a_pupil_moves_to_by_its_number_not_its_id()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("MOVE-2");
        var newSchool = await api.SchoolAsync();

        var response = await client.PostAsync($"/api/assets/loans/{loanId}/transfer", Json.Body(new { toSchoolId = newSchool.Id, on = "2026-11-11" }));

        Assert.Equal(["toSchoolId"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    [Fact]
    public async Task A_transfer_to_a_school_nobody_has_is_refused()
    {
        var (_, client, loanId) = await SchoolWithALoanAsync("MOVE-3");

        var response = await client.PostAsync($"/api/assets/loans/{loanId}/transfer", Json.Body(new { toSchoolNumber = "00001", on = "2026-11-11" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("school-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal("out", (await (await client.GetAsync($"/api/assets/loans/{loanId}")).ReadJsonAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Planners_see_every_schools_loans()
    {
        var (first, _, firstLoan) = await SchoolWithALoanAsync("PLAN-1");
        var (_, _, secondLoan) = await SchoolWithALoanAsync("PLAN-2");

        Assert.Equal([firstLoan], await LoanIdsAsync(api.Planner, $"?schoolNumber={first.Number}"));
        Assert.Contains(secondLoan, await LoanIdsAsync(api.Planner, "?pageSize=200"));
    }

    [Fact]
    public async Task After_a_transfer_the_new_schools_key_reads_the_devices_history_without_a_trace_of_the_old_school()
    {
        var (oldSchool, oldClient, oldLoan) = await SchoolWithALoanAsync("MOVE-4");
        var newSchool = await api.SchoolAsync();
        using var newClient = api.ClientFor(newSchool);
        var moved = await oldClient.PostAsync($"/api/assets/loans/{oldLoan}/transfer", Json.Body(new { toSchoolNumber = newSchool.Number, on = "2026-11-11" }));
        var deviceId = (await moved.ReadJsonAsync()).GetProperty("deviceId").GetGuid();

        var response = await newClient.GetAsync($"/api/assets/devices/{deviceId}/history");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(oldSchool.Id.ToString(), history, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(oldSchool.Rooms[0].ToString(), history, StringComparison.OrdinalIgnoreCase);
        var arrival = Assert.Single(JsonDocument.Parse(history).RootElement.EnumerateArray());
        Assert.Equal(("moved", newSchool.Id), (arrival.GetProperty("change").GetString(), arrival.GetProperty("toSchoolId").GetGuid()));
    }
}
