using System.Net;
using System.Net.Http.Headers;
using Mep.ServiceDefaults.Auth;

namespace Mep.Funding.Tests;

/// <summary>
/// The demo city as ./mep up brings it, with Funding listening: Schools and Assets run as their own processes (their built dlls) on
/// databases of their own and Funding's broker; Schools seeds the city, Assets the demo inventory. Funding runs in-process on a day
/// inside DigitalPakt's application window (1 March 2023), and everything it knows arrives as those services' events.
/// </summary>
public sealed class DemoCityForFunding : IAsyncLifetime
{
    public const int Schools = 99;
    public const int Pilots = 6;

    private PostgresDatabase _schoolsDb = null!;
    private PostgresDatabase _assetsDb = null!;

    public FundingOnADay Funding { get; } = new();
    public FundingApi Api => Funding.Api;
    public ServiceProcess SchoolsService { get; private set; } = null!;
    public ServiceProcess AssetsService { get; private set; } = null!;

    public HttpClient SchoolsAs(string role) => Client(SchoolsService, role);
    public HttpClient AssetsAs(string role) => Client(AssetsService, role);

    private Dictionary<string, string> Settings(PostgresDatabase database) => new()
    {
        ["ConnectionStrings:Database"] = database.ConnectionString,
        ["ConnectionStrings:Broker"] = Api.Broker.AmqpUrl,
        ["Auth:SigningKey"] = TestTokens.SigningKey,
        ["Auth:Issuer"] = TestTokens.Issuer,
        ["Auth:Audience"] = TestTokens.Audience,
        ["RateLimits:StaffRequestsPerMinute"] = "100000",
    };

    public async Task InitializeAsync()
    {
        await Funding.InitializeAsync();
        _schoolsDb = await PostgresDatabase.CreateAsync("e2e-funding-schools", create: false);
        _assetsDb = await PostgresDatabase.CreateAsync("e2e-funding-assets", create: false);
        // Consumers first: the broker drops events published before their queues are bound (Funding's are, it is ready).
        AssetsService = await ServiceProcess.StartAsync(ServiceProcess.BuiltService("Assets"), Settings(_assetsDb));
        var schools = ServiceProcess.BuiltService("Schools");
        var city = await ServiceProcess.RunCommandAsync(schools, "seed-demo",
            new Dictionary<string, string>(Settings(_schoolsDb)) { ["MEP_DEMO_SCHOOL_KEY"] = "" });
        Assert.True(city.ExitCode == 0, city.Output);
        SchoolsService = await ServiceProcess.StartAsync(schools, Settings(_schoolsDb));

        await Eventually.AssertAsync(async () =>
                await CountAsync("known_schools") == Schools && await CountAsync("known_schools", "at_mep_standard") == Pilots
                && await CountAsync("known_school_years") == 3 * Schools && await CountAsync("known_media_concepts") == Schools,
            "Funding knows the demo city's 99 schools (6 at MEP standard), their three school years and media concepts", TimeSpan.FromSeconds(90));

        // The demo inventory, as ./mep up seeds it once the services run (the command waits until Assets knows the city).
        var inventory = await ServiceProcess.RunCommandAsync(ServiceProcess.BuiltService("Assets"), "seed-demo", Settings(_assetsDb));
        Assert.True(inventory.ExitCode == 0, inventory.Output);
        using var assets = AssetsAs(PlatformRoles.Admin);
        var devices = await TotalAsync(assets, "/api/assets/devices?pageSize=1");
        var endedInAssets = await TotalAsync(assets, "/api/assets/devices?status=lost,retired&pageSize=1");
        Assert.True(devices > 4_000, $"the demo inventory has {devices} devices");
        await Eventually.AssertAsync(async () =>
                await CountAsync("known_devices") == devices && await CountAsync("known_devices", "status IN ('Lost', 'Retired')") == endedInAssets,
            $"Funding's device replica holds Assets' {devices} devices, {endedInAssets} of them lost or retired", TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await SchoolsService.DisposeAsync();
        await AssetsService.DisposeAsync();
        await Funding.DisposeAsync();
        await _schoolsDb.DisposeAsync();
        await _assetsDb.DisposeAsync();
    }

    public async Task<long> CountAsync(string table, string where = "true") =>
        await Api.Database.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE {where}");

    public static async Task<int> TotalAsync(HttpClient client, string path) =>
        (await FundingApi.GetOkAsync(client, path)).GetProperty("totalItems").GetInt32();

    private static HttpClient Client(ServiceProcess service, string role) => new()
    {
        BaseAddress = service.BaseAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, $"e2e-{role}")) },
    };
}

