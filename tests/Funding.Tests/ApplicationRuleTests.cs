using Mep.Contracts.Schools;

namespace Mep.Funding.Tests;

/// <summary>The DigitalPakt rules an application meets, each refused by name with nothing stored; deadlines on fixed days.</summary>
public sealed class ApplicationRuleTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    [Fact]
    public async Task Running_costs_are_not_eligible_in_digitalpakt_and_nothing_is_stored()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var before = await Measures.RowsAsync(Api);

        var refused = await FundingApi.SendAsync(Api.Planner, HttpMethod.Post, "/api/funding/applications", Measures.Draft(school, category: "runningCosts"));

        await refused.AssertRuleAsync("category-not-eligible");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_measure_started_on_16_may_2019_is_too_early_and_one_on_17_may_is_not()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var before = await Measures.RowsAsync(Api);

        var early = await FundingApi.SendAsync(Api.Planner, HttpMethod.Post, "/api/funding/applications", Measures.Draft(school, measureStart: "2019-05-16"));

        var problem = await early.AssertRuleAsync("measure-started-too-early");
        Assert.Equal("2019-05-17", problem.GetProperty("measuresFrom").GetString());
        Assert.Equal(before, await Measures.RowsAsync(Api));
        await Measures.DraftAsync(Api.Planner, Measures.Draft(school, measureStart: "2019-05-17"));
    }

    [Fact]
    public async Task Mobile_devices_bought_before_26_march_2020_are_not_eligible()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var before = await Measures.RowsAsync(Api);

        var refused = await FundingApi.SendAsync(Api.Planner, HttpMethod.Post, "/api/funding/applications",
            Measures.Draft(school, 10_000.00m, category: "mobileDevices", measureStart: "2020-03-25"));

        Assert.Equal("2020-03-26", (await refused.AssertRuleAsync("mobile-devices-not-yet-eligible")).GetProperty("eligibleFrom").GetString());
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task The_application_day_ends_at_midnight_in_hannover_not_in_utc()
    {
        var school = await Api.SchoolAsync();
        funding.SetDay(2023, 3, 1);
        var lastEvening = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));
        var justAfterMidnight = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));

        // 30 June 2023, 23:30 in Hannover (summer time) is 21:30 UTC; 00:30 on 1 July is 22:30 UTC, still 30 June in UTC.
        funding.Clock.Set(new DateTimeOffset(2023, 6, 30, 21, 30, 0, TimeSpan.Zero));
        var onTime = await Measures.StepAsync(Api.Finance, lastEvening, "submit");
        funding.Clock.Set(new DateTimeOffset(2023, 6, 30, 22, 30, 0, TimeSpan.Zero));
        var afterDeadline = await Measures.StepAsync(Api.Finance, justAfterMidnight, "submit");

        Assert.Equal(("2023-06-30", false), (onTime.GetProperty("submittedOn").GetString(), onTime.GetProperty("firstComeFirstServed").GetBoolean()));
        Assert.Equal(("2023-07-01", true), (afterDeadline.GetProperty("submittedOn").GetString(),
            afterDeadline.GetProperty("firstComeFirstServed").GetBoolean()));
    }

    [Fact]
    public async Task A_submission_on_15_july_2023_is_taken_first_come_first_served()
    {
        var school = await Api.SchoolAsync();
        funding.SetDay(2023, 3, 1);
        var inWindow = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));
        var late = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));

        var onTime = await Measures.StepAsync(Api.Finance, inWindow, "submit");
        funding.SetDay(2023, 7, 15);
        var firstComeFirstServed = await Measures.StepAsync(Api.Finance, late, "submit");

        Assert.False(onTime.GetProperty("firstComeFirstServed").GetBoolean());
        Assert.Equal(("submitted", "2023-07-15", true), (firstComeFirstServed.GetProperty("status").GetString(),
            firstComeFirstServed.GetProperty("submittedOn").GetString(), firstComeFirstServed.GetProperty("firstComeFirstServed").GetBoolean()));
    }

    [Fact]
    public async Task A_submission_on_1_june_2024_is_refused_naming_the_deadline()
    {
        var school = await Api.SchoolAsync();
        funding.SetDay(2023, 3, 1);
        var tooLate = await Measures.DraftAsync(Api.Planner, Measures.Draft(school));
        funding.SetDay(2024, 6, 1);
        var before = await Measures.RowsAsync(Api);

        var refused = await Measures.TryStepAsync(Api.Finance, tooLate, "submit");

        var problem = await refused.AssertRuleAsync("application-deadline");
        Assert.Equal("2024-05-15", problem.GetProperty("deadline").GetString());
        Assert.Contains("2024-05-15", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await Measures.RowsAsync(Api));
        Assert.Equal("draft", (await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{tooLate}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_school_without_a_requirement_profile_cannot_submit()
    {
        funding.SetDay(2023, 3, 1);
        var without = await Api.SchoolAsync(concept: MediaConceptStatus.None);
        var refusedId = await Measures.DraftAsync(Api.Planner, Measures.Draft(without));
        var before = await Measures.RowsAsync(Api);

        var refused = await Measures.TryStepAsync(Api.Finance, refusedId, "submit");

        await refused.AssertRuleAsync("application-needs-requirement-profile");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_school_with_a_requirement_profile_submits()
    {
        funding.SetDay(2023, 3, 1);
        var withProfile = await Api.SchoolAsync(concept: MediaConceptStatus.RequirementProfile);
        var acceptedId = await Measures.DraftAsync(Api.Planner, Measures.Draft(withProfile));

        Assert.Equal("submitted", (await Measures.StepAsync(Api.Finance, acceptedId, "submit")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Mobile_devices_take_at_most_25000_per_school_counted_with_the_surcharge()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var first = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 20_000.00m, category: "mobileDevices"));
        var second = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 1_000.00m, category: "mobileDevices"));
        var fits = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 833.33m, category: "mobileDevices"));

        await Measures.StepAsync(Api.Finance, first, "submit");
        var before = await Measures.RowsAsync(Api);
        var refused = await Measures.TryStepAsync(Api.Finance, second, "submit");
        var afterRefusal = await Measures.RowsAsync(Api);
        var fitting = await Measures.StepAsync(Api.Finance, fits, "submit");

        // 20,000.00 + 20 % = 24,000.00 counted; 1,000.00 + 20 % = 1,200.00 more would be 25,200.00; 833.33 + 166.67 = 1,000.00 fits exactly.
        var problem = await refused.AssertRuleAsync("mobile-device-cap-per-school");
        Assert.Equal((25_000.00m, 24_000.00m, 1_200.00m), (problem.GetProperty("cap").GetDecimal(), problem.GetProperty("committed").GetDecimal(),
            problem.GetProperty("requested").GetDecimal()));
        Assert.Equal(before, afterRefusal);
        Assert.Equal(1_000.00m, fitting.GetProperty("plannedTotal").GetDecimal());
    }

    /// <summary>A submitted application of 100,000.00 (120,000.00 with the surcharge).</summary>
    private async Task<Guid> SubmittedAsync()
    {
        funding.SetDay(2023, 3, 1);
        var school = await Api.SchoolAsync();
        var id = await Measures.DraftAsync(Api.Planner, Measures.Draft(school, 100_000.00m));
        await Measures.StepAsync(Api.Finance, id, "submit");
        return id;
    }

    [Fact]
    public async Task An_approval_above_the_planned_total_is_refused_and_nothing_is_stored()
    {
        var id = await SubmittedAsync();
        var before = await Measures.RowsAsync(Api);

        var aboveTotal = await Measures.TryStepAsync(Api.Finance, id, "approve", new { approvedAmount = 120_000.01m });

        await aboveTotal.AssertRuleAsync("approval-exceeds-planned-total");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task An_approval_after_15_may_2024_is_refused_naming_the_deadline_and_one_on_it_is_taken()
    {
        var id = await SubmittedAsync();
        funding.SetDay(2024, 5, 16);
        var before = await Measures.RowsAsync(Api);

        var late = await Measures.TryStepAsync(Api.Finance, id, "approve", new { approvedAmount = 120_000.00m });

        Assert.Equal("2024-05-15", (await late.AssertRuleAsync("approval-deadline")).GetProperty("deadline").GetString());
        Assert.Equal(before, await Measures.RowsAsync(Api));
        funding.SetDay(2024, 5, 15);
        Assert.Equal(120_000.00m, (await Measures.StepAsync(Api.Finance, id, "approve", new { approvedAmount = 120_000.00m }))
            .GetProperty("approvedAmount").GetDecimal());
    }
}
