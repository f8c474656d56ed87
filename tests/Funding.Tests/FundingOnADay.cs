using System.Net;
using System.Text.Json;
using Mep.Contracts.Schools;

namespace Mep.Funding.Tests;

/// <summary>
/// A Funding host on a clock the test class sets: deadlines are judged on the days the tests name. Tests of one class run one after
/// the other, so each sets the day it needs first.
/// </summary>
public sealed class FundingOnADay : IAsyncLifetime
{
    public FundingOnADay() : this(null)
    {
    }

    private FundingOnADay(IReadOnlyDictionary<string, string>? settings) => Api = FundingApi.WithClock(Clock, settings);

    /// <summary>A host with settings of the test's own (e.g. mail to a test SMTP server).</summary>
    public static FundingOnADay WithSettings(IReadOnlyDictionary<string, string> settings) => new(settings);

    /// <summary>Noon in Hannover on 1 March 2023: inside DigitalPakt's application window.</summary>
    public TestClock Clock { get; } = new(new DateTimeOffset(2023, 3, 1, 12, 0, 0, TimeSpan.FromHours(1)));

    public FundingApi Api { get; }

    public void SetDay(int year, int month, int day) => Clock.Set(new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.FromHours(1)));

    public Task InitializeAsync() => Api.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)Api).DisposeAsync();
}

/// <summary>Applications as the tests drive them through the API.</summary>
public static class Measures
{
    public const string DigitalPakt = "digitalpakt-2019-ni";

    public static object Draft(TestSchool school, decimal plannedAmount = 100_000.00m, string category = "schoolWlan", string measureStart = "2022-09-01",
        string programmeCode = DigitalPakt) =>
        new
        {
            schoolId = school.Id, programmeCode, category, title = "WLAN in Gebäude A", description = "Access points, switches, cabling",
            plannedAmount, measureStart, conceptReference = "MEK-2020-03",
        };

    public static async Task<Guid> DraftAsync(HttpClient client, object draft) =>
        (await FundingApi.SendOkAsync(client, HttpMethod.Post, "/api/funding/applications", draft)).GetProperty("id").GetGuid();

    public static Task<JsonElement> StepAsync(HttpClient client, Guid id, string step, object? body = null) =>
        FundingApi.SendOkAsync(client, HttpMethod.Post, $"/api/funding/applications/{id}/{step}", body ?? new { });

    public static Task<HttpResponseMessage> TryStepAsync(HttpClient client, Guid id, string step, object? body = null) =>
        FundingApi.SendAsync(client, HttpMethod.Post, $"/api/funding/applications/{id}/{step}", body ?? new { });

    /// <summary>A school's application taken to approved with <paramref name="approvedAmount"/>.</summary>
    public static async Task<Guid> ApprovedAsync(FundingApi api, TestSchool school, decimal plannedAmount, decimal approvedAmount,
        string category = "schoolWlan")
    {
        var id = await DraftAsync(api.Planner, Draft(school, plannedAmount, category));
        await StepAsync(api.Finance, id, "submit");
        await StepAsync(api.Finance, id, "approve", new { approvedAmount });
        return id;
    }

    /// <summary>Rows of the tables a refused write must leave alone, to compare before and after.</summary>
    public static async Task<(long Applications, long Changes, long Expenditures, long Draws, long Audit, long Outbox)> RowsAsync(FundingApi api) =>
        (await CountAsync(api, "applications"), await CountAsync(api, "application_status_changes"), await CountAsync(api, "expenditures"),
            await CountAsync(api, "draws"), await CountAsync(api, "audit_entries"), await CountAsync(api, "outbox_messages"));

    public static async Task<long> CountAsync(FundingApi api, string table, string where = "true") =>
        await api.Database.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {where}");

    /// <summary>Asserts a 422 naming <paramref name="rule"/> and returns the problem.</summary>
    public static async Task<JsonElement> AssertRuleAsync(this HttpResponseMessage response, string rule)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ServiceDefaults.Errors.ProblemTypes.DomainRule);
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        return problem;
    }

    public static Task<TestSchool> SchoolWithConceptAsync(FundingApi api, MediaConceptStatus concept = MediaConceptStatus.FullConcept) =>
        api.SchoolAsync(concept: concept);
}
