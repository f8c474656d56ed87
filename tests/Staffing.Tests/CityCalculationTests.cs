using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;

namespace Mep.Staffing.Tests;

/// <summary>The need under each model, city-wide, per district and per school, from the live counts; written out by hand here.</summary>
public sealed class CityCalculationTests(StaffingApi api) : IClassFixture<StaffingApi>
{
    private static readonly DateTimeOffset T0 = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    private sealed record Row(Guid Id, string Type, bool AtMep, int Pupil, int Teacher, int Loan, int ClassSet, int Computers, int Boards, int Components,
        int Network);

    private async Task<List<Row>> AllCountsAsync()
    {
        var rows = new List<Row>();
        for (var page = 1; ; page++)
        {
            var body = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/counts?pageSize=200&page={page}");
            foreach (var s in body.GetProperty("items").EnumerateArray())
            {
                var c = s.GetProperty("counts");
                int N(string name) => c.GetProperty(name).GetInt32();
                rows.Add(new Row(s.GetProperty("schoolId").GetGuid(), s.GetProperty("schoolType").GetString()!, s.GetProperty("atMepStandard").GetBoolean(),
                    N("pupilTablets"), N("teacherTablets"), N("loanTablets"), N("classSetTablets"), N("computerRoomDevices"), N("boardSystems"),
                    N("boardSystemComponents"), N("networkDevices")));
            }

            if (page >= body.GetProperty("totalPages").GetInt32())
            {
                return rows;
            }
        }
    }

    /// <summary>The council paper's formula, step by step, over the schools at MEP standard.</summary>
    private static decimal HannoverByHand(IEnumerable<Row> rows)
    {
        var atMep = rows.Where(r => r.AtMep).ToList();
        var tablets = atMep.Sum(r => r.Pupil + r.Teacher + r.Loan);
        var computerRoomDevices = atMep.Sum(r => r.Computers);
        var classSetTablets = atMep.Sum(r => r.ClassSet);
        var boardSystems = atMep.Sum(r => r.Boards);
        var tabletFte = tablets / 1500m;
        var sevenHundredFte = (computerRoomDevices + classSetTablets + 3 * boardSystems) / 700m;
        return tabletFte + sevenHundredFte;
    }

    private async Task<Guid> SchoolWithDevicesAsync(SchoolType type, string district, bool atMep, int pupil, int teacher, int classSet, int computers,
        int boards)
    {
        var school = (await api.SchoolAsync(type, district, atMep)).Id;
        await api.PublishAsync(new DevicesRegistered(school, [
            .. StaffingApi.Many(pupil, DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil),
            .. StaffingApi.Many(teacher, DeviceKind.Tablet, TabletOwnership.Teacher),
            .. StaffingApi.Many(classSet, DeviceKind.Tablet, TabletOwnership.SchoolClassSet),
            .. StaffingApi.Many(computers, DeviceKind.ComputerRoomDevice),
        ], T0));
        for (var i = 0; i < boards; i++)
        {
            await api.PublishAsync(new BoardSystemRegistered(Guid.NewGuid(), school, Guid.NewGuid(), T0));
        }

        await Eventually.AssertAsync(async () =>
        {
            var c = (await api.CountsAsync(school)).GetProperty("counts");
            return c.GetProperty("pupilTablets").GetInt32() == pupil && c.GetProperty("boardSystems").GetInt32() == boards
                && c.GetProperty("computerRoomDevices").GetInt32() == computers;
        }, "the school's devices are counted");
        return school;
    }

    [Fact]
    public async Task The_current_posts_cost_is_the_published_1_734_000_and_its_difference_to_18_5_times_93_730_is_shown()
    {
        var city = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation?model=hannover-mep-2020");

        var posts = city.GetProperty("posts");
        Assert.Equal((18.5m, 1_734_000.00m, true), (posts.GetProperty("currentPosts").GetDecimal(), posts.GetProperty("costOfCurrentPosts").GetDecimal(),
            posts.GetProperty("costOfCurrentPostsPublished").GetBoolean()));
        var published = posts.GetProperty("publishedFigures").EnumerateArray().Single();
        Assert.Equal(("currentPostsCost", 18.5m, 1_734_000.00m, 1_734_005.00m, -5.00m), (published.GetProperty("figure").GetString(),
            published.GetProperty("posts").GetDecimal(), published.GetProperty("printed").GetDecimal(), published.GetProperty("computed").GetDecimal(),
            published.GetProperty("differenceToComputed").GetDecimal()));
    }

    [Fact]
    public async Task The_city_fte_under_the_hannover_model_is_the_hand_calculation()
    {
        await SchoolWithDevicesAsync(SchoolType.GY, "Mitte", atMep: true, pupil: 812, teacher: 74, classSet: 0, computers: 31, boards: 42);
        await SchoolWithDevicesAsync(SchoolType.GS, "Linden-Limmer", atMep: true, pupil: 0, teacher: 19, classSet: 48, computers: 0, boards: 14);
        await SchoolWithDevicesAsync(SchoolType.IGS, "Mitte", atMep: false, pupil: 640, teacher: 88, classSet: 0, computers: 60, boards: 51);

        var before = HannoverByHand(await AllCountsAsync());
        var city = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation?model=hannover-mep-2020");

        Assert.Equal(before, city.GetProperty("city").GetProperty("fte").GetDecimal());
        Assert.Equal(Math.Ceiling(before * 2) / 2, city.GetProperty("city").GetProperty("fteRounded").GetDecimal());
        Assert.Equal(decimal.Round(before * 93_730m, 2, MidpointRounding.AwayFromZero), city.GetProperty("city").GetProperty("personnelCost").GetDecimal());
        Assert.Equal("rounded up to steps of 0.5", city.GetProperty("model").GetProperty("rounding").GetString());
        var posts = city.GetProperty("posts");
        Assert.Equal(18.5m, posts.GetProperty("currentPosts").GetDecimal());
        Assert.Equal(Math.Ceiling(before * 2) / 2 - 18.5m, posts.GetProperty("difference").GetDecimal());
        Assert.Equal(1_734_000.00m, posts.GetProperty("costOfCurrentPosts").GetDecimal());
        var districts = city.GetProperty("districts").EnumerateArray().ToDictionary(d => d.GetProperty("district").GetString()!,
            d => d.GetProperty("figure").GetProperty("counts").GetProperty("teacherTablets").GetInt32());
        Assert.Equal(74, districts["Mitte"]);
        Assert.Equal(19, districts["Linden-Limmer"]);
    }