/// <summary>
/// Funding's acceptance across services: Funding's base amounts, the council paper's uptake table and the parents' subsidies come
/// from the demo city's real events; a media concept changed in Schools and a device registered in Assets decide what Funding accepts.
/// </summary>
public sealed class EndToEndTests(DemoCityForFunding city) : IClassFixture<DemoCityForFunding>
{
    private FundingApi Api => city.Api;

    private sealed record DemoSchool(Guid Id, string Number, string Name, bool AtMepStandard, string MediaConcept)
    {
        public TestSchool ForFunding => new(Id, Number, string.Empty, [], new Dictionary<string, Guid>());
    }

    private static async Task<List<DemoSchool>> SchoolsAsync(HttpClient schools) =>
        [.. (await FundingApi.GetOkAsync(schools, "/api/schools?pageSize=200")).GetProperty("items").EnumerateArray().Select(s =>
            new DemoSchool(s.GetProperty("id").GetGuid(), s.GetProperty("number").GetString()!, s.GetProperty("name").GetString()!,
                s.GetProperty("programmes").GetProperty("mepStandard").GetProperty("status").GetString() == "joined",
                s.GetProperty("mediaConcept").GetProperty("status").GetString()!))];

    /// <summary>Pupils of one school year as Schools' own API tells them.</summary>
    private static async Task<int> PupilsAsync(HttpClient schools, Guid school, int startYear) =>
        (await FundingApi.GetOkAsync(schools, $"/api/schools/{school}/years")).EnumerateArray()
        .Single(y => y.GetProperty("startYear").GetInt32() == startYear).GetProperty("pupils").GetInt32();

    [Fact]
    public async Task The_demo_citys_pupils_and_registrations_give_the_base_amounts_the_papers_uptake_table_and_the_parents_subsidies()
    {
        using var schoolsApi = city.SchoolsAs(PlatformRoles.Planner);
        using var assetsApi = city.AssetsAs(PlatformRoles.Planner);
        var schools = await SchoolsAsync(schoolsApi);
        Assert.Equal(DemoCityForFunding.Schools, schools.Count);
        var pilots = schools.Where(s => s.AtMepStandard).Select(s => s.Id).Order().ToList();
        Assert.Equal(DemoCityForFunding.Pilots, pilots.Count);

        // 1. DigitalPakt base amounts: 30,000.00 per school with 60 pupils or more in 2019/20, else 500.00 per pupil, by hand from Schools.
        var pupils2019 = new Dictionary<Guid, int>();
        foreach (var school in schools)
        {
            pupils2019[school.Id] = await PupilsAsync(schoolsApi, school.Id, 2019);
        }

        var allocations = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/programmes/{Measures.DigitalPakt}/allocations");
        var rows = allocations.GetProperty("schools").EnumerateArray().ToDictionary(r => r.GetProperty("schoolId").GetGuid());
        Assert.Equal(pupils2019.Keys.Order(), rows.Keys.Order());
        foreach (var (school, pupils) in pupils2019)
        {
            Assert.Equal((pupils, pupils >= 60 ? 30_000.00m : 500.00m * pupils),
                (rows[school].GetProperty("basePupils").GetInt32(), rows[school].GetProperty("baseAmount").GetDecimal()));
        }

        // Every demo school has 60 pupils or more in 2019/20 (the smallest are Förderschulen): 99 x 30,000.00.
        Assert.All(pupils2019.Values, pupils => Assert.True(pupils >= 60, $"{pupils} pupils"));
        var baseByHand = pupils2019.Values.Sum(p => p >= 60 ? 30_000.00m : 500.00m * p);
        Assert.Equal(2_970_000.00m, baseByHand);
        var poolCheck = allocations.GetProperty("poolCheck");
        Assert.Equal((99, 99, 0, baseByHand, baseByHand),
            (poolCheck.GetProperty("schools").GetInt32(), poolCheck.GetProperty("schoolsWithBase").GetInt32(),
                poolCheck.GetProperty("schoolsMissingBase").GetArrayLength(), poolCheck.GetProperty("baseTotal").GetDecimal(),
                allocations.GetProperty("totals").GetProperty("baseAmount").GetDecimal()));

        // 2. The council paper's uptake table from the pilots' device registrations and their 5,080 pupils of 2018/19.
        var pupils2018 = 0;
        foreach (var pilot in pilots)
        {
            pupils2018 += await PupilsAsync(schoolsApi, pilot, 2018);
        }

        Assert.Equal(5_080, pupils2018);
        var uptake = await FundingApi.GetOkAsync(Api.Finance, "/api/funding/subsidies/uptake?atMepStandard=true&pupilsOfStartYear=2018");
        Assert.Equal(pilots, uptake.GetProperty("schools").EnumerateArray().Select(s => s.GetGuid()));
        Assert.Equal(0, uptake.GetProperty("schoolsWithoutPupils").GetArrayLength());
        // Contracts from 15 August 2019 for 36 months: under contract on the census days of 2019, 2020 and 2021.
        Assert.Equal(["2019/20", "2020/21", "2021/22"], uptake.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("schoolYear").GetString()));
        var row = uptake.GetProperty("rows")[0];
        Assert.Equal((2_441, 243, 169, 5_080, 48, 10, 7),
            (row.GetProperty("tablets").GetInt32(), row.GetProperty("butAsylbLG").GetInt32(), row.GetProperty("siblings").GetInt32(),
                row.GetProperty("pupils").GetInt32(), row.GetProperty("tabletsShare").GetProperty("percent").GetInt32(),
                row.GetProperty("butAsylbLGShare").GetProperty("percent").GetInt32(), row.GetProperty("siblingsShare").GetProperty("percent").GetInt32()));

