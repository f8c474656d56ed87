using System.Net;

namespace Mep.Assets.Tests;

/// <summary>Overdue is a Berlin calendar day on the service's clock, which the test fixes.</summary>
public sealed class LoanOverdueTests : IAsyncLifetime
{
    /// <summary>16 July 2027, 00:30 in Berlin (CEST), still 15 July in UTC.</summary>
    private readonly TestClock _clock = new(new DateTimeOffset(2027, 7, 15, 22, 30, 0, TimeSpan.Zero));
    private readonly AssetsApi _api;

    public LoanOverdueTests() => _api = AssetsApi.WithClock(_clock);

    public Task InitializeAsync() => _api.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_api).DisposeAsync();

    [Fact]
    public async Task A_loan_due_back_yesterday_in_berlin_is_overdue_and_one_due_today_is_not()
    {
        var school = await _api.SchoolAsync();
        using var client = _api.ClientFor(school);
        await AssetsApi.RegisterAsync(client, [AssetsApi.LoanTablet("LATE-1"), AssetsApi.LoanTablet("LATE-2")]);
        var loans = await AssetsApi.LendAsync(client,
            [AssetsApi.PupilLoan("LATE-1", "P-LT01"), AssetsApi.PupilLoan("LATE-2", "P-LT02", ("dueBack", "2027-07-16"))]);

        var response = await client.GetAsync("/api/assets/loans?overdue=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var overdue = Assert.Single((await response.ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal((loans["LATE-1"], true), (overdue.GetProperty("loanId").GetGuid(), overdue.GetProperty("overdue").GetBoolean()));
        Assert.False((await (await client.GetAsync($"/api/assets/loans/{loans["LATE-2"]}")).ReadJsonAsync()).GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task A_returned_loan_is_never_overdue()
    {
        var school = await _api.SchoolAsync();
        using var client = _api.ClientFor(school);
        await AssetsApi.RegisterAsync(client, [AssetsApi.LoanTablet("BACKLATE-1")]);
        var loanId = (await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan("BACKLATE-1", "P-BL01")]))["BACKLATE-1"];
        (await client.PostAsync("/api/assets/loans/returns", Json.Body(new { returnedOn = "2027-07-15", returns = new[] { new { loanId } } })))
            .EnsureSuccessStatusCode();

        var response = await client.GetAsync("/api/assets/loans?overdue=true");

        Assert.Empty((await response.ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }
}
