using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;

namespace Mep.OutsideIn.Tests;

/// <summary>The whole platform for <see cref="LendingAndRepairLoopTests"/>, started once for the class.</summary>
public sealed class LendingPlatform : IAsyncLifetime
{
    private WholePlatform? _platform;

    public WholePlatform Platform => _platform!;

    public async Task InitializeAsync() => _platform = await WholePlatform.StartAsync("lendingloop");

    public async Task DisposeAsync()
    {
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }
}

/// <summary>
/// Lending and repairs followed across the services through the edge, as a school's software, the service desk and finance meet them:
/// what Assets lends and loses changes what Staffing counts and what Funding's proof of use shows; a repair case in Support
/// puts the device in repair in Assets, which lends its pupil a replacement, and both come back when the case closes; a repair's cost
/// reaches Funding under its payer. Each test arranges a school of its own.
/// </summary>
public sealed class LendingAndRepairLoopTests(LendingPlatform fixture) : IClassFixture<LendingPlatform>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private readonly HttpClient _planner = Staff(fixture, PlatformRoles.Planner);
    private readonly HttpClient _admin = Staff(fixture, PlatformRoles.Admin);
    private readonly HttpClient _agent = Staff(fixture, PlatformRoles.Agent);

    /// <summary>The day the services take for today (a repair cannot be sent in the future).</summary>
    private static string Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Berlin).DateTime).ToString("yyyy-MM-dd",
        System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_lost_loan_tablet_stops_counting_in_staffing_and_counts_as_lost_in_fundings_proof_of_use()
    {
        var (schoolId, school) = await SchoolAsync();
        await RegisterLoanTabletsAsync(school, "LOOPLOST1", "LOOPLOST2", "LOOPLOST3");
        await LoanTabletsCountedAsync(schoolId, 3);
        var loans = await LendAsync(school, ("LOOPLOST1", "P-1001"), ("LOOPLOST2", "P-1002"), ("LOOPLOST3", "P-1003"));

        var lost = await school.PostAsync($"/api/assets/loans/{loans["LOOPLOST2"]}/lost", Json.Body(new { kind = "stolen", reportedOn = Today }));

        Assert.Equal(HttpStatusCode.OK, lost.StatusCode);
        await LoanTabletsCountedAsync(schoolId, 2);
        await Eventually.AssertAsync(async () =>
        {
            var figures = await ImmediateEquipmentFiguresAsync(school, schoolId);
            return (figures.GetProperty("devicesLent").GetInt32(), figures.GetProperty("outNow").GetInt32(), figures.GetProperty("stolen").GetInt32()) == (3, 2, 1);
        }, "Funding's proof of use shows 3 devices lent, 2 out and 1 stolen");
    }

    [Fact]
    public async Task A_lent_tablet_sent_for_repair_gives_its_pupil_a_replacement_until_it_is_back_in_service()
    {
        var (schoolId, school) = await SchoolAsync();
        var devices = await RegisterLoanTabletsAsync(school, "LOOPREP1", "LOOPREP2");
        await LendAsync(school, ("LOOPREP1", "P-2001"));
        var repair = await RepairCaseAsync(schoolId, "LOOPREP1");

        var sent = await _agent.PostAsync($"/api/support/repairs/{repair}/sent", Json.Body(new { sentOn = Today, sentTo = "CSS gGmbH" }));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        await Eventually.AssertAsync(async () => await StatusAsync(school, devices["LOOPREP1"]) == "inRepair", "Assets has the device in repair");
        var replacement = await ReplacementLoanAsync(school, repair);
        Assert.Equal((devices["LOOPREP2"], "P-2001", "out"), (replacement.GetProperty("deviceId").GetGuid(),
            replacement.GetProperty("borrowerReference").GetString(), replacement.GetProperty("state").GetString()));
        await Eventually.AssertAsync(async () => (await RepairAsync(repair)).GetProperty("replacementDeviceId") is { ValueKind: JsonValueKind.String } id
            && id.GetGuid() == devices["LOOPREP2"], "Support's repair case names the replacement");

        Assert.Equal(HttpStatusCode.OK, (await _agent.PostAsync($"/api/support/repairs/{repair}/back", Json.Body(new { backOn = Today }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await _agent.PostAsync($"/api/support/repairs/{repair}/close", Json.Body(new { outcome = "repaired", closedOn = Today }))).StatusCode);

        await Eventually.AssertAsync(async () => await StatusAsync(school, devices["LOOPREP1"]) == "inService", "Assets has the device back in service");
        await Eventually.AssertAsync(async () => (await ReplacementLoanAsync(school, repair)).GetProperty("state").GetString() == "returned",
            "the replacement loan is returned");
        await Eventually.AssertAsync(async () => (await RepairAsync(repair)).GetProperty("replacementReturnedOn").ValueKind == JsonValueKind.String,
            "Support's repair case shows the replacement returned");
    }

    [Fact]
    public async Task A_repairs_cost_reaches_fundings_repair_costs_under_the_payer_the_rules_chose()
    {
        var (schoolId, school) = await SchoolAsync();
        await RegisterLoanTabletsAsync(school, "LOOPCOST1");
        var repair = await RepairCaseAsync(schoolId, "LOOPCOST1");
        // Bought in 2020, no warranty of its own or its model's, the seller's liability long over, no budget of the school's: the city pays.
        Assert.Equal("city", (await RepairAsync(repair)).GetProperty("payer").GetString());

        var cost = await _agent.PostAsync($"/api/support/repairs/{repair}/costs",
            Json.Body(new { amount = 149.90m, description = "Display getauscht", incurredOn = Today }));

        Assert.Equal(HttpStatusCode.Created, cost.StatusCode);
        await Eventually.AssertAsync(async () =>
        {
            using var response = await school.GetAsync($"/api/funding/reports/repair-costs/schools/{schoolId}?year={Today[..4]}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            var figures = (await response.ReadJsonAsync()).GetProperty("figures");
            var paid = figures.GetProperty("byPayer").EnumerateArray().Where(p => p.GetProperty("amount").GetDecimal() != 0)
                .Select(p => (p.GetProperty("payer").GetString(), p.GetProperty("amount").GetDecimal())).ToList();
            return paid.SequenceEqual([("city", 149.90m)]) && figures.GetProperty("cityMoney").GetDecimal() == 149.90m;
        }, "Funding reports the school's repair cost of 149.90 EUR under the city");
    }

    [Fact]
    public async Task After_a_transfer_each_schools_key_sees_only_its_own_part_and_staffing_counts_the_device_at_the_new_school()
    {
        var (fromId, from) = await SchoolAsync();
        var (toId, to) = await SchoolAsync();
        await RegisterLoanTabletsAsync(from, "LOOPMOVE1");
        var loan = (await LendAsync(from, ("LOOPMOVE1", "P-3001")))["LOOPMOVE1"];
        var toNumber = (await (await _planner.GetAsync($"/api/schools/{toId}")).ReadJsonAsync()).GetProperty("number").GetString();

        var transfer = await from.PostAsync($"/api/assets/loans/{loan}/transfer", Json.Body(new { toSchoolNumber = toNumber, on = Today }));

        Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        Assert.Equal("transferredOut", (await transfer.ReadJsonAsync()).GetProperty("state").GetString());
        var continued = Assert.Single((await (await to.GetAsync("/api/assets/loans")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(("P-3001", "out"), (continued.GetProperty("borrowerReference").GetString(), continued.GetProperty("state").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await from.GetAsync($"/api/assets/loans/{continued.GetProperty("loanId").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await to.GetAsync($"/api/assets/loans/{loan}")).StatusCode);
        await LoanTabletsCountedAsync(toId, 1);
        await LoanTabletsCountedAsync(fromId, 0);
    }

    private static HttpClient Staff(LendingPlatform fixture, string role)
    {
        var client = new HttpClient { BaseAddress = fixture.Platform.Edge.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, $"loop-{role}"));
        return client;
    }

    /// <summary>A school of its own and a client with its key, once Assets, Support and Funding know the key.</summary>
    private async Task<(Guid Id, HttpClient Key)> SchoolAsync()
    {
        var id = await _planner.RegisterSchoolAsync();
        var (_, key) = await _admin.IssueKeyAsync(id);
        var school = new HttpClient { BaseAddress = fixture.Platform.Edge.BaseAddress };
        school.DefaultRequestHeaders.Add(SchoolApiKeyHandler.HeaderName, key);
        foreach (var path in new[] { "/api/assets/loans", "/api/support/repairs", $"/api/funding/reports/loans/schools/{id}" })
        {
            await Eventually.AssertAsync(async () => (await school.GetAsync(path)).StatusCode == HttpStatusCode.OK, $"{path} knows the school's key",
                TimeSpan.FromSeconds(60));
        }

        return (id, school);
    }

    /// <summary>Loan tablets of the immediate-equipment programme (pupils only), bought in 2020; their ids by serial.</summary>
    private static async Task<Dictionary<string, Guid>> RegisterLoanTabletsAsync(HttpClient school, params string[] serials)
    {
        var response = await school.PostAsync("/api/assets/devices/batch", Json.Body(new
        {
            devices = serials.Select(serial => new
            {
                serialNumber = serial, kind = "tablet", manufacturer = "Apple", model = "iPad 8th gen", ownership = "loan", purchaseDate = "2020-09-15",
                purchasePrice = 329.00m, fundingSource = "immediateEquipmentLoan", usefulLifeMonths = 60,
            }),
        }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("devices").EnumerateArray()
            .ToDictionary(d => d.GetProperty("serialNumber").GetString()!, d => d.GetProperty("deviceId").GetGuid());
    }

    /// <summary>Lends each device to its pupil in one call, as a school's software does; the loans' ids by serial.</summary>
    private static async Task<Dictionary<string, Guid>> LendAsync(HttpClient school, params (string Serial, string Pupil)[] loans)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/assets/loans/batch")
        {
            Content = Json.Body(new
            {
                lentOn = Today, dueBack = DateOnly.Parse(Today, System.Globalization.CultureInfo.InvariantCulture).AddMonths(10).ToString("yyyy-MM-dd",
                    System.Globalization.CultureInfo.InvariantCulture),
                agreement = new { template = "Leihvertrag Sofortausstattung", version = "2", signedOn = Today },
                accessories = new[] { "charger", "case" }, condition = "good",
                loans = loans.Select(l => new { serialNumber = l.Serial, borrowerKind = "pupil", borrowerReference = l.Pupil, guardianReference = $"G-{l.Pupil}" }),
            }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await school.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).GetProperty("loans").EnumerateArray()
            .ToDictionary(l => l.GetProperty("serialNumber").GetString()!, l => l.GetProperty("loanId").GetGuid());
    }

    /// <summary>A ticket the service desk opens for the school's broken device, and a repair case on it, once Support knows the device.</summary>
    private async Task<Guid> RepairCaseAsync(Guid schoolId, string serial)
    {
        Guid ticket = default;
        await Eventually.AssertAsync(async () =>
        {
            using var opened = await _agent.PostAsync("/api/support/tickets", Json.Body(new
            {
                schoolId, reporterName = "Frau Schulz", reporterEmail = "it@schule.example", category = "device-hardware", title = "Display gebrochen",
                description = "Das Tablet ist heruntergefallen.", impact = "low", urgency = "medium", deviceSerial = serial,
            }));
            if (opened.StatusCode != HttpStatusCode.Created)
            {
                return false;
            }

            ticket = (await opened.ReadJsonAsync()).GetProperty("id").GetGuid();
            return true;
        }, $"Support knows device {serial} and opens a ticket for it", TimeSpan.FromSeconds(60));
        var repair = await _agent.PostAsync($"/api/support/tickets/{ticket}/repair", Json.Body(new { diagnosis = "Display gebrochen, Touch reagiert nicht" }));
        Assert.True(repair.StatusCode == HttpStatusCode.Created, await repair.Content.ReadAsStringAsync());
        return (await repair.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> RepairAsync(Guid repair) => await (await _agent.GetAsync($"/api/support/repairs/{repair}")).ReadJsonAsync();

    private static async Task<string?> StatusAsync(HttpClient school, Guid device) =>
        (await (await school.GetAsync($"/api/assets/devices/{device}")).ReadJsonAsync()).GetProperty("status").GetString();

    /// <summary>The school's loan that replaces a device of <paramref name="repair"/>, once Assets has lent it.</summary>
    private static async Task<JsonElement> ReplacementLoanAsync(HttpClient school, Guid repair)
    {
        JsonElement found = default;
        await Eventually.AssertAsync(async () =>
        {
            var loans = (await (await school.GetAsync("/api/assets/loans?pageSize=100")).ReadJsonAsync()).GetProperty("items").EnumerateArray()
                .Where(l => l.GetProperty("repairCaseId") is { ValueKind: JsonValueKind.String } id && id.GetGuid() == repair).ToList();
            found = loans.SingleOrDefault();
            return loans.Count == 1;
        }, "Assets lends a replacement naming the repair case");
        return found;
    }

    private async Task LoanTabletsCountedAsync(Guid schoolId, int count) =>
        await Eventually.AssertAsync(async () =>
        {
            using var response = await _planner.GetAsync($"/api/staffing/counts/{schoolId}");
            return response.StatusCode == HttpStatusCode.OK
                && (await response.ReadJsonAsync()).GetProperty("counts").GetProperty("loanTablets").GetInt32() == count;
        }, $"Staffing counts {count} loan tablets at the school");

    /// <summary>The school's figures in the immediate-equipment programme, as Funding's proof of use shows them to the school.</summary>
    private static async Task<JsonElement> ImmediateEquipmentFiguresAsync(HttpClient school, Guid schoolId)
    {
        var report = await (await school.GetAsync($"/api/funding/reports/loans/schools/{schoolId}")).ReadJsonAsync();
        return report.GetProperty("programmes").EnumerateArray()
            .Single(p => p.GetProperty("fundingSource").GetString() == "immediateEquipmentLoan").GetProperty("figures");
    }
}
