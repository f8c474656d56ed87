using System.Net;
using System.Text.Json;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Errors;

namespace Mep.Staffing.Tests;

/// <summary>Scenarios: which schools reach the MEP standard when and what they will have, projected per year under several models.</summary>
public sealed class ScenarioTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private sealed record CitySchool(Guid Id, SchoolType Type, bool AtMep, int Pupils, int Teachers, int Classes, int TeacherTabletsToday);

    /// <summary>99 schools like Hannover's (6 at MEP standard), each with 2024/25 figures; two of the others have teacher tablets today.</summary>
    private async Task<List<CitySchool>> CityAsync()
    {
        SchoolType[] types = [.. Enumerable.Repeat(SchoolType.GS, 55), .. Enumerable.Repeat(SchoolType.GY, 16), .. Enumerable.Repeat(SchoolType.IGS, 12),
            .. Enumerable.Repeat(SchoolType.OBS, 6), .. Enumerable.Repeat(SchoolType.BBS, 6), .. Enumerable.Repeat(SchoolType.FoeS, 4)];
        var now = DateTimeOffset.UtcNow;
        var schools = types.Select((type, i) => new CitySchool(Guid.NewGuid(), type, AtMep: i % 17 == 0, Pupils: type == SchoolType.GS ? 180 + i : 700 + 3 * i,
            Teachers: type == SchoolType.GS ? 14 : 60 + i % 7, Classes: type == SchoolType.GS ? 8 : 28 + i % 5, TeacherTabletsToday: i is 1 or 2 ? 25 : 0)).ToList();
        foreach (var (school, i) in schools.Select((s, i) => (s, i)))
        {
            var number = $"8{i:0000}";
            await api.PublishAsync(new SchoolRegistered(school.Id, number, $"{school.Type.Code()} {number}", school.Type, "Mitte", now));
            await api.PublishAsync(new SchoolUpdated(school.Id, number, $"{school.Type.Code()} {number}", school.Type, "Mitte", school.AtMep, now.AddTicks(1)));
            await api.PublishAsync(new SchoolYearFiguresRecorded(school.Id, 2024, school.Pupils, school.Teachers, school.Classes, now));
            if (school.TeacherTabletsToday > 0)
            {
                await api.PublishAsync(new DevicesRegistered(school.Id, [.. StaffingApi.Many(school.TeacherTabletsToday, DeviceKind.Tablet, TabletOwnership.Teacher)],
                    now));
            }
        }

        await Eventually.AssertAsync(async () =>
                await api.Database.ScalarAsync<long>("SELECT count(*) FROM known_schools s JOIN known_school_years y USING (school_id) WHERE s.number LIKE '8%' "
                    + "AND s.at_mep_standard = (s.number IN ('80000','80017','80034','80051','80068','80085'))") == 99
                && await api.Database.ScalarAsync<long>("SELECT coalesce(sum(teacher_tablets), 0) FROM school_counts") == 50,
            "Staffing knows the 99 schools, their school years and today's devices");
        return schools;
    }

    private static object[] Ratios() => new object[]
    {
        new { schoolType = "GS", pupilTabletsPerPupil = 0, teacherTabletsPerTeacher = 1, classSets = 3, tabletsPerClassSet = 16, boardSystemsPerClass = 1,
            computerRoomDevices = 0 },
        new { schoolType = "GY", pupilTabletsPerPupil = 0.5, teacherTabletsPerTeacher = 1, classSets = 0, tabletsPerClassSet = 0, boardSystemsPerClass = 1,
            computerRoomDevices = 30 },
        new { schoolType = "IGS", pupilTabletsPerPupil = 0.5, teacherTabletsPerTeacher = 1, classSets = 0, tabletsPerClassSet = 0, boardSystemsPerClass = 1,
            computerRoomDevices = 30 },
        new { schoolType = "OBS", pupilTabletsPerPupil = 0.5, teacherTabletsPerTeacher = 1, classSets = 0, tabletsPerClassSet = 0, boardSystemsPerClass = 1,
            computerRoomDevices = 30 },
        new { schoolType = "BBS", pupilTabletsPerPupil = 0.25, teacherTabletsPerTeacher = 1, classSets = 0, tabletsPerClassSet = 0, boardSystemsPerClass = 1,
            computerRoomDevices = 90 },
    };

    /// <summary>Devices a school has in a year of the scenario, by hand: the ratios of its type once at MEP standard, today's before.</summary>
    private static (int Tablets, int PerSevenHundred, int IfibDevices) Devices(CitySchool s, bool atMep)
    {
        if (!atMep)
        {
            return (s.TeacherTabletsToday, 0, s.TeacherTabletsToday);
        }

        return s.Type switch
        {
            SchoolType.GS => (s.Teachers, 3 * 16 + 3 * s.Classes, s.Teachers + 48 + 3 * s.Classes),
            SchoolType.BBS => (Whole(s.Pupils * 0.25m) + s.Teachers, 90 + 3 * s.Classes, Whole(s.Pupils * 0.25m) + s.Teachers + 90 + 3 * s.Classes),
            // Special schools have no ratio in this scenario: they keep today's devices (none).
            SchoolType.FoeS => (0, 0, 0),
            _ => (Whole(s.Pupils * 0.5m) + s.Teachers, 30 + 3 * s.Classes, Whole(s.Pupils * 0.5m) + s.Teachers + 30 + 3 * s.Classes),
        };
    }

    private static int Whole(decimal devices) => (int)Math.Round(devices, MidpointRounding.AwayFromZero);

    [Fact]
    public async Task All_99_schools_at_mep_standard_by_2025_give_fte_and_cost_per_year_under_three_models_side_by_side()
    {
        var city = await CityAsync();
        var early = city.Where(s => !s.AtMep).Take(3).ToList();

        var created = await api.Planner.PostAsync("/api/staffing/scenarios", Json.Body(new
        {
            name = "Alle 99 Schulen bis 2025",
            description = "Three schools in 2024, all others by 2025.",
            definition = new
            {
                firstYear = 2024, lastYear = 2026, allSchoolsByYear = 2025,
                schools = early.Select(s => new { schoolId = s.Id, year = 2024 }).ToArray(),
                ratios = Ratios(),
                devices = Array.Empty<object>(),
            },
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();

        var projection = await StaffingApi.GetOkAsync(api.Planner,
            $"/api/staffing/scenarios/{id}/projection?models=hannover-mep-2020,ifib-bertelsmann-2017,stuttgart");

        Assert.Equal(["hannover-mep-2020", "ifib-bertelsmann-2017", "stuttgart"], projection.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        var years = projection.GetProperty("years").EnumerateArray().ToList();
        Assert.Equal([2024, 2025, 2026], years.Select(y => y.GetProperty("year").GetInt32()));
        var stuttgart = city.Sum(s => s.Type switch { SchoolType.GS or SchoolType.FoeS => 0.33m, SchoolType.BBS => 1.0m, _ => 0.5m });
        foreach (var year in years)
        {
            var y = year.GetProperty("year").GetInt32();
            var atMep = city.Select(s => (School: s, AtMep: s.AtMep || y >= 2025 || early.Contains(s))).ToList();
            var hannover = atMep.Where(x => x.AtMep).Sum(x => Devices(x.School, true).Tablets) / 1500m
                + atMep.Where(x => x.AtMep).Sum(x => Devices(x.School, true).PerSevenHundred) / 700m;
            var ifib = atMep.Sum(x => Devices(x.School, x.AtMep).IfibDevices) / 400m;
            var models = year.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!);

            Assert.Equal(atMep.Count(x => x.AtMep), year.GetProperty("schoolsAtMepStandard").GetInt32());
            Assert.Equal(hannover, models["hannover-mep-2020"].GetProperty("fte").GetDecimal());
            Assert.Equal(decimal.Round(hannover * 93_730m, 2, MidpointRounding.AwayFromZero), models["hannover-mep-2020"].GetProperty("personnelCost").GetDecimal());
            Assert.Equal(Math.Ceiling(hannover * 2) / 2 * 93_730m, models["hannover-mep-2020"].GetProperty("personnelCostRounded").GetDecimal());
            Assert.Equal(ifib, models["ifib-bertelsmann-2017"].GetProperty("fte").GetDecimal());
            Assert.Equal(decimal.Round(ifib * 93_730m, 2, MidpointRounding.AwayFromZero), models["ifib-bertelsmann-2017"].GetProperty("personnelCost").GetDecimal());
            Assert.Equal(stuttgart, models["stuttgart"].GetProperty("fte").GetDecimal());
            Assert.Equal(99, models["stuttgart"].GetProperty("schoolsCounted").GetInt32());
        }

        Assert.Equal([9, 99, 99], years.Select(y => y.GetProperty("schoolsAtMepStandard").GetInt32()));
    }

    private static object Definition(int by) => new
    {
        firstYear = 2025, lastYear = 2027, allSchoolsByYear = by, schools = Array.Empty<object>(), ratios = Ratios(), devices = Array.Empty<object>(),
    };

    /// <summary>A scenario saved by a planner, with all schools at MEP standard by <paramref name="by"/>: its answer and ETag.</summary>
    private async Task<(JsonElement Scenario, Guid Id, string ETag)> SavedAsync(string name = "Bis 2027", int by = 2027)
    {
        var created = await api.Planner.PostAsync("/api/staffing/scenarios", Json.Body(new { name, definition = Definition(by) }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var scenario = await created.ReadJsonAsync();
        return (scenario, scenario.GetProperty("id").GetGuid(), created.Headers.ETag!.Tag);
    }

    private Task<HttpResponseMessage> ReplaceAsync(Guid id, string name, string ifMatch)
    {
        var replace = new HttpRequestMessage(HttpMethod.Put, $"/api/staffing/scenarios/{id}") { Content = Json.Body(new { name, definition = Definition(2026) }) };
        replace.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return api.Planner.SendAsync(replace);
    }

    [Fact]
    public async Task A_copied_scenario_keeps_the_definition_and_names_its_original()
    {
        var (original, id, etag) = await SavedAsync();

        var copy = await StaffingApi.SendOkAsync(api.Planner, HttpMethod.Post, $"/api/staffing/scenarios/{id}/copy", new { name = "Bis 2026" });

        Assert.Equal(id, copy.GetProperty("copiedFrom").GetGuid());
        Assert.Equal(original.GetProperty("definition").GetRawText(), copy.GetProperty("definition").GetRawText());
        Assert.Equal(etag, (await api.Planner.GetAsync($"/api/staffing/scenarios/{id}")).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Replacing_a_scenario_without_if_match_is_a_428()
    {
        var (_, id, _) = await SavedAsync();

        var withoutIfMatch = await api.Planner.PutAsync($"/api/staffing/scenarios/{id}", Json.Body(new { name = "Bis 2026", definition = Definition(2026) }));

        await withoutIfMatch.AssertProblemAsync(HttpStatusCode.PreconditionRequired, ProblemTypes.PreconditionRequired);
    }

    [Fact]
    public async Task A_copy_is_replaced_with_its_current_etag_and_the_original_stays_as_it_was()
    {
        var (_, id, etag) = await SavedAsync();
        var copyId = (await StaffingApi.SendOkAsync(api.Planner, HttpMethod.Post, $"/api/staffing/scenarios/{id}/copy", new { name = "Bis 2026" }))
            .GetProperty("id").GetGuid();
        var copyEtag = (await api.Planner.GetAsync($"/api/staffing/scenarios/{copyId}")).Headers.ETag!.Tag;

        var replaced = await ReplaceAsync(copyId, "Bis 2026", copyEtag);

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(etag, (await api.Planner.GetAsync($"/api/staffing/scenarios/{id}")).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Replacing_a_scenario_with_a_stale_etag_is_a_412()
    {
        var (_, id, etag) = await SavedAsync();
        Assert.Equal(HttpStatusCode.OK, (await ReplaceAsync(id, "Bis 2026", etag)).StatusCode);

        var stale = await ReplaceAsync(id, "x", etag);

        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
    }

    [Fact]
    public async Task Scenarios_are_compared_year_by_year_under_one_model()
    {
        var gymnasium = (await api.SchoolAsync(SchoolType.GY, "Nord", atMepStandard: false)).Id;
        await api.PublishAsync(new SchoolYearFiguresRecorded(gymnasium, 2025, 800, 60, 30, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
            await api.Database.ScalarAsync<long>($"SELECT count(*) FROM known_school_years WHERE school_id = '{gymnasium}'") == 1, "the school year arrived");
        var (_, id, _) = await SavedAsync();
        var (_, otherId, _) = await SavedAsync("Bis 2026", by: 2026);

        var comparison = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/scenarios/comparison?ids={id},{otherId}&model=hannover-mep-2020");

        Assert.Equal(["Bis 2027", "Bis 2026"], comparison.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var years = comparison.GetProperty("years").EnumerateArray().ToList();
        Assert.Equal([2025, 2026, 2027], years.Select(y => y.GetProperty("year").GetInt32()));
        // In 2026 the Gymnasium (and any other school not at MEP standard) counts in "Bis 2026" only, with its ratio devices.
        var in2026 = years[1].GetProperty("scenarios").EnumerateArray().ToList();
        Assert.True(in2026[1].GetProperty("schoolsCounted").GetInt32() > in2026[0].GetProperty("schoolsCounted").GetInt32());
        Assert.True(in2026[1].GetProperty("fte").GetDecimal() > in2026[0].GetProperty("fte").GetDecimal());
        var in2027 = years[2].GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("fte").GetDecimal()).ToList();
        Assert.Equal(in2027[0], in2027[1]);
    }

    [Fact]
    public async Task Finance_does_not_copy_scenarios()
    {
        var (_, id, _) = await SavedAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientAs("finance").PostAsync($"/api/staffing/scenarios/{id}/copy", Json.Body(new { name = "x" }))).StatusCode);
    }

    [Fact]
    public async Task A_scenario_with_years_backwards_or_a_school_listed_twice_is_refused_by_field()
    {
        var school = Guid.NewGuid();
        var response = await api.Planner.PostAsync("/api/staffing/scenarios", Json.Body(new
        {
            name = "Falsch",
            definition = new
            {
                firstYear = 2030, lastYear = 2025, allSchoolsByYear = (int?)null,
                schools = new object[] { new { schoolId = school, year = 2026 }, new { schoolId = school, year = 2027 } },
                ratios = Array.Empty<object>(), devices = Array.Empty<object>(),
            },
        }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["definition.lastYear", "definition.schools"], problem.ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM scenarios WHERE name = 'Falsch'"));
    }
}
