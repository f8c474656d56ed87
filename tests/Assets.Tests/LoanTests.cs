using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;

namespace Mep.Assets.Tests;

/// <summary>Lending devices through HTTP against the real service: hand-outs, returns, losses, extensions and the programmes' rules.</summary>
public sealed class LoanTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private static IEnumerable<string> Serials(string prefix, int count) => Enumerable.Range(1, count).Select(i => $"{prefix}-{i:D2}");

    /// <summary>A school with <paramref name="count"/> loan tablets of the immediate-equipment programme, and its key's client.</summary>
    private async Task<(TestSchool School, HttpClient Client, List<string> Serials)> SchoolWithLoanTabletsAsync(string prefix, int count)
    {
        var school = await api.SchoolAsync();
        var client = api.ClientFor(school);
        var serials = Serials(prefix, count).ToList();
        await AssetsApi.RegisterAsync(client, serials.Select(s => AssetsApi.LoanTablet(s)));
        return (school, client, serials);
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string path, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json.Body(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> LoanAsync(HttpClient client, Guid loanId)
    {
        var response = await client.GetAsync($"/api/assets/loans/{loanId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    [Fact]
    public async Task A_class_set_of_30_is_lent_in_one_call_with_one_devices_lent_event()
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("CLASS30", 30);

        var response = await client.PostAsync("/api/assets/loans/batch",
            Json.Body(AssetsApi.HandOut(serials.Select((s, i) => AssetsApi.PupilLoan(s, $"P-5B{i:D2}")))));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var loans = (await response.ReadJsonAsync()).GetProperty("loans").EnumerateArray().ToList();
        Assert.Equal(serials, loans.Select(l => l.GetProperty("serialNumber").GetString()));
        Assert.All(loans, l => Assert.Equal(("out", "pupil", "5b", "2027-07-15"),
            (l.GetProperty("state").GetString(), l.GetProperty("borrowerKind").GetString(), l.GetProperty("className").GetString(), l.GetProperty("dueBack").GetString())));
        Assert.Equal(30, await api.LoanRowsAsync(school.Id));
        Assert.Equal((1, 30), await api.OutboxLoansAsync("DevicesLent", "loans", school.Id));
    }

    [Fact]
    public async Task One_refused_row_names_its_row_serial_and_rule_and_nothing_is_lent()
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("REFUSE", 30);
        await AssetsApi.RegisterAsync(client, [AssetsApi.LoanTablet("REFUSE-TEACHER", "teacherLoanDevices")]);
        var rows = serials.Select((s, i) => AssetsApi.PupilLoan(s, $"P-RF{i:D2}")).ToList();
        rows[16] = AssetsApi.PupilLoan("REFUSE-TEACHER", "P-RF16");

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut(rows)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal((17, "REFUSE-TEACHER", "programme-excludes-borrower", "borrowerKind"),
            (row.GetProperty("row").GetInt32(), row.GetProperty("serialNumber").GetString(), row.GetProperty("rule").GetString(), row.GetProperty("field").GetString()));
        Assert.Equal(0, await api.LoanRowsAsync(school.Id));
        Assert.Equal((0, 0), await api.OutboxLoansAsync("DevicesLent", "loans", school.Id));
    }

    [Fact]
    public async Task A_device_already_out_is_refused_in_a_later_hand_out()
    {
        var (_, client, serials) = await SchoolWithLoanTabletsAsync("TWICE", 2);
        await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan(serials[0], "P-TW01")]);

        var response = await client.PostAsync("/api/assets/loans/batch",
            Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan(serials[1], "P-TW02"), AssetsApi.PupilLoan(serials[0], "P-TW03")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal((2, "device-already-lent"), (row.GetProperty("row").GetInt32(), row.GetProperty("rule").GetString()));
    }

    [Fact]
    public async Task The_same_hand_out_retried_with_its_idempotency_key_answers_the_same_and_lends_nothing_twice()
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("IDEM", 3);
        var body = AssetsApi.HandOut(serials.Select((s, i) => AssetsApi.PupilLoan(s, $"P-ID{i:D2}")));
        var key = Guid.NewGuid().ToString();

        var first = await SendWithKeyAsync(client, "/api/assets/loans/batch", key, body);
        var retry = await SendWithKeyAsync(client, "/api/assets/loans/batch", key, body);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(3, await api.LoanRowsAsync(school.Id));
        Assert.Equal((1, 3), await api.OutboxLoansAsync("DevicesLent", "loans", school.Id));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_hand_out_is_refused_and_lends_nothing_more()
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("IDEMX", 2);
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created,
            (await SendWithKeyAsync(client, "/api/assets/loans/batch", key, AssetsApi.HandOut([AssetsApi.PupilLoan(serials[0], "P-IX01")]))).StatusCode);

        var reused = await SendWithKeyAsync(client, "/api/assets/loans/batch", key, AssetsApi.HandOut([AssetsApi.PupilLoan(serials[1], "P-IX02")]));

        await reused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:idempotency-key-reused");
        Assert.Equal(1, await api.LoanRowsAsync(school.Id));
    }

    [Fact]
    public async Task Returns_record_damage_and_missing_accessories_in_one_call_with_one_devices_returned_event()
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("BACK", 2);
        var loans = await AssetsApi.LendAsync(client, serials.Select((s, i) => AssetsApi.PupilLoan(s, $"P-BK{i:D2}")));

        var response = await client.PostAsync("/api/assets/loans/returns", Json.Body(new
        {
            returnedOn = "2026-11-30",
            returns = new object[]
            {
                new { loanId = loans[serials[0]], damaged = true, damageNote = "Display gesprungen", missingAccessories = new[] { "charger" } },
                new { serialNumber = serials[1].ToLowerInvariant(), condition = "good" },
            },
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.ReadJsonAsync()).GetProperty("returned").GetInt32());
        var damaged = await LoanAsync(client, loans[serials[0]]);
        Assert.Equal(("returned", "2026-11-30", true, "Display gesprungen", "damaged", "charger"),
            (damaged.GetProperty("state").GetString(), damaged.GetProperty("returnedOn").GetString(), damaged.GetProperty("damaged").GetBoolean(),
                damaged.GetProperty("damageNote").GetString(), damaged.GetProperty("conditionAtReturn").GetString(),
                Assert.Single(damaged.GetProperty("missingAccessories").EnumerateArray()).GetString()));
        var intact = await LoanAsync(client, loans[serials[1]]);
        Assert.Equal(("returned", false, "good"),
            (intact.GetProperty("state").GetString(), intact.GetProperty("damaged").GetBoolean(), intact.GetProperty("conditionAtReturn").GetString()));
        Assert.Equal((1, 2), await api.OutboxLoansAsync("DevicesReturned", "returns", school.Id));
    }

    [Fact]
    public async Task A_return_listing_an_accessory_not_handed_out_is_refused_and_returns_nothing()
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("NOPEN", 2);
        var loans = await AssetsApi.LendAsync(client, serials.Select((s, i) => AssetsApi.PupilLoan(s, $"P-NP{i:D2}")));

        var response = await client.PostAsync("/api/assets/loans/returns", Json.Body(new
        {
            returnedOn = "2026-11-30",
            returns = new object[] { new { loanId = loans[serials[0]] }, new { loanId = loans[serials[1]], missingAccessories = new[] { "pen" } } },
        }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal((2, "missing-accessory-not-handed-out"), (row.GetProperty("row").GetInt32(), row.GetProperty("rule").GetString()));
        Assert.Equal("out", (await LoanAsync(client, loans[serials[0]])).GetProperty("state").GetString());
        Assert.Equal((0, 0), await api.OutboxLoansAsync("DevicesReturned", "returns", school.Id));
    }

    [Fact]
    public async Task A_lost_device_becomes_lost_and_the_others_hear_its_status_change_and_the_lost_loan()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DeviceStatusChanged>().Keep<LoanLost>());
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("LOST", 1);
        var loanId = (await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan(serials[0], "P-LS01")]))[serials[0]];

        var response = await client.PostAsync($"/api/assets/loans/{loanId}/lost", Json.Body(new { kind = "stolen", reportedOn = "2026-11-02" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var loan = await response.ReadJsonAsync();
        Assert.Equal(("stolen", "2026-11-02"), (loan.GetProperty("state").GetString(), loan.GetProperty("lossReportedOn").GetString()));
        var deviceId = loan.GetProperty("deviceId").GetGuid();
        var device = await (await client.GetAsync($"/api/assets/devices/{deviceId}")).ReadJsonAsync();
        Assert.Equal("lost", device.GetProperty("status").GetString());
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<LoanLost>().Any(e => e.LoanId == loanId)
            && listener.Received<DeviceStatusChanged>().Any(e => e.DeviceId == deviceId)), "both events arrive");
        Assert.Equal(new LoanLost(loanId, deviceId, school.Id, LossKind.Stolen, new DateOnly(2026, 11, 2), default),
            listener.Received<LoanLost>().Single(e => e.LoanId == loanId) with { OccurredAt = default });
        var statusChange = listener.Received<DeviceStatusChanged>().Single(e => e.DeviceId == deviceId);
        Assert.Equal((DeviceStatus.InService, DeviceStatus.Lost), (statusChange.From, statusChange.To));
    }

    [Fact]
    public async Task An_extension_moves_the_due_date_within_the_programmes_limit()
    {
        var (_, client, serials) = await SchoolWithLoanTabletsAsync("EXT", 1);
        var loanId = (await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan(serials[0], "P-EX01")]))[serials[0]];

        var response = await client.PostAsync($"/api/assets/loans/{loanId}/extend", Json.Body(new { dueBack = "2028-07-14" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2028-07-14", (await response.ReadJsonAsync()).GetProperty("dueBack").GetString());
    }

    [Fact]
    public async Task An_extension_beyond_the_programmes_limit_is_refused_naming_the_latest_day()
    {
        var (_, client, serials) = await SchoolWithLoanTabletsAsync("EXTMAX", 1);
        var loanId = (await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan(serials[0], "P-EM01")]))[serials[0]];

        // The immediate-equipment programme lends for at most 1,095 days: from 2026-09-01 until 2029-08-31.
        var response = await client.PostAsync($"/api/assets/loans/{loanId}/extend", Json.Body(new { dueBack = "2029-09-01" }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal(("due-back-beyond-programme", "2029-08-31"), (problem.GetProperty("rule").GetString(), problem.GetProperty("latestDueBack").GetString()));
    }

    [Fact]
    public async Task A_teacher_loan_device_is_lent_to_a_teacher_who_signs_himself()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        await AssetsApi.RegisterAsync(client, [AssetsApi.LoanTablet("TEACH-1", "teacherLoanDevices")]);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut(
            [new { serialNumber = "TEACH-1", borrowerKind = "teacher", borrowerReference = "L-0815" }], ("className", null))));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var agreement = (await response.ReadJsonAsync()).GetProperty("loans")[0].GetProperty("agreement");
        Assert.Equal((JsonValueKind.Null, "borrower"), (agreement.GetProperty("guardianReference").ValueKind, agreement.GetProperty("damagePayer").GetString()));
    }

    [Fact]
    public async Task A_parent_financed_tablet_is_never_lent()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        await AssetsApi.RegisterAsync(client, [AssetsApi.Tablet("PARENT-1", "parentFinancedPupil")]);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan("PARENT-1", "P-PA01")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        Assert.Equal("device-not-lendable", Assert.Single(problem.GetProperty("rows").EnumerateArray()).GetProperty("rule").GetString());
    }

    [Theory]
    [InlineData("networkDevice")]
    [InlineData("boardSystemComponent")]
    public async Task A_device_installed_in_a_room_is_never_lent(string kind)
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var serial = $"FIXED-{kind.Length}";
        var device = AssetsApi.Device(serial, kind, ("fundingSource", "digitalPaktBase"), ("roomId", school.Rooms[1]));
        if (kind == "boardSystemComponent")
        {
            device["componentKind"] = "miniPc";
            device["boardSystemId"] = await AssetsApi.SetUpBoardSystemAsync(client, school.Rooms[1]);
        }

        await AssetsApi.RegisterAsync(client, [device]);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan(serial, "P-FX01")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        Assert.Equal("device-not-lendable", Assert.Single(problem.GetProperty("rows").EnumerateArray()).GetProperty("rule").GetString());
        Assert.Equal(0, await api.LoanRowsAsync(school.Id));
    }

    [Fact]
    public async Task A_hand_out_due_back_beyond_the_programmes_limit_is_refused()
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("LONG", 1);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut(
            [AssetsApi.PupilLoan(serials[0], "P-LG01", ("dueBack", "2030-07-15"))])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal(("due-back-beyond-programme", "dueBack"), (row.GetProperty("rule").GetString(), row.GetProperty("field").GetString()));
        Assert.Equal(0, await api.LoanRowsAsync(school.Id));
    }

    [Fact]
    public async Task The_programmes_loan_rules_are_readable()
    {
        var rules = (await (await api.Planner.GetAsync("/api/assets/loan-rules")).ReadJsonAsync()).EnumerateArray()
            .ToDictionary(r => r.GetProperty("programme").GetString()!,
                r => (r.GetProperty("pupilsMayBorrow").GetBoolean(), r.GetProperty("teachersMayBorrow").GetBoolean(),
                    r.GetProperty("maxLoanDays").ValueKind == JsonValueKind.Null ? (int?)null : r.GetProperty("maxLoanDays").GetInt32()));

        Assert.Equal((true, false, 1095), rules["immediateEquipmentLoan"]);
        Assert.Equal((false, true, 1825), rules["teacherLoanDevices"]);
        Assert.Equal((false, false, null), rules["parentFinanced"]);
    }

    [Theory]
    [InlineData("Max Mustermann")]
    [InlineData("MaxMustermann")]
    [InlineData("max@example.org")]
    public async Task A_borrower_reference_that_could_be_a_name_or_address_is_refused(string reference)
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("NAME" + Math.Abs(reference.GetHashCode()) % 1000, 1);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan(serials[0], reference)])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation");
        Assert.Contains("loans[0].borrowerReference", problem.ErrorFields());
        Assert.Equal(0, await api.LoanRowsAsync(school.Id));
    }

    [Fact]
    public async Task An_unknown_field_is_refused()
    {
        var (_, client, serials) = await SchoolWithLoanTabletsAsync("UNKNOWN", 1);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan(serials[0], "P-UK01")],
            ("pupilName", "Max"))));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:malformed-request");
    }

    [Fact]
    public async Task A_read_only_field_in_a_row_is_refused()
    {
        var (_, client, serials) = await SchoolWithLoanTabletsAsync("READONLY", 1);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut(
            [AssetsApi.PupilLoan(serials[0], "P-RO01", ("state", "returned"), ("loanId", Guid.NewGuid()))])));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:malformed-request");
    }

    [Fact]
    public async Task Five_thousand_devices_are_lent_in_one_call_and_returned_in_one_call_with_one_event_each()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var serials = Enumerable.Range(1, 5_000).Select(i => $"BULK-{i:D5}").ToList();
        await AssetsApi.RegisterAsync(client, serials.Select(s => AssetsApi.LoanTablet(s)));

        var lent = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut(serials.Select((s, i) => AssetsApi.PupilLoan(s, $"P-{i:D5}")))));
        Assert.Equal(HttpStatusCode.Created, lent.StatusCode);
        var returned = await client.PostAsync("/api/assets/loans/returns",
            Json.Body(new { returnedOn = "2026-11-30", returns = serials.Select(s => new { serialNumber = s }) }));

        Assert.Equal(HttpStatusCode.OK, returned.StatusCode);
        Assert.Equal(5_000, (await returned.ReadJsonAsync()).GetProperty("returned").GetInt32());
        Assert.Equal((1, 5_000), await api.OutboxLoansAsync("DevicesLent", "loans", school.Id));
        Assert.Equal((1, 5_000), await api.OutboxLoansAsync("DevicesReturned", "returns", school.Id));
    }

    [Fact]
    public async Task A_day_far_outside_any_school_year_is_refused_not_computed_with()
    {
        var (school, client, serials) = await SchoolWithLoanTabletsAsync("FARDAY", 1);

        var response = await client.PostAsync("/api/assets/loans/batch", Json.Body(AssetsApi.HandOut([AssetsApi.PupilLoan(serials[0], "P-FD01")],
            ("lentOn", "9999-12-30"), ("dueBack", "9999-12-31"))));

        Assert.Equal(["dueBack", "lentOn"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
        Assert.Equal(0, await api.LoanRowsAsync(school.Id));
    }

    [Fact]
    public async Task Filters_sent_blank_as_a_forms_any_choice_sends_them_list_every_loan_of_the_school()
    {
        var (_, client, serials) = await SchoolWithLoanTabletsAsync("BLANKFILTER", 2);
        await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan(serials[0], "P-BF01"), AssetsApi.PupilLoan(serials[1], "P-BF02")]);

        var response = await client.GetAsync("/api/assets/loans?state=&programme=%20&borrowerReference=&className=");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.ReadJsonAsync()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_hand_out_row_with_a_blank_condition_takes_the_condition_of_the_whole_hand_out()
    {
        var (_, client, serials) = await SchoolWithLoanTabletsAsync("BLANKCOND", 1);

        var loans = await AssetsApi.LendAsync(client, [AssetsApi.PupilLoan(serials[0], "P-BC01", ("condition", ""))], ("condition", "good"));

        Assert.Equal("good", (await LoanAsync(client, loans[serials[0]])).GetProperty("conditionAtHandOut").GetString());
    }
}