        // 3. The parents' subsidies in 2020, by hand from Assets: per month 60 % of 10.90 per BuT/AsylbLG tablet and 40 % per sibling
        // tablet still under contract. None of the demo contracts ends early (no pilot tablet is lost or retired).
        const string running = "ordered,delivered,inService,inRepair";
        var (but, siblings, ended) = (0, 0, 0);
        foreach (var pilot in pilots)
        {
            var parents = $"/api/assets/devices?schoolId={pilot}&ownership=parentFinancedPupil&pageSize=1";
            but += await DemoCityForFunding.TotalAsync(assetsApi, $"{parents}&subsidyCategory=butAsylbLG&status={running}");
            siblings += await DemoCityForFunding.TotalAsync(assetsApi, $"{parents}&subsidyCategory=sibling&status={running}");
            ended += await DemoCityForFunding.TotalAsync(assetsApi, $"{parents}&status=lost,retired");
        }

        Assert.Equal((243, 169, 0), (but, siblings, ended));
        var monthByHand = (but * Money(10.90m * 0.60m)) + (siblings * Money(10.90m * 0.40m));
        Assert.Equal(243 * 6.54m + 169 * 4.36m, monthByHand);
        Assert.Equal(2_326.06m, monthByHand);
        var months = new decimal[12];
        var devices = new int[12];
        var year = 0m;
        foreach (var pilot in pilots)
        {
            var subsidies = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/subsidies/schools/{pilot}?year=2020");
            foreach (var (month, i) in subsidies.GetProperty("months").EnumerateArray().Select((m, i) => (m, i)))
            {
                months[i] += month.GetProperty("cityShare").GetDecimal();
                devices[i] += month.GetProperty("devices").GetInt32();
            }

            year += subsidies.GetProperty("yearCityShare").GetDecimal();
        }