    [Fact]
    public async Task The_city_fte_follows_a_school_joining_the_mep_standard()
    {
        // A district no other test of this class uses: the joined school's devices count in the district from then on.
        var joining = await SchoolWithDevicesAsync(SchoolType.IGS, "Buchholz-Kleefeld", atMep: false, pupil: 640, teacher: 88, classSet: 0, computers: 60,
            boards: 51);
        var before = HannoverByHand(await AllCountsAsync());

        // The IGS is accepted into the MEP standard (Schools' event): its devices now count.
        await api.PublishAsync(new SchoolAcceptedIntoMepStandard(joining, new DateOnly(2026, 9, 30), DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () =>
                (await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/calculation/schools/{joining}")).GetProperty("counted").GetBoolean(),
            "the joined school is counted");
        var after = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation");

        Assert.Equal(HannoverByHand(await AllCountsAsync()), after.GetProperty("city").GetProperty("fte").GetDecimal());
        Assert.Equal(before + (640 + 88) / 1500m + (60 + 3 * 51) / 700m,
            decimal.Round(after.GetProperty("city").GetProperty("fte").GetDecimal(), 20), new DecimalPlacesComparer(20));
    }

    [Fact]
    public async Task A_schools_figure_explains_itself_line_by_line()
    {
        var school = await SchoolWithDevicesAsync(SchoolType.GY, "Nord", atMep: true, pupil: 300, teacher: 45, classSet: 0, computers: 28, boards: 20);

        var figure = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/calculation/schools/{school}");

        Assert.True(figure.GetProperty("counted").GetBoolean());
        var groups = figure.GetProperty("figure").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["(300 + 45 + 0) / 1,500 = 0.23", "(28) / 700 = 0.04", "(20 × 3 + 0) / 700 = 0.0857"],
            groups.Select(g => g.GetProperty("formula").GetString()));
        Assert.Equal(345 / 1500m + (28 + 60) / 700m, figure.GetProperty("figure").GetProperty("fte").GetDecimal());
    }

    [Fact]
    public async Task A_school_outside_the_model_shows_its_counts_uncounted()
    {
        var outside = await SchoolWithDevicesAsync(SchoolType.GY, "Nord", atMep: false, pupil: 10, teacher: 0, classSet: 0, computers: 0, boards: 0);

        var uncounted = await StaffingApi.GetOkAsync(api.Planner, $"/api/staffing/calculation/schools/{outside}");

        Assert.False(uncounted.GetProperty("counted").GetBoolean());
        Assert.Equal(0m, uncounted.GetProperty("figure").GetProperty("fte").GetDecimal());
        Assert.Equal(10, uncounted.GetProperty("figure").GetProperty("counts").GetProperty("pupilTablets").GetInt32());
    }

    [Fact]
    public async Task Models_side_by_side_each_count_their_own_schools_and_devices()
    {
        await SchoolWithDevicesAsync(SchoolType.BBS, "Südstadt-Bult", atMep: false, pupil: 200, teacher: 30, classSet: 0, computers: 90, boards: 12);
        var rows = await AllCountsAsync();

        var comparison = await StaffingApi.GetOkAsync(api.Planner, "/api/staffing/calculation/comparison");

        var byModel = comparison.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetProperty("code").GetString()!);
        Assert.Equal(HannoverByHand(rows), byModel["hannover-mep-2020"].GetProperty("fte").GetDecimal());
        Assert.Equal(rows.Sum(r => r.Pupil + r.Teacher + r.Loan + r.ClassSet + r.Computers + 3 * r.Boards) / 400m,
            byModel["ifib-bertelsmann-2017"].GetProperty("fte").GetDecimal());
        Assert.Equal(rows.Sum(r => r.Pupil + r.Teacher + r.Loan + r.ClassSet) / 2400m, byModel["bremen"].GetProperty("fte").GetDecimal());
        var stuttgart = rows.Sum(r => r.Type switch { "GS" or "FöS" => 0.33m, "BBS" => 1.0m, _ => 0.5m });
        Assert.Equal(stuttgart, byModel["stuttgart"].GetProperty("fte").GetDecimal());
        Assert.Equal(rows.Count, byModel["stuttgart"].GetProperty("schoolsCounted").GetInt32());
    }

    private sealed class DecimalPlacesComparer(int places) : IEqualityComparer<decimal>
    {
        public bool Equals(decimal x, decimal y) => decimal.Round(x, places) == decimal.Round(y, places);

        public int GetHashCode(decimal obj) => decimal.Round(obj, places).GetHashCode();
    }
}
