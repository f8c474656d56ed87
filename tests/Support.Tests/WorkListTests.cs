using System.Net;
using System.Text.Json;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>
/// Names people know and their work lists: tickets opened by school number and room number, found by their number, listed with
/// the school's number and name, the room, the device and the due times, searched in German full text, "my tickets" and counts.
/// </summary>
public sealed class WorkListTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task An_agent_opens_a_ticket_by_school_number_and_building_and_room_number()
    {
        var school = await api.SchoolAsync(rooms: 2);

        // As people say it on the phone: the number, the building, the room on the door, in whatever case.
        var ticket = await SupportApi.OpenAsync(api.Agent, SupportApi.Report("board-system",
            fields: [("schoolNumber", school.Number), ("building", " hauptgebäude "), ("roomNumber", "h 1.02")]));

        Assert.Equal((school.Id, school.Number, $"GY Testschule {school.Number}", school.Rooms[1]), (ticket.GetProperty("schoolId").GetGuid(),
            ticket.GetProperty("schoolNumber").GetString(), ticket.GetProperty("schoolName").GetString(), ticket.GetProperty("roomId").GetGuid()));
    }

    [Fact]
    public async Task A_school_key_opens_a_ticket_for_a_room_named_by_building_and_number()
    {
        var school = await api.SchoolAsync(rooms: 2);

        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("printer",
            fields: [("building", "Hauptgebäude"), ("roomNumber", "H 1.01")]));

        Assert.Equal((school.Id, school.Rooms[0]), (ticket.GetProperty("schoolId").GetGuid(), ticket.GetProperty("roomId").GetGuid()));
    }

    [Fact]
    public async Task An_unknown_school_number_is_a_422_naming_schoolNumber_and_nothing_is_stored()
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM tickets");

        var response = await api.Agent.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("mail", fields: [("schoolNumber", "00001")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("school-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["schoolNumber"], problem.ErrorFields());
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task An_unknown_school_id_is_a_422_naming_schoolId_and_nothing_is_stored()
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM tickets");

        var response = await api.Agent.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("mail", fields: [("schoolId", Guid.NewGuid())])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("school-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["schoolId"], problem.ErrorFields());
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM tickets"));
    }

    [Fact]
    public async Task A_school_id_with_a_number_no_school_has_is_an_unknown_number_422_not_two_schools()
    {
        var school = await api.SchoolAsync();

        var response = await api.Agent.PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("mail", fields: [("schoolId", school.Id), ("schoolNumber", "00003")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("school-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["schoolNumber"], problem.ErrorFields());
        Assert.Equal(0, await CountTicketsAsync(school));
    }

    [Fact]
    public async Task A_school_number_and_a_school_id_of_two_schools_are_a_400_naming_both()
    {
        var a = await api.SchoolAsync();
        var b = await api.SchoolAsync();

        var response = await api.Agent.PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("mail", fields: [("schoolId", a.Id), ("schoolNumber", b.Number)])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["schoolId", "schoolNumber"], problem.ErrorFields());
        Assert.Equal(0, await CountTicketsAsync(a, b));
    }

    [Fact]
    public async Task A_school_key_sending_another_schools_number_is_a_404_as_for_a_number_nobody_has()
    {
        var own = await api.SchoolAsync();
        var other = await api.SchoolAsync();

        var response = await api.ClientFor(own).PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("mail", fields: [("schoolNumber", other.Number)])));
        var unknown = await api.ClientFor(own).PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("mail", fields: [("schoolNumber", "00004")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var nobodys = await unknown.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(nobodys.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
        Assert.Contains("number", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountTicketsAsync(own, other));
    }

    [Fact]
    public async Task A_school_key_sending_another_schools_id_is_a_404()
    {
        var own = await api.SchoolAsync();
        var other = await api.SchoolAsync();

        var response = await api.ClientFor(own).PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("mail", fields: [("schoolId", other.Id)])));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(0, await CountTicketsAsync(own, other));
    }

    [Fact]
    public async Task A_school_number_in_other_than_ascii_digits_is_a_400_naming_schoolNumber()
    {
        var response = await api.Agent.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("mail", fields: [("schoolNumber", "١٢٣٤٥")])));
        var list = await api.Agent.GetAsync($"/api/support/tickets?schoolNumber={Uri.EscapeDataString("١٢٣٤٥")}");

        Assert.Equal(["schoolNumber"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        Assert.Equal(["schoolNumber"], (await list.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task An_unknown_room_id_and_an_unknown_serial_are_one_422_naming_both_fields()
    {
        var school = await api.SchoolAsync(rooms: 1);

        var response = await api.Agent.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("device-hardware",
            fields: [("schoolId", school.Id), ("roomId", Guid.NewGuid()), ("deviceSerial", "NOBODYS-1")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("device-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["deviceSerial", "roomId"], problem.ErrorFields());
        Assert.Equal(0, await CountTicketsAsync(school));
    }

    [Fact]
    public async Task An_unknown_room_id_is_a_422_room_unknown_naming_roomId()
    {
        var school = await api.SchoolAsync(rooms: 1);

        var response = await api.Agent.PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("wlan", fields: [("schoolId", school.Id), ("roomId", Guid.NewGuid())])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("room-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["roomId"], problem.ErrorFields());
    }

    [Fact]
    public async Task Two_rooms_with_one_name_while_a_renumbering_arrives_give_the_lowest_id_every_time()
    {
        var school = await api.SchoolAsync(rooms: 1);
        var lower = new Guid("00000000-0000-0000-0000-000000000001");
        await api.Database.ExecuteAsync($"""
            INSERT INTO known_rooms (room_id, school_id, building_name, number, as_of)
            VALUES ('{lower}', '{school.Id}', 'Hauptgebäude', 'H 1.01', now())
            """);

        var first = await SupportApi.OpenAsync(api.Agent, SupportApi.Report("wlan",
            fields: [("schoolId", school.Id), ("building", "Hauptgebäude"), ("roomNumber", "H 1.01")]));
        var second = await SupportApi.OpenAsync(api.Agent, SupportApi.Report("wlan",
            fields: [("schoolNumber", school.Number), ("building", "hauptgebäude"), ("roomNumber", "h 1.01")]));

        Assert.Equal((lower, lower), (first.GetProperty("roomId").GetGuid(), second.GetProperty("roomId").GetGuid()));
    }

    [Fact]
    public async Task A_room_number_the_school_has_not_is_a_422_naming_building_and_roomNumber()
    {
        var school = await api.SchoolAsync(rooms: 1);

        var response = await api.Agent.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("wlan",
            fields: [("schoolNumber", school.Number), ("building", "Hauptgebäude"), ("roomNumber", "H 9.99")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("room-unknown", problem.GetProperty("rule").GetString());
        Assert.Equal(["building", "roomNumber"], problem.ErrorFields());
        Assert.Equal(0, await CountTicketsAsync(school));
    }

    [Fact]
    public async Task Another_schools_room_is_unknown_to_the_reporting_school()
    {
        var own = await api.SchoolAsync(rooms: 1);
        await api.SchoolAsync(rooms: 3);

        var response = await api.ClientFor(own).PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("wlan", fields: [("building", "Hauptgebäude"), ("roomNumber", "H 1.03")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("room-unknown", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_room_id_and_a_room_number_of_two_rooms_are_a_400_naming_all_three()
    {
        var school = await api.SchoolAsync(rooms: 2);

        var response = await api.Agent.PostAsync("/api/support/tickets", Json.Body(SupportApi.Report("wlan",
            fields: [("schoolId", school.Id), ("roomId", school.Rooms[0]), ("building", "Hauptgebäude"), ("roomNumber", "H 1.02")])));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["building", "roomId", "roomNumber"], problem.ErrorFields());
        Assert.Equal(0, await CountTicketsAsync(school));
    }

    [Fact]
    public async Task A_building_without_a_room_number_is_a_400_naming_roomNumber()
    {
        var school = await api.SchoolAsync(rooms: 1);

        var response = await api.Agent.PostAsync("/api/support/tickets",
            Json.Body(SupportApi.Report("wlan", fields: [("schoolId", school.Id), ("building", "Hauptgebäude")])));

        Assert.Equal(["roomNumber"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task Every_list_row_names_the_school_room_and_device_and_carries_the_due_times()
    {
        var school = await api.SchoolAsync(rooms: 1, devices: new TestDevice("WLROW0001"));
        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("device-hardware",
            fields: [("deviceSerial", "wlrow0001"), ("roomId", school.Rooms[0])]));

        var row = Assert.Single((await ListAsync(api.Agent, $"schoolNumber={school.Number}")).EnumerateArray());

        Assert.Equal((ticket.GetProperty("id").GetGuid(), school.Id, school.Number, $"GY Testschule {school.Number}"),
            (row.GetProperty("id").GetGuid(), row.GetProperty("schoolId").GetGuid(), row.GetProperty("schoolNumber").GetString(),
                row.GetProperty("schoolName").GetString()));
        Assert.Equal((school.Rooms[0], "Hauptgebäude", "H 1.01", "WLROW0001"),
            (row.GetProperty("roomId").GetGuid(), row.GetProperty("building").GetString(), row.GetProperty("roomNumber").GetString(),
                row.GetProperty("deviceSerial").GetString()));
        // The earliest counting timer per target: level 1's, which is shorter than the total's.
        var (firstResponse, resolution) = (SupportApi.Timer(ticket, "level1", "firstResponse").GetProperty("dueAt").GetDateTimeOffset(),
            SupportApi.Timer(ticket, "level1", "resolution").GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal((firstResponse, resolution, firstResponse),
            (row.GetProperty("firstResponseDueAt").GetDateTimeOffset(), row.GetProperty("resolutionDueAt").GetDateTimeOffset(),
                row.GetProperty("dueAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Every_feed_row_names_the_school_room_and_device_and_carries_the_due_times()
    {
        var school = await api.SchoolAsync(rooms: 1, devices: new TestDevice("WLFEED0001"));
        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("device-hardware",
            fields: [("deviceSerial", "WLFEED0001"), ("roomId", school.Rooms[0])]));

        var feed = await SupportApi.GetOkAsync(api.Agent, $"/api/support/odata/Tickets?$filter=SchoolNumber%20eq%20'{school.Number}'");

        var row = Assert.Single(feed.GetProperty("value").EnumerateArray());
        Assert.Equal(
            (ticket.GetProperty("number").GetInt64(), school.Number, $"GY Testschule {school.Number}", "Hauptgebäude", "H 1.01", "WLFEED0001"),
            (row.GetProperty("Number").GetInt64(), row.GetProperty("SchoolNumber").GetString(), row.GetProperty("SchoolName").GetString(),
                row.GetProperty("Building").GetString(), row.GetProperty("RoomNumber").GetString(), row.GetProperty("DeviceSerial").GetString()));
        var firstResponse = SupportApi.Timer(ticket, "level1", "firstResponse").GetProperty("dueAt").GetDateTimeOffset();
        Assert.Equal((firstResponse, firstResponse),
            (row.GetProperty("FirstResponseDueAt").GetDateTimeOffset(), row.GetProperty("DueAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task The_list_by_school_number_holds_exactly_that_schools_tickets()
    {
        var school = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        var expected = new[] { await OpenAsync(school, "Mail"), await OpenAsync(school, "Portal") };
        await OpenAsync(other, "Mail");

        Assert.Equal(expected.Reverse(), Numbers(await ListAsync(api.Agent, $"schoolNumber={school.Number}")));
    }

    [Fact]
    public async Task A_list_by_a_school_number_no_school_has_is_empty_as_for_an_unknown_school_id()
    {
        Assert.Empty(Numbers(await ListAsync(api.Agent, "schoolNumber=00002")));
    }

    [Fact]
    public async Task A_list_by_a_school_id_with_a_number_no_school_has_is_empty_not_a_refusal()
    {
        var school = await api.SchoolAsync();
        await OpenAsync(school, "Mail");

        Assert.Empty(Numbers(await ListAsync(api.Agent, $"schoolId={school.Id}&schoolNumber=00002")));
    }

    [Fact]
    public async Task A_list_by_a_school_id_and_another_schools_number_is_a_400_naming_both()
    {
        var a = await api.SchoolAsync();
        var b = await api.SchoolAsync();

        var response = await api.Agent.GetAsync($"/api/support/tickets?schoolId={a.Id}&schoolNumber={b.Number}");

        Assert.Equal(["schoolId", "schoolNumber"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task My_tickets_are_exactly_the_ones_assigned_to_me()
    {
        var mira = await SignedInAgentAsync("agent-wl-mira");
        await api.PersonAsync("agent-wl-olaf", PlatformRoles.Agent);
        var school = await api.SchoolAsync();
        var first = await OpenAsync(school, "Mail");
        var second = await OpenAsync(school, "Portal");
        var olafs = await OpenAsync(school, "Accounts");
        await OpenAsync(school, "Unassigned");
        await AssignAsync(first, "agent-wl-mira");
        await AssignAsync(second, "agent-wl-mira");
        await AssignAsync(olafs, "agent-wl-olaf");

        Assert.Equal([second, first], Numbers(await ListAsync(mira, "mine=true")));
        Assert.Equal([olafs], Numbers(await ListAsync(mira, "assignee=agent-wl-olaf")));
    }

    [Fact]
    public async Task The_search_finds_exactly_the_tickets_with_the_word_in_any_german_form()
    {
        var school = await api.SchoolAsync();
        var tonerOfThePrinter = await OpenAsync(school, "Toner des Druckers leer");
        var printerInAComment = await OpenAsync(school, "WLAN im Neubau langsam");
        await CommentAsync(printerInAComment, "Auch die Drucker im Flur drucken nur Streifen.", isInternal: false);
        var beamer = await OpenAsync(school, "Bild flackert", "Der Beamer ist defekt, seit heute Morgen.");
        await OpenAsync(school, "Beamer läuft wieder");

        var printers = await ListAsync(api.Agent, $"schoolNumber={school.Number}&q=Drucker");
        var brokenBeamers = await ListAsync(api.Agent, $"schoolNumber={school.Number}&q={Uri.EscapeDataString("Beamer defekt")}");

        Assert.Equal([printerInAComment, tonerOfThePrinter], Numbers(printers));
        Assert.Equal([beamer], Numbers(brokenBeamers));
    }

    [Fact]
    public async Task A_public_comment_is_found_by_the_search_and_an_internal_note_is_not()
    {
        var school = await api.SchoolAsync();
        var answered = await OpenAsync(school, "Anmeldung klappt nicht");
        await CommentAsync(answered, "Bitte das Kennwort am Schulserver zurücksetzen.", isInternal: false);
        var noted = await OpenAsync(school, "Anmeldung klappt wieder nicht");
        await CommentAsync(noted, "Kennwörter der Lehrkräfte laufen heimlich ab.", isInternal: true);

        // "Kennwort" and "Kennwörter" share their stem: only the internal note keeps the second ticket out.
        Assert.Equal([answered], Numbers(await ListAsync(api.Agent, $"schoolNumber={school.Number}&q=Kennwort")));
        Assert.Equal([answered], Numbers(await ListAsync(api.ClientFor(school), "q=Kennwort")));
        Assert.Empty(Numbers(await ListAsync(api.Agent, $"schoolNumber={school.Number}&q=heimlich")));
    }

    [Fact]
    public async Task A_ticket_is_found_by_its_number()
    {
        var school = await api.SchoolAsync();
        var number = await OpenAsync(school, "Mail");

        var response = await api.Agent.GetAsync($"/api/support/tickets/by-number/{number}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var ticket = await response.ReadJsonAsync();
        Assert.Equal((number, school.Id, school.Number, $"GY Testschule {school.Number}"), (ticket.GetProperty("number").GetInt64(),
            ticket.GetProperty("schoolId").GetGuid(), ticket.GetProperty("schoolNumber").GetString(), ticket.GetProperty("schoolName").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await api.ClientFor(school).GetAsync($"/api/support/tickets/by-number/{number}")).StatusCode);
    }

    [Fact]
    public async Task A_school_key_finds_another_schools_ticket_neither_by_number_nor_by_search()
    {
        var own = await api.SchoolAsync();
        var other = await api.SchoolAsync();
        var ownTicket = await OpenAsync(own, "Schulserver startet nicht");
        var othersTicket = await OpenAsync(other, "Schulserver startet nicht");
        var school = api.ClientFor(own);

        await (await school.GetAsync($"/api/support/tickets/by-number/{othersTicket}"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal([ownTicket], Numbers(await ListAsync(school, "q=Schulserver")));
        await (await school.GetAsync($"/api/support/tickets?q=Schulserver&schoolNumber={other.Number}"))
            .AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task The_counts_of_my_tickets_count_only_mine_per_status()
    {
        var ute = await SignedInAgentAsync("agent-wl-ute");
        var school = await api.SchoolAsync();
        var started = await OpenAsync(school, "Mail");
        var waiting = await OpenAsync(school, "Portal");
        await OpenAsync(school, "Not mine");
        await AssignAsync(started, "agent-wl-ute");
        await AssignAsync(waiting, "agent-wl-ute");
        await StatusAsync(started, "inProgress");
        await StatusAsync(waiting, "waitingForSchool");

        var counts = await SupportApi.GetOkAsync(ute, "/api/support/tickets/counts?mine=true");

        Assert.Equal((2, 2), (counts.GetProperty("total").GetInt32(), counts.GetProperty("open").GetInt32()));
        Assert.Equal("new:0 triaged:0 inProgress:1 waitingForSchool:1 waitingForVendor:0 resolved:0 closed:0 reopened:0", ByStatus(counts));
    }

    [Fact]
    public async Task The_counts_name_the_open_tickets_per_group_in_the_same_answer_as_per_status()
    {
        var school = await api.SchoolAsync();
        await OpenAsync(school, "Mail");
        var escalated = await OpenAsync(school, "Netzlaufwerk");
        var resolved = await OpenAsync(school, "Erledigt");
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{await IdAsync(escalated)}/escalation", new { reason = "Server" });
        await StatusAsync(resolved, "resolved");

        var counts = await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/counts?schoolNumber={school.Number}");

        Assert.Equal("it-department:1 service-desk:1", string.Join(' ', counts.GetProperty("byGroup").EnumerateArray()
            .Select(g => $"{g.GetProperty("group").GetString()}:{g.GetProperty("open").GetInt32()}")));
        Assert.Equal("new:2 triaged:0 inProgress:0 waitingForSchool:0 waitingForVendor:0 resolved:1 closed:0 reopened:0", ByStatus(counts));
    }

    internal static string ByStatus(JsonElement counts) => string.Join(' ', counts.GetProperty("byStatus").EnumerateArray()
        .Select(c => $"{c.GetProperty("status").GetString()}:{c.GetProperty("tickets").GetInt32()}"));

    internal static List<long> Numbers(JsonElement items) => [.. items.EnumerateArray().Select(t => t.GetProperty("number").GetInt64())];

    internal static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        (await SupportApi.GetOkAsync(client, $"/api/support/tickets?{query}")).GetProperty("items");

    /// <summary>A mail ticket of <paramref name="school"/> the service desk records; its number.</summary>
    private async Task<long> OpenAsync(TestSchool school, string title, string description = "Seit heute Morgen.") =>
        (await SupportApi.OpenAsync(api.Agent,
            SupportApi.Report("mail", fields: [("schoolId", school.Id), ("title", title), ("description", description)])))
        .GetProperty("number").GetInt64();

    /// <summary>An agent who has signed in: their first request recorded them in the people directory, so they can be assigned.</summary>
    private async Task<HttpClient> SignedInAgentAsync(string subject)
    {
        var agent = api.ClientAs(PlatformRoles.Agent, subject);
        await SupportApi.GetOkAsync(agent, "/api/support/categories");
        return agent;
    }

    private async Task<Guid> IdAsync(long number) =>
        (await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/by-number/{number}")).GetProperty("id").GetGuid();

    private async Task AssignAsync(long number, string subject)
    {
        var response = await api.Agent.PutAsync($"/api/support/tickets/{await IdAsync(number)}/assignee", Json.Body(new { assignee = subject }));
        Assert.True(response.IsSuccessStatusCode, $"assign #{number}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task StatusAsync(long number, string status) =>
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{await IdAsync(number)}/status", new { status });

    private async Task CommentAsync(long number, string body, bool isInternal) =>
        await SupportApi.PostOkAsync(api.Agent, $"/api/support/tickets/{await IdAsync(number)}/comments", new { body, @internal = isInternal });

    private Task<long> CountTicketsAsync(params TestSchool[] schools) =>
        api.Database.ScalarAsync<long>($"SELECT count(*) FROM tickets WHERE school_id IN ({string.Join(", ", schools.Select(s => $"'{s.Id}'"))})");
}
