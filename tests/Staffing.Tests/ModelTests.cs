using System.Net;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Staffing.Tests;

/// <summary>Staffing models are data: planners add their own, versions are valid for spans of days, bad numbers are refused by field.</summary>
public sealed class ModelTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private static object Definition(decimal tabletsPerFte, string countedSchools = "all", decimal step = 0.1m) => new
    {
        countedSchools,
        groups = new object[]
        {
            new { code = "tablets", name = "All tablets", devicesPerFte = tabletsPerFte,
                weights = new object[] { new { category = "teacherTablets", weight = 1 }, new { category = "pupilTablets", weight = 0.5 } } },
        },
        ftePerSchoolType = new object[] { new { schoolType = "GS", fte = 0.1 } },
        rounding = new { mode = "up", step },
        costPerFte = 80_000.00m,
    };

    /// <summary>A school not at MEP standard with 30 teacher tablets and 40 pupil tablets, counted.</summary>
    private async Task<Guid> SchoolWithTabletsAsync()
    {
        var school = (await api.SchoolAsync(SchoolType.GS, "Ahlem-Badenstedt-Davenstedt", atMepStandard: false)).Id;
        await api.PublishAsync(new DevicesRegistered(school, [
            .. StaffingApi.Many(30, DeviceKind.Tablet, TabletOwnership.Teacher), .. StaffingApi.Many(40, DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil),
        ], DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => (await api.CountsAsync(school)).GetProperty("counts").GetProperty("pupilTablets").GetInt32() == 40,
            "devices counted");
        return school;
    }

    /// <summary>A planner's model of all tablets per 1,000 devices per FTE, valid from 2026.</summary>
    private async Task CreateTabletsModelAsync(string code)
    {
        var created = await api.Planner.PostAsync("/api/staffing/models", Json.Body(new
        {
            code, name = "Tablets per 1,000", source = "Planning variant 2026", validFrom = "2026-01-01",
            definition = Definition(1000), note = "first try",
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task A_custom_model_computes_with_its_own_weights()
    {
        var school = await SchoolWithTabletsAsync();
        await CreateTabletsModelAsync("tablets-per-1000");

        var in2026 = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/calculation/schools/{school}?model=tablets-per-1000&on=2026-12-31");

        Assert.Equal((30 + 40 * 0.5m) / 1000m + 0.1m, in2026.GetProperty("figure").GetProperty("fte").GetDecimal());
        var model = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/models/tablets-per-1000");
        Assert.Equal("planner-paula", model.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task A_new_model_version_takes_over_from_its_first_day()
    {
        var school = await SchoolWithTabletsAsync();
        await CreateTabletsModelAsync("tablets-halved");
        var version2 = await api.Planner.PostAsync("/api/staffing/models/tablets-halved/versions",
            Json.Body(new { validFrom = "2027-01-01", definition = Definition(500), note = "halved" }));
        Assert.Equal(HttpStatusCode.Created, version2.StatusCode);

        var in2026 = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/calculation/schools/{school}?model=tablets-halved&on=2026-12-31");
        var in2027 = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/calculation/schools/{school}?model=tablets-halved&on=2027-01-01");

        Assert.Equal((30 + 40 * 0.5m) / 1000m + 0.1m, in2026.GetProperty("figure").GetProperty("fte").GetDecimal());
        Assert.Equal((30 + 40 * 0.5m) / 500m + 0.1m, in2027.GetProperty("figure").GetProperty("fte").GetDecimal());
        var model = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/models/tablets-halved");
        Assert.Equal([("2026-01-01", "2026-12-31"), ("2027-01-01", null)], model.GetProperty("versions").EnumerateArray()
            .Select(v => (v.GetProperty("validFrom").GetString(), v.GetProperty("validUntil").GetString())));
    }

    [Fact]
    public async Task A_model_valid_from_year_1_is_refused_as_outside_the_calculation_window_and_nothing_is_stored()
    {
        var response = await api.Planner.PostAsync("/api/staffing/models", Json.Body(new
        {
            code = "from-year-one", name = "From year 1", source = "typing error", validFrom = "0001-01-01", definition = Definition(1000),
        }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("date-outside-calculation-window", problem.GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.Planner.GetAsync("/api/staffing/models/from-year-one")).StatusCode);
    }

    [Fact]
    public async Task Bad_model_numbers_are_refused_naming_each_field_and_nothing_is_stored()
    {
        var response = await api.Planner.PostAsync("/api/staffing/models", Json.Body(new
        {
            code = "Bad Code", name = "x", source = "refused-model", validFrom = "2026-01-01",
            definition = new
            {
                countedSchools = "all",
                groups = new object[] { new { code = "g", name = "G", devicesPerFte = 0, weights = Array.Empty<object>() } },
                ftePerSchoolType = new object[] { new { schoolType = "GS", fte = -1 } },
                rounding = new { mode = "up", step = 0 },
                costPerFte = 1.234m,
            },
        }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["code", "definition.costPerFte", "definition.ftePerSchoolType[0].fte", "definition.groups[0].devicesPerFte",
                "definition.groups[0].weights", "definition.rounding.step"], problem.ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM staffing_models WHERE source = 'refused-model'"));
    }

    [Fact]
    public async Task An_unknown_category_or_field_is_a_400_not_a_silent_default()
    {
        var unknownCategory = await api.Planner.PostAsync("/api/staffing/models", Json.Raw("""
            {"code":"c1","name":"n","source":"s","validFrom":"2026-01-01","definition":{"countedSchools":"all","groups":[{"code":"g","name":"G",
             "devicesPerFte":10,"weights":[{"category":"smartWatches","weight":1}]}],"ftePerSchoolType":[],"rounding":{"mode":"none","step":1},"costPerFte":1}}
            """));
        var unknownField = await api.Planner.PostAsync("/api/staffing/models", Json.Raw("""
            {"code":"c2","name":"n","source":"s","validFrom":"2026-01-01","builtIn":true,"definition":{"countedSchools":"all","groups":[],
             "ftePerSchoolType":[{"schoolType":"GS","fte":1}],"rounding":{"mode":"none","step":1},"costPerFte":1}}
            """));

        await unknownCategory.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        await unknownField.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
    }

    private Task<long> VersionsOfHannoverAsync() => api.Database.ScalarAsync<long>(
        "SELECT count(*) FROM staffing_model_versions v JOIN staffing_models m ON m.id = v.model_id WHERE m.code = 'hannover-mep-2020'");

    [Fact]
    public async Task A_planner_does_not_add_a_version_to_a_built_in_model()
    {
        var planner = await api.Planner.PostAsync("/api/staffing/models/hannover-mep-2020/versions",
            Json.Body(new { validFrom = "2027-01-01", definition = Definition(1200, "mepStandard") }));

        Assert.Equal(HttpStatusCode.Forbidden, planner.StatusCode);
        Assert.Equal(1, await VersionsOfHannoverAsync());
    }

    [Fact]
    public async Task A_version_before_the_newest_is_a_422_naming_the_order_rule()
    {
        var backwards = await api.Admin.PostAsync("/api/staffing/models/hannover-mep-2020/versions",
            Json.Body(new { validFrom = "2019-01-01", definition = Definition(1200, "mepStandard") }));

        Assert.Equal("model-version-order",
            (await backwards.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule)).GetProperty("rule").GetString());
        Assert.Equal(1, await VersionsOfHannoverAsync());
    }

    [Fact]
    public async Task A_day_before_a_models_first_version_is_a_422_naming_the_rule()
    {
        var beforeFirst = await api.Planner.GetAsync("/api/staffing/calculation?model=hannover-mep-2020&on=2019-12-31");

        Assert.Equal("model-not-valid-on-day",
            (await beforeFirst.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule)).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_model_with_a_code_in_use_is_a_409()
    {
        var duplicate = await api.Planner.PostAsync("/api/staffing/models", Json.Body(new
        {
            code = "hannover-mep-2020", name = "x", source = "x", validFrom = "2026-01-01", definition = Definition(1000),
        }));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404()
    {
        var unknown = await api.Planner.GetAsync("/api/staffing/calculation?model=no-such-model");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
