using Mep.Contracts;
using Mep.ServiceDefaults.Domain;
using Mep.ServiceDefaults.Errors;
using Mep.Staffing.Models;

namespace Mep.Staffing.Tests;

/// <summary>A staffing model's versions, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class StaffingModelAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly FirstDay = new(2020, 8, 1);

    private static readonly ModelDefinition PerSchoolType = new(CountedSchools.All, [], [new(SchoolType.GS, 0.33m)],
        new Rounding(RoundingMode.Nearest, 0.01m), 93_730m);

    private static StaffingModel Created(DateOnly? validUntil = null) =>
        StaffingModel.Create("planner-test", "Planner's test", "A planner", FirstDay, validUntil, PerSchoolType, null, "planner-paula", Now);

    [Fact]
    public void A_new_model_has_its_first_version_valid_from_the_day_given()
    {
        var version = Assert.Single(Created().Versions);

        Assert.Equal((1, FirstDay, (DateOnly?)null), (version.Version, version.ValidFrom, version.ValidUntil));
    }

    [Fact]
    public void A_model_valid_from_a_day_outside_the_calculation_window_is_refused()
    {
        var refused = Assert.Throws<DomainRuleException>(() =>
            StaffingModel.Create("planner-test", "Planner's test", "A planner", new DateOnly(1999, 12, 31), null, PerSchoolType, null, "planner-paula", Now));

        Assert.Equal(CalculationWindow.Rule, refused.Rule);
    }

    [Fact]
    public void A_new_version_ends_the_latest_one_the_day_before_it_starts()
    {
        var model = Created();

        var second = model.AddVersion(new DateOnly(2023, 1, 1), null, PerSchoolType, "new ratios", "planner-paula", Now);

        Assert.Equal((2, new DateOnly(2022, 12, 31)), (second.Version, model.Versions[0].ValidUntil));
    }

    [Fact]
    public void A_new_version_keeps_an_earlier_end_of_the_latest_one()
    {
        var model = Created(validUntil: new DateOnly(2021, 7, 31));

        model.AddVersion(new DateOnly(2023, 1, 1), null, PerSchoolType, null, "planner-paula", Now);

        Assert.Equal(new DateOnly(2021, 7, 31), model.Versions[0].ValidUntil);
    }

    [Fact]
    public void A_new_version_starting_on_or_before_the_latest_one_is_refused()
    {
        var model = Created();

        var refused = Assert.Throws<DomainRuleException>(() => model.AddVersion(FirstDay, null, PerSchoolType, null, "planner-paula", Now));

        Assert.Equal("model-version-order", refused.Rule);
    }

    [Fact]
    public void A_new_version_ending_before_it_starts_is_refused()
    {
        var model = Created();

        var refused = Assert.Throws<DomainRuleException>(() =>
            model.AddVersion(new DateOnly(2023, 1, 1), new DateOnly(2022, 12, 1), PerSchoolType, null, "planner-paula", Now));

        Assert.Equal("model-version-span", refused.Rule);
    }

    [Fact]
    public void A_refused_version_leaves_the_latest_one_running()
    {
        var model = Created();

        Assert.Throws<DomainRuleException>(() => model.AddVersion(new DateOnly(2023, 1, 1), new DateOnly(2022, 12, 1), PerSchoolType, null, "planner-paula", Now));

        Assert.Equal((1, (DateOnly?)null), (model.Versions.Count, model.Versions[0].ValidUntil));
    }

    [Fact]
    public void The_version_valid_on_a_day_is_the_one_whose_span_holds_it()
    {
        var model = Created();
        model.AddVersion(new DateOnly(2023, 1, 1), null, PerSchoolType, null, "planner-paula", Now);

        Assert.Equal((1, 2), (model.VersionValidOn(new DateOnly(2022, 12, 31)).Version, model.VersionValidOn(new DateOnly(2023, 1, 1)).Version));
    }

    [Fact]
    public void A_day_in_a_gap_between_versions_has_no_version()
    {
        var model = Created(validUntil: new DateOnly(2021, 7, 31));
        model.AddVersion(new DateOnly(2023, 1, 1), null, PerSchoolType, null, "planner-paula", Now);

        Assert.Null(model.VersionOn(new DateOnly(2022, 6, 1)));
    }

    [Fact]
    public void A_calculation_for_a_day_without_a_version_is_refused_naming_the_versions()
    {
        var model = Created(validUntil: new DateOnly(2021, 7, 31));
        model.AddVersion(new DateOnly(2023, 1, 1), null, PerSchoolType, null, "planner-paula", Now);

        var refused = Assert.Throws<DomainRuleException>(() => model.VersionValidOn(new DateOnly(2022, 6, 1)));

        Assert.Equal(("model-not-valid-on-day",
                "Model 'planner-test' has no version valid on 2022-06-01; its versions: 1 from 2020-08-01 to 2021-07-31, 2 from 2023-01-01."),
            (refused.Rule, refused.Message));
    }
}