        Assert.All(months, month => Assert.Equal(monthByHand, month));
        Assert.All(devices, count => Assert.Equal(2_441, count));
        Assert.Equal(12 * monthByHand, year);
        Assert.Equal(27_912.72m, year);
    }

    [Fact]
    public async Task A_media_concept_changed_in_schools_and_a_device_registered_in_assets_decide_what_funding_accepts()
    {
        using var schoolsApi = city.SchoolsAs(PlatformRoles.Planner);
        using var assetsApi = city.AssetsAs(PlatformRoles.Planner);
        var schools = await SchoolsAsync(schoolsApi);
        var school = schools.Where(s => !s.AtMepStandard).MinBy(s => s.Number)!;
        var pilot = schools.Where(s => s.AtMepStandard).MinBy(s => s.Number)!;

        // 4. The school's media concept set to none in Schools: Funding takes no application from it, until it has a requirement profile.
        await RecordMediaConceptAsync(schoolsApi, school.Id, new { status = "none", dated = (string?)null }, "None");
        var application = await Measures.DraftAsync(Api.Planner, Measures.Draft(school.ForFunding, 20_000.00m, "workDevices"));
        await (await Measures.TryStepAsync(Api.Finance, application, "submit")).AssertRuleAsync("application-needs-requirement-profile");
        await RecordMediaConceptAsync(schoolsApi, school.Id, new { status = "requirementProfile", dated = "2023-02-01" }, "RequirementProfile");
        await Measures.StepAsync(Api.Finance, application, "submit");
        await Measures.StepAsync(Api.Finance, application, "approve", new { approvedAmount = 20_000.00m });
        var pilotApplication = await Measures.ApprovedAsync(Api, pilot.ForFunding, 20_000.00m, 20_000.00m, category: "workDevices");

        // 5. A computer-room device registered for the school through Assets reaches Funding's replica with its financials ...
        var registered = await FundingApi.SendOkAsync(assetsApi, HttpMethod.Post, $"/api/assets/devices?schoolId={school.Id}", new
        {
            serialNumber = "E2E-FUNDING-0001", kind = "computerRoomDevice", manufacturer = "Fujitsu", model = "Esprimo D7010",
            purchaseDate = "2023-02-20", purchasePrice = 1_149.00m, fundingSource = "digitalPaktBase", usefulLifeMonths = 48,
        });
        var device = registered.GetProperty("id").GetGuid();
        await Eventually.AssertAsync(async () => await city.CountAsync("known_devices", $"device_id = '{device}'") == 1,
            "Funding knows the device registered in Assets");
        Assert.Equal(1, await city.CountAsync("known_devices",
            $"device_id = '{device}' AND school_id = '{school.Id}' AND kind = 'ComputerRoomDevice' AND purchase_price = 1149.00 "
            + "AND purchase_date = '2023-02-20' AND funding_source = 'DigitalPaktBase' AND useful_life_months = 48 AND status = 'InService'"));

        // ... so an invoice may name it for its own school's application, and not for another school's.
        var foreign = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{pilotApplication}/expenditures",
            Invoice("RE-2023-0815", [device]));
        var problem = await foreign.AssertRuleAsync("devices-not-of-school");
        Assert.Equal([device], problem.GetProperty("deviceIds").EnumerateArray().Select(d => d.GetGuid()));
        var invoice = await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{application}/expenditures",
            Invoice("RE-2023-0815", [device]));
        Assert.Equal((school.Id, 1_149.00m), (invoice.GetProperty("schoolId").GetGuid(), invoice.GetProperty("amount").GetDecimal()));
        Assert.Equal([device], invoice.GetProperty("deviceIds").EnumerateArray().Select(d => d.GetGuid()));
        Assert.Equal(0, await city.CountAsync("expenditures", $"application_id = '{pilotApplication}'"));
    }

    private static object Invoice(string number, Guid[] deviceIds) => new
    {
        vendor = "Bechtle Hannover", invoiceNumber = number, invoiceDate = "2023-02-28", amount = 1_149.00m, category = "workDevices", deviceIds,
        rolloutItemIds = Array.Empty<Guid>(),
    };

    /// <summary>Records the concept through Schools' API with the school's current ETag, and waits until Funding holds it.</summary>
    private async Task RecordMediaConceptAsync(HttpClient schools, Guid school, object concept, string inFunding)
    {
        var current = await schools.GetAsync($"/api/schools/{school}");
        current.EnsureSuccessStatusCode();
        var changed = await FundingApi.SendAsync(schools, HttpMethod.Put, $"/api/schools/{school}/media-concept", concept,
            ifMatch: current.Headers.ETag!.ToString());
        Assert.True(changed.StatusCode == HttpStatusCode.OK, $"{(int)changed.StatusCode} {await changed.Content.ReadAsStringAsync()}");
        await Eventually.AssertAsync(async () =>
                await city.CountAsync("known_media_concepts", $"school_id = '{school}' AND status = '{inFunding}'") == 1,
            $"Funding holds the media concept {inFunding} of school {school}");
    }

    private static decimal Money(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
