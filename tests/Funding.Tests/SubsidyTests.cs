using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;

namespace Mep.Funding.Tests;

public sealed class SubsidyTests(FundingApi api) : IClassFixture<FundingApi>
{
    private static readonly DateOnly SchoolStart2019 = new(2019, 8, 15);

    [Fact]
    public async Task The_city_pays_60_percent_for_but_and_40_percent_for_siblings_per_month_and_over_the_year_to_the_cent()
    {
        var school = await api.SchoolAsync();
        await api.RegisterDevicesAsync(school.Id, [
            .. Enumerable.Range(0, 3).Select(_ => FundingApi.PupilTablet(SubsidyCategory.ButAsylbLG, SchoolStart2019)),
            .. Enumerable.Range(0, 2).Select(_ => FundingApi.PupilTablet(SubsidyCategory.Sibling, SchoolStart2019)),
            FundingApi.PupilTablet(SubsidyCategory.None, SchoolStart2019),
            FundingApi.PupilTablet(SubsidyCategory.ButAsylbLG, new DateOnly(2020, 6, 1), monthlyRate: 30.80m, months: 12),
            FundingApi.PupilTablet(SubsidyCategory.Sibling, new DateOnly(2016, 9, 1)),
        ]);

        var year = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/subsidies/schools/{school.Id}?year=2020");

        var january = Month(year, "2020-01");
        Assert.Equal((6, 28.34m), (january.GetProperty("devices").GetInt32(), january.GetProperty("cityShare").GetDecimal()));
        Assert.Equal([(3, 19.62m), (2, 8.72m), (1, 0.00m)], Categories(january));
        var june = Month(year, "2020-06");
        Assert.Equal((7, 46.82m), (june.GetProperty("devices").GetInt32(), june.GetProperty("cityShare").GetDecimal()));
        Assert.Equal(469.44m, year.GetProperty("yearCityShare").GetDecimal());
        var byCategory = year.GetProperty("byCategory").EnumerateArray().ToDictionary(c => c.GetProperty("category").GetString()!);
        Assert.Equal((4, 43, 6.54m * 36 + 18.48m * 7), (byCategory["butAsylbLG"].GetProperty("devices").GetInt32(),
            byCategory["butAsylbLG"].GetProperty("deviceMonths").GetInt32(), byCategory["butAsylbLG"].GetProperty("cityShare").GetDecimal()));
        Assert.Equal((2, 24, 104.64m), (byCategory["sibling"].GetProperty("devices").GetInt32(), byCategory["sibling"].GetProperty("deviceMonths").GetInt32(),
            byCategory["sibling"].GetProperty("cityShare").GetDecimal()));

        var month = await FundingApi.GetOkAsync(api.Finance, "/api/funding/subsidies?month=2020-01");
        var row = month.GetProperty("schools").EnumerateArray().Single(s => s.GetProperty("schoolId").GetGuid() == school.Id);
        Assert.Equal((6, 28.34m), (row.GetProperty("devices").GetInt32(), row.GetProperty("cityShare").GetDecimal()));
    }

