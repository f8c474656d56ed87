using System.Net;
using System.Text;
using System.Text.Json;
using Mep.Contracts;

namespace Mep.Assets.Tests;

public sealed class BatchRegistrationTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    /// <summary>The pilot schools' 2019/20 uptake (docs/domain.md): 2,441 parent-financed tablets, 243 with BuT/AsylbLG, 169 siblings.</summary>
    private static List<Dictionary<string, object?>> PilotTablets2019(string prefix)
    {
        var rows = new List<Dictionary<string, object?>>();
        for (var i = 0; i < 2_441; i++)
        {
            var serial = $"{prefix}{i:D5}";
            var row = AssetsApi.Tablet(serial, "parentFinancedPupil");
            if (i < 243)
            {
                row["subsidyCategory"] = "butAsylbLG";
            }
            else if (i < 243 + 169)
            {
                row["subsidyCategory"] = "sibling";
                row["familyReference"] = $"F-{i:D5}";
                row["siblingOrder"] = 2;
            }

            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task The_pilot_mix_of_2441_tablets_registers_in_one_request_and_a_resend_changes_nothing()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var body = JsonSerializer.Serialize(new { devices = PilotTablets2019("PILOT") });

        var first = await client.PostAsync("/api/assets/devices/batch", Json.Raw(body));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var created = await first.ReadJsonAsync();
        Assert.Equal(2_441, created.GetProperty("created").GetInt32());
        Assert.Equal(0, created.GetProperty("unchanged").GetInt32());
        var eventsAfterFirst = await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages");
        var historyAfterFirst = await api.Database.ScalarAsync<long>("SELECT count(*) FROM device_history");
        var versions = $"SELECT string_agg(xmin::text, ',' ORDER BY id) FROM devices WHERE school_id = '{school.Id}'";
        var versionsAfterFirst = await api.Database.ScalarAsync<string>(versions);

        var again = await client.PostAsync("/api/assets/devices/batch", Json.Raw(body));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeated = await again.ReadJsonAsync();
        Assert.Equal(0, repeated.GetProperty("created").GetInt32());
        Assert.Equal(0, repeated.GetProperty("updated").GetInt32());
        Assert.Equal(2_441, repeated.GetProperty("unchanged").GetInt32());
        Assert.Equal(2_441, await api.DeviceRowsAsync(school.Id));
        Assert.Equal(eventsAfterFirst, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
        Assert.Equal(historyAfterFirst, await api.Database.ScalarAsync<long>("SELECT count(*) FROM device_history"));
        Assert.Equal(versionsAfterFirst, await api.Database.ScalarAsync<string>(versions));

        var counts = await AssetsApi.CountsAsync(client, school.Id);
        var tablets = counts.GetProperty("tablets");
        Assert.Equal(2_441, tablets.GetProperty("parentFinancedPupil").GetInt32());
        Assert.Equal(243, tablets.GetProperty("subsidyButAsylbLG").GetInt32());
        Assert.Equal(169, tablets.GetProperty("subsidySibling").GetInt32());
        Assert.Equal(2_441 - 243 - 169, tablets.GetProperty("subsidyNone").GetInt32());
        Assert.Equal(2_441, counts.GetProperty("staffing").GetProperty("tablets").GetInt32());
        Assert.Equal(2_441, await api.Database.ScalarAsync<long>(
            $"SELECT jsonb_array_length(body::jsonb->'devices')::bigint FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.DevicesRegistered' AND body::jsonb->>'schoolId' = '{school.Id}'"));
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string key, IEnumerable<object> devices)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/assets/devices/batch") { Content = AssetsApi.Batch(devices) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_repeated_idempotency_key_replays_the_first_answer()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var key = Guid.NewGuid().ToString();
        Task<HttpResponseMessage> SendAsync(object devices) => SendWithKeyAsync(client, key, (IEnumerable<object>)devices);

        var first = await SendAsync(new[] { AssetsApi.Tablet("IDEM-1"), AssetsApi.Tablet("IDEM-2") });
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // Meanwhile someone retires one of the devices: the replay still answers what the first request did.
        var retiredId = (await first.ReadJsonAsync()).GetProperty("devices")[0].GetProperty("deviceId").GetGuid();
        (await client.PostAsync($"/api/assets/devices/{retiredId}/retire", Json.Body(new { reason = "broken" }))).EnsureSuccessStatusCode();

        var replay = await SendAsync(new[] { AssetsApi.Tablet("IDEM-1"), AssetsApi.Tablet("IDEM-2") });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_refused_and_stores_nothing()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(client, key, [AssetsApi.Tablet("IDEM-4"), AssetsApi.Tablet("IDEM-5")])).StatusCode);

        var reused = await SendWithKeyAsync(client, key, [AssetsApi.Tablet("IDEM-3")]);

        await reused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:idempotency-key-reused");
        Assert.Equal(2, await api.DeviceRowsAsync(school.Id));
    }

    [Fact]
    public async Task One_bad_row_among_5000_stores_nothing_and_the_report_names_that_row_and_field()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var rows = Enumerable.Range(0, 5_000).Select(i => (object)AssetsApi.Tablet($"BAD5K-{i:D5}")).ToList();
        rows[3_126] = AssetsApi.Tablet("BAD5K-03126", "teacher", ("kind", "toaster"));

        var response = await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch(rows));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");
        var bad = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal(3_127, bad.GetProperty("row").GetInt32());
        Assert.Equal("kind", bad.GetProperty("field").GetString());
        Assert.Contains("toaster", bad.GetProperty("reason").GetString());
        Assert.Equal(0, await api.DeviceRowsAsync(school.Id));
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM device_history h JOIN devices d ON d.id = h.device_id WHERE d.school_id = '" + school.Id + "'"));
    }

    [Fact]
    public async Task More_than_5000_devices_in_one_batch_is_too_large()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var rows = Enumerable.Range(0, 5_001).Select(i => (object)AssetsApi.Device($"BIG-{i:D5}", "networkDevice")).ToList();

        var problem = await (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch(rows)))
            .AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "urn:mep:problem:payload-too-large");

        Assert.Equal(5_000, problem.GetProperty("maxRows").GetInt32());
        Assert.Equal(0, await api.DeviceRowsAsync(school.Id));
    }

    [Fact]
    public async Task Serials_are_normalised_so_the_same_device_typed_differently_is_one_device()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);

        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("  dmp x7 abc ")]))).EnsureSuccessStatusCode();
        var again = await (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("DMPX7ABC")]))).ReadJsonAsync();

        Assert.Equal(1, again.GetProperty("unchanged").GetInt32());
        Assert.Equal("DMPX7ABC", await api.Database.ScalarAsync<string>($"SELECT serial_number FROM devices WHERE school_id = '{school.Id}'"));
    }

    [Fact]
    public async Task A_known_serial_of_the_same_school_is_updated_and_a_status_in_the_row_moves_it_through_its_lifecycle()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("UPD-1"), AssetsApi.Tablet("UPD-2")]))).EnsureSuccessStatusCode();

        var result = await (await client.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([
            AssetsApi.Tablet("UPD-1", "teacher", ("model", "iPad Air")),
            AssetsApi.Tablet("UPD-2", "teacher", ("status", "retired")),
        ]))).ReadJsonAsync();

        Assert.Equal(2, result.GetProperty("updated").GetInt32());
        Assert.Equal("iPad Air", await api.Database.ScalarAsync<string>("SELECT model FROM devices WHERE serial_number = 'UPD-1'"));
        Assert.Equal("Retired", await api.Database.ScalarAsync<string>("SELECT status FROM devices WHERE serial_number = 'UPD-2'"));
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.DeviceRetired' AND body::jsonb->>'deviceId' = (SELECT id::text FROM devices WHERE serial_number = 'UPD-2')"));
    }

    [Fact]
    public async Task A_serial_registered_to_another_school_is_a_conflict_that_names_no_school()
    {
        var owner = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        (await api.ClientFor(owner).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("TAKEN-1")]))).EnsureSuccessStatusCode();

        var response = await api.ClientFor(other).PostAsync("/api/assets/devices/batch",
            AssetsApi.Batch([AssetsApi.Tablet("FREE-1"), AssetsApi.Tablet("taken-1")]));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "urn:mep:problem:conflict");
        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal(2, row.GetProperty("row").GetInt32());
        Assert.Equal("serialNumber", row.GetProperty("field").GetString());
        var text = problem.GetRawText();
        Assert.DoesNotContain(owner.Id.ToString(), text);
        Assert.DoesNotContain(owner.Number, text);
        Assert.Equal(0, await api.DeviceRowsAsync(other.Id));
    }

    [Fact]
    public async Task The_same_serial_twice_in_one_batch_is_reported_on_the_second_row()
    {
        var school = await api.SchoolAsync();

        var problem = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch",
                AssetsApi.Batch([AssetsApi.Tablet("TWICE-1"), AssetsApi.Tablet("TWICE-2"), AssetsApi.Tablet("twice-1")])))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");

        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal(3, row.GetProperty("row").GetInt32());
        Assert.Contains("row 1", row.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Staff_register_for_the_school_they_name()
    {
        var school = await api.SchoolAsync();

        var registered = await api.Planner.PostAsync($"/api/assets/devices/batch?schoolId={school.Id}", AssetsApi.Batch([AssetsApi.Tablet("STAFF-1")]));

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal("test-user", await api.Database.ScalarAsync<string>(
            "SELECT h.actor FROM device_history h JOIN devices d ON d.id = h.device_id WHERE d.serial_number = 'STAFF-1'"));
    }

    [Fact]
    public async Task Staff_registering_without_naming_a_school_is_a_validation_error()
    {
        var missing = await api.Planner.PostAsync("/api/assets/devices/batch", AssetsApi.Batch([AssetsApi.Tablet("STAFF-2")]));

        Assert.Contains("schoolId", (await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    [Fact]
    public async Task Staff_registering_for_an_unknown_school_id_is_a_422_school_unknown_naming_schoolId()
    {
        var unknown = await api.Planner.PostAsync($"/api/assets/devices/batch?schoolId={Guid.NewGuid()}", AssetsApi.Batch([AssetsApi.Tablet("STAFF-3")]));

        var problem = await unknown.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule");
        Assert.Equal("school-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["schoolId"], problem.ErrorFields());
    }

    [Fact]
    public async Task An_agent_may_read_but_not_register()
    {
        var school = await api.SchoolAsync();
        using var agent = api.ClientAs(Mep.ServiceDefaults.Auth.PlatformRoles.Agent);

        var response = await agent.PostAsync($"/api/assets/devices/batch?schoolId={school.Id}", AssetsApi.Batch([AssetsApi.Tablet("AGENT-1")]));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "urn:mep:problem:forbidden");
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/assets/devices?schoolId={school.Id}")).StatusCode);
    }

    [Fact]
    public async Task Csv_with_commas_or_semicolons_and_decimal_commas_registers_like_json()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);
        var comma = "serialNumber,kind,manufacturer,model,ownership,pupilReference,subsidyCategory,contractMonthlyRate,contractMonths\r\n"
            + "CSV-1,tablet,Apple,\"iPad 10,2\"\"\",parentFinancedPupil,P-CSV-0001,butAsylbLG,10.90,36\r\n"
            + "CSV-2,computerRoomDevice,Dell,OptiPlex 7090,,,,,\r\n";
        var semicolon = "serialNumber;kind;manufacturer;model;purchasePrice\nCSV-3;networkDevice;Cisco;\"C9120AXI; AP\";1234,50\n\n";

        var first = await client.PostAsync("/api/assets/devices/batch", AssetsApi.Csv(comma));
        var second = await client.PostAsync("/api/assets/devices/batch", AssetsApi.Csv(semicolon));

        Assert.Equal(2, (await first.ReadJsonAsync()).GetProperty("created").GetInt32());
        Assert.Equal(1, (await second.ReadJsonAsync()).GetProperty("created").GetInt32());
        Assert.Equal("iPad 10,2\"", await api.Database.ScalarAsync<string>("SELECT model FROM devices WHERE serial_number = 'CSV-1'"));
        Assert.Equal(10.90m, await api.Database.ScalarAsync<decimal>("SELECT contract_monthly_rate FROM devices WHERE serial_number = 'CSV-1'"));
        Assert.Equal("C9120AXI; AP", await api.Database.ScalarAsync<string>("SELECT model FROM devices WHERE serial_number = 'CSV-3'"));
        Assert.Equal(1234.50m, await api.Database.ScalarAsync<decimal>("SELECT purchase_price FROM devices WHERE serial_number = 'CSV-3'"));
    }

    [Theory]
    [InlineData("serialNumber,kind,manufacturer,modle\nX-1,tablet,Apple,iPad\n", "modle", 1)]
    [InlineData("serialNumber\tkind\tmanufacturer\tmodel\nX-1\ttablet\tApple\tiPad\n", "delimiter", 1)]
    [InlineData("serialNumber|kind|manufacturer|model\nX-1|tablet|Apple|iPad\n", "delimiter", 1)]
    [InlineData("serialNumber,kind,manufacturer,model\nX-1,networkDevice,Cisco,\"C9120\n", "never closed", 2)]
    [InlineData("serialNumber,kind,manufacturer,model\nX-1,networkDevice,Cisco,C9\"120\n", "quoting", 2)]
    [InlineData("serialNumber,kind,manufacturer,model\nX-1,networkDevice,\"Cisco\"x,C9120\n", "quoting", 2)]
    [InlineData("serialNumber,kind,manufacturer,model\nX-1,networkDevice,Cisco\n", "field(s)", 2)]
    [InlineData("", "empty", 1)]
    public async Task A_csv_that_cannot_be_read_gets_a_clear_problem_naming_the_line(string csv, string detailMentions, int line)
    {
        var school = await api.SchoolAsync();

        var problem = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch", AssetsApi.Csv(csv)))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:malformed-request");

        Assert.Contains(detailMentions, problem.GetProperty("detail").GetString());
        Assert.Equal(line, problem.GetProperty("line").GetInt32());
        Assert.Equal(0, await api.DeviceRowsAsync(school.Id));
    }

    [Fact]
    public async Task A_csv_that_is_not_utf8_is_refused()
    {
        var school = await api.SchoolAsync();
        var latin1 = new ByteArrayContent(Encoding.Latin1.GetBytes("serialNumber,kind,manufacturer,model\nX-1,networkDevice,Müller,AP\n"));
        latin1.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");

        var problem = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch", latin1))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:malformed-request");

        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Bad_values_in_csv_rows_are_reported_per_row_and_field()
    {
        var school = await api.SchoolAsync();
        var csv = "serialNumber,kind,manufacturer,model,purchasePrice,roomId\n"
            + "V-1,networkDevice,Cisco,AP,12.5O,\n"
            + "V-2,networkDevice,Cisco,AP,,not-a-room\n"
            + "V-3,networkDevice,Cisco,AP,1.00,\n";

        var problem = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch", AssetsApi.Csv(csv)))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");

        var rows = problem.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("field").GetString())).ToList();
        Assert.Equal([(1, "purchasePrice"), (2, "roomId")], rows);
        Assert.Equal(0, await api.DeviceRowsAsync(school.Id));
    }

    [Fact]
    public async Task A_batch_in_another_media_type_is_refused_with_415()
    {
        var school = await api.SchoolAsync();

        var response = await api.ClientFor(school).PostAsync("/api/assets/devices/batch", new StringContent("<devices/>", Encoding.UTF8, "application/xml"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "urn:mep:problem:unsupported-media-type");
    }

    [Fact]
    public async Task Enum_spellings_are_accepted_in_any_case_and_reported_when_unknown()
    {
        Assert.True(EnumText.TryParseName<Contracts.Assets.SubsidyCategory>("BUTASYLBLG", out _));
        var school = await api.SchoolAsync();

        var problem = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch",
                AssetsApi.Batch([AssetsApi.Tablet("ENUM-1", "parentFinancedPupil", ("subsidyCategory", "hartz4"))])))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");

        var row = Assert.Single(problem.GetProperty("rows").EnumerateArray());
        Assert.Equal("subsidyCategory", row.GetProperty("field").GetString());
        Assert.Contains("butAsylbLG", row.GetProperty("reason").GetString());
    }
}