    [Fact]
    public async Task A_siblings_tablet_bought_outright_gets_40_percent_of_its_price_once_in_the_month_of_purchase()
    {
        var school = await api.SchoolAsync();
        var bought = new RegisteredDevice(Guid.NewGuid(), null, $"P-{Guid.NewGuid():N}"[..14],
            new DeviceClassification(DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil, SubsidyCategory.Sibling, null, null,
                FundingSource.ParentFinanced, DeviceStatus.InService),
            new DeviceFinancials(new DateOnly(2020, 3, 10), 499.00m, null, null));
        await api.RegisterDevicesAsync(school.Id, [bought]);

        var year = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/subsidies/schools/{school.Id}?year=2020");

        Assert.Equal([0m, 0m, 199.60m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m],
            year.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("cityShare").GetDecimal()));
        Assert.Equal(199.60m, year.GetProperty("yearCityShare").GetDecimal());
        var sibling = year.GetProperty("byCategory").EnumerateArray().Single(c => c.GetProperty("category").GetString() == "sibling");
        Assert.Equal((0, 1, 199.60m), (sibling.GetProperty("deviceMonths").GetInt32(), sibling.GetProperty("purchases").GetInt32(),
            sibling.GetProperty("purchaseCityShare").GetDecimal()));
    }

    [Fact]
    public async Task A_lost_tablet_counts_until_the_month_it_was_lost_in()
    {
        var school = await api.SchoolAsync();
        var tablet = FundingApi.PupilTablet(SubsidyCategory.ButAsylbLG, SchoolStart2019);
        // Registered back then, so that the later loss is newer than the registration's status.
        await api.PublishAsync(new DevicesRegistered(school.Id, [tablet], new DateTimeOffset(2019, 8, 15, 10, 0, 0, TimeSpan.Zero)));
        await api.PublishAsync(new DeviceStatusChanged(tablet.DeviceId, school.Id, DeviceStatus.InService, DeviceStatus.Lost,
            new DateTimeOffset(2020, 3, 10, 9, 0, 0, TimeSpan.Zero)));
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<string>(
            $"SELECT status FROM known_devices WHERE device_id = '{tablet.DeviceId}' AND ownership IS NOT NULL") == "Lost",
            "Funding knows the tablet and that it is lost");

        var year = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/subsidies/schools/{school.Id}?year=2020");

        Assert.Equal([6.54m, 6.54m, 6.54m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m], year.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("cityShare").GetDecimal()));
        Assert.Equal(19.62m, year.GetProperty("yearCityShare").GetDecimal());
    }

    [Fact]
    public async Task A_tablet_lost_on_the_first_of_a_month_in_hannover_still_counts_in_that_month()
    {
        var school = await api.SchoolAsync();
        var tablet = FundingApi.PupilTablet(SubsidyCategory.ButAsylbLG, SchoolStart2019);
        await api.PublishAsync(new DevicesRegistered(school.Id, [tablet], new DateTimeOffset(2019, 8, 15, 10, 0, 0, TimeSpan.Zero)));
        // 23:30 UTC on 29 February is 00:30 on 1 March in Hannover: the day that counts is the Berlin one.
        await api.PublishAsync(new DeviceStatusChanged(tablet.DeviceId, school.Id, DeviceStatus.InService, DeviceStatus.Lost,
            new DateTimeOffset(2020, 2, 29, 23, 30, 0, TimeSpan.Zero)));
        await Eventually.AssertAsync(async () => await api.Database.ScalarAsync<string>(
            $"SELECT status FROM known_devices WHERE device_id = '{tablet.DeviceId}' AND ownership IS NOT NULL") == "Lost",
            "Funding knows the tablet and that it is lost");

        var year = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/subsidies/schools/{school.Id}?year=2020");

        Assert.Equal([6.54m, 6.54m, 6.54m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m], year.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("cityShare").GetDecimal()));
    }

    [Fact]
    public async Task The_pilot_uptake_table_is_reproduced_from_device_registrations_with_the_papers_rounding()
    {
        int[] pupils2018 = [850, 840, 850, 845, 850, 845];
        int[] tablets = [410, 400, 420, 405, 406, 400];
        int[] but = [40, 40, 41, 40, 41, 41];
        int[] siblings = [28, 28, 28, 28, 28, 29];
        var schools = new List<TestSchool>();
        for (var i = 0; i < 6; i++)
        {
            var school = await api.SchoolAsync(pupilsByStartYear: new Dictionary<int, int> { [2018] = pupils2018[i], [2019] = pupils2018[i] + 30 },
                atMepStandard: true);
            schools.Add(school);
            await api.RegisterDevicesAsync(school.Id, [
                .. Enumerable.Range(0, but[i]).Select(_ => FundingApi.PupilTablet(SubsidyCategory.ButAsylbLG, SchoolStart2019)),
                .. Enumerable.Range(0, siblings[i]).Select(_ => FundingApi.PupilTablet(SubsidyCategory.Sibling, SchoolStart2019)),
                .. Enumerable.Range(0, tablets[i] - but[i] - siblings[i]).Select(_ => FundingApi.PupilTablet(SubsidyCategory.None, SchoolStart2019)),
            ]);
        }

        var query = string.Join("&", schools.Select(s => $"schoolId={s.Id}"));
        var table = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/subsidies/uptake?{query}&pupilsOfStartYear=2018&fromStartYear=2019&toStartYear=2019");

        var row = Assert.Single(table.GetProperty("rows").EnumerateArray());
        Assert.Equal(("2019/20", "2019-09-15", 2_441, 243, 169, 5_080), (row.GetProperty("schoolYear").GetString(), row.GetProperty("censusDate").GetString(),
            row.GetProperty("tablets").GetInt32(), row.GetProperty("butAsylbLG").GetInt32(), row.GetProperty("siblings").GetInt32(),
            row.GetProperty("pupils").GetInt32()));
        Assert.Equal((48, 10, 7), (Percent(row, "tabletsShare"), Percent(row, "butAsylbLGShare"), Percent(row, "siblingsShare")));
        Assert.Equal((0.480512m, 0.099549m, 0.069234m), (row.GetProperty("tabletsShare").GetProperty("ratio").GetDecimal(),
            row.GetProperty("butAsylbLGShare").GetProperty("ratio").GetDecimal(), row.GetProperty("siblingsShare").GetProperty("ratio").GetDecimal()));

        var ownYears = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/subsidies/uptake?{query}");
        var ownRow = Assert.Single(ownYears.GetProperty("rows").EnumerateArray(), r => r.GetProperty("startYear").GetInt32() == 2019);
        Assert.Equal(5_260, ownRow.GetProperty("pupils").GetInt32());
        Assert.DoesNotContain(ownYears.GetProperty("rows").EnumerateArray(), r => r.GetProperty("startYear").GetInt32() == 2018);
    }

    [Fact]
    public async Task A_school_key_reads_its_own_schools_subsidies()
    {
        var own = await api.SchoolAsync();

        await FundingApi.GetOkAsync(api.ClientFor(own), $"/api/funding/subsidies/schools/{own.Id}?year=2020");
    }

    [Fact]
    public async Task A_school_key_gets_404_for_another_schools_subsidies()
    {
        var (own, other) = (await api.SchoolAsync(), await api.SchoolAsync());

        await (await api.ClientFor(own).GetAsync($"/api/funding/subsidies/schools/{other.Id}?year=2020")).AssertProblemAsync(HttpStatusCode.NotFound,
            "urn:mep:problem:not-found");
    }

    [Fact]
    public async Task A_school_key_gets_403_on_the_city_wide_subsidy_month()
    {
        var own = await api.SchoolAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientFor(own).GetAsync("/api/funding/subsidies?month=2020-01")).StatusCode);
    }

    [Fact]
    public async Task Bad_subsidy_queries_answer_400_naming_each_bad_field()
    {
        var own = await api.SchoolAsync();

        Assert.Equal(["year"], (await (await api.Finance.GetAsync($"/api/funding/subsidies/schools/{own.Id}?year=twenty"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
        Assert.Equal(["month"], (await (await api.Finance.GetAsync("/api/funding/subsidies?month=2020-13"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
        Assert.Equal(["censusDay", "pupilsOfStartYear", "schoolId"], (await (await api.Finance.GetAsync(
                "/api/funding/subsidies/uptake?schoolId=nope&pupilsOfStartYear=18&censusDay=31-09"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    private static int Percent(JsonElement row, string share) => row.GetProperty(share).GetProperty("percent").GetInt32();

    private static JsonElement Month(JsonElement year, string month) =>
        year.GetProperty("months").EnumerateArray().Single(m => m.GetProperty("month").GetString() == month);

    private static List<(int, decimal)> Categories(JsonElement month) =>
        [.. month.GetProperty("byCategory").EnumerateArray().Select(c => (c.GetProperty("devices").GetInt32(), c.GetProperty("cityShare").GetDecimal()))];
}
