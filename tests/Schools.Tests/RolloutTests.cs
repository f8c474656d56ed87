using System.Net;
using System.Text.Json;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Schools.Tests;

/// <summary>A school's rollout through the API: derived status at every step, the dependency rules, acceptance, bulk room updates.</summary>
public sealed class RolloutTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    private static string Status(JsonElement rollout) => rollout.GetProperty("status").GetString()!;

    private static string[] Rules(JsonElement rollout, string list) =>
        [.. rollout.GetProperty(list).EnumerateArray().Select(f => f.GetProperty("rule").GetString()!)];

    private static JsonElement Milestone(JsonElement rollout, string milestone) =>
        rollout.GetProperty("criticalPath").EnumerateArray().Single(m => m.GetProperty("milestone").GetString() == milestone);

    private static JsonElement Room(JsonElement rollout, Guid room) =>
        rollout.GetProperty("rooms").EnumerateArray().Single(r => r.GetProperty("roomId").GetGuid() == room);

    private async Task PublishAsAssetsAsync(object message)
    {
        var bus = api.Broker.CreateBus();
        await bus.StartAsync();
        try
        {
            await bus.Publish(message);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    [Fact]
    public async Task A_school_walks_from_planned_to_accepted_room_by_room_with_the_status_derived_at_every_step()
    {
        var school = await api.Planner.RegisterSchoolAsync();
        Assert.Equal("notInPlan", Status(await api.RolloutAsync(school)));

        await api.PlanIntoMepStandardAsync(school);
        var building = await api.AddBuildingAsync(school, "Hauptgebäude");
        var classroom = await api.AddRoomAsync(school, building, "1.01", "classroom");
        var computerRoom = await api.AddRoomAsync(school, building, "2.C1", "computerRoom");
        var staffRoom = await api.AddRoomAsync(school, building, "0.L", "staffRoom");
        var planned = await api.RolloutAsync(school);
        Assert.Equal("planned", Status(planned));
        Assert.Equal(["0.L", "1.01", "2.C1"], planned.GetProperty("rooms").EnumerateArray().Select(r => r.GetProperty("number").GetString()!).ToArray());
        Assert.Equal([false, true, false], planned.GetProperty("rooms").EnumerateArray()
            .Select(r => r.GetProperty("boardSystem").GetProperty("planned").GetBoolean()).ToArray());

        var surveyed = await api.PutOkAsync($"/api/schools/{school}/rollout/milestones/surveyed", new { plannedOn = "2025-02-01", reachedOn = "2025-02-03" });
        Assert.Equal("surveyed", Status(surveyed));
        Assert.Equal("reached", Milestone(surveyed, "surveyed").GetProperty("state").GetString());

        Assert.Equal("buildingWork", Status(await api.PutOkAsync($"/api/schools/{school}/rollout/broadband", SchoolsApi.Broadband("ordered"))));
        var networkDone = await api.PutOkAsync($"/api/schools/{school}/buildings/{building}/network", SchoolsApi.Network("done"));
        Assert.Equal("buildingWork", Status(networkDone));
        Assert.Equal(["broadband-not-connected"], Milestone(networkDone, "buildingWork").GetProperty("openItems").EnumerateArray()
            .Select(o => o.GetProperty("rule").GetString()!).ToArray());

        var connected = await api.PutOkAsync($"/api/schools/{school}/rollout/broadband", SchoolsApi.Broadband("connected"));
        Assert.Equal("equipping", Status(connected));
        Assert.NotNull(Milestone(connected, "buildingWork").GetProperty("reachedOn").GetString());
        Assert.False(connected.GetProperty("tabletsUsable").GetBoolean());

        var classroomWlan = await api.PutOkAsync($"/api/schools/{school}/rooms/{classroom}/rollout", SchoolsApi.RoomState("accepted", 2, boardSystemPlanned: true));
        Assert.Equal("equipping", Status(classroomWlan));
        Assert.Contains(classroomWlan.GetProperty("openForAcceptance").EnumerateArray(), o =>
            o.GetProperty("message").GetString() == "Room 1.01 (building Hauptgebäude): board system planned but not installed.");

        var board = Guid.NewGuid();
        await PublishAsAssetsAsync(new BoardSystemRegistered(board, school, classroom, DateTimeOffset.UtcNow));
        await Eventually.AssertAsync(async () => Room(await api.RolloutAsync(school), classroom).GetProperty("boardSystem").GetProperty("installed").GetBoolean(),
            "the board system Assets reported is installed in the classroom");
        var withBoard = Room(await api.RolloutAsync(school), classroom);
        Assert.Equal(board, withBoard.GetProperty("boardSystem").GetProperty("boardSystemId").GetGuid());
        Assert.NotNull(withBoard.GetProperty("doneOn").GetString());

        var computerRoomDone = await api.PutOkAsync($"/api/schools/{school}/rooms/{computerRoom}/rollout",
            SchoolsApi.RoomState("accepted", 2, computerRoomReplacement: "done"));
        Assert.Equal("equipping", Status(computerRoomDone));
        Assert.False(computerRoomDone.GetProperty("readyForAcceptance").GetBoolean());

        var refused = await api.Planner.PostAsync($"/api/schools/{school}/rollout/acceptance", Json.Body(new { acceptedOn = "2025-06-30" }));
        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("acceptance-needs-every-part-done", problem.GetProperty("rule").GetString());
        Assert.Contains("Room 0.L (building Hauptgebäude): WLAN missing.", problem.GetProperty("detail").GetString());
        Assert.Equal(staffRoom, Assert.Single(problem.GetProperty("openItems").EnumerateArray()).GetProperty("roomId").GetGuid());
        Assert.Equal("equipping", Status(await api.RolloutAsync(school)));

        var ready = await api.PutOkAsync($"/api/schools/{school}/rooms/{staffRoom}/rollout", SchoolsApi.RoomState("accepted"));
        Assert.Equal("equipping", Status(ready));
        Assert.True(ready.GetProperty("readyForAcceptance").GetBoolean());
        Assert.True(ready.GetProperty("tabletsUsable").GetBoolean());
        Assert.Equal("reached", Milestone(ready, "equipped").GetProperty("state").GetString());

        var accepted = await api.Planner.PostAsync($"/api/schools/{school}/rollout/acceptance", Json.Body(new { acceptedOn = "2025-06-30" }));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var acceptedRollout = await accepted.ReadJsonAsync();
        Assert.Equal("accepted", Status(acceptedRollout));
        Assert.Equal("2025-06-30", acceptedRollout.GetProperty("acceptedOn").GetString());
        Assert.Empty(acceptedRollout.GetProperty("violations").EnumerateArray());
        var programmes = (await (await api.Planner.GetAsync($"/api/schools/{school}")).ReadJsonAsync()).GetProperty("programmes");
        Assert.Equal("joined", programmes.GetProperty("mepStandard").GetProperty("status").GetString());
        Assert.Equal("2025-06-30", programmes.GetProperty("mepStandard").GetProperty("joinedOn").GetString());
    }

    [Fact]
    public async Task A_second_acceptance_is_a_conflict_and_changes_nothing()
    {
        var school = await api.ReadyForAcceptanceAsync();
        (await api.Planner.PostAsync($"/api/schools/{school}/rollout/acceptance", Json.Body(new { acceptedOn = "2025-06-30" }))).EnsureSuccessStatusCode();

        var again = await api.Planner.PostAsync($"/api/schools/{school}/rollout/acceptance", Json.Body(new { acceptedOn = "2025-07-01" }));

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict, ProblemTypes.Conflict);
        Assert.Contains("2025-06-30", problem.GetProperty("detail").GetString());
        Assert.Equal("2025-06-30", (await api.RolloutAsync(school)).GetProperty("acceptedOn").GetString());
        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SchoolAcceptedIntoMepStandard' AND aggregate_id = '{school}'"));
    }

    [Fact]
    public async Task Joining_the_mep_standard_by_editing_programmes_is_refused_in_favour_of_acceptance()
    {
        var school = await api.Planner.RegisterSchoolAsync();
        var programmes = SchoolsApi.Programmes(standard: new { status = "joined", wave = 2, targetYear = 2022, joinedOn = "2022-08-01" });

        var response = await api.Planner.PutAsync($"/api/schools/{school}/programmes", Json.Body(programmes));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule);
        Assert.Equal("mep-standard-joined-through-acceptance", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_board_system_reported_before_the_rooms_network_is_kept_and_reported_as_a_violation()
    {
        var school = await api.Planner.RegisterSchoolAsync();
        await api.PlanIntoMepStandardAsync(school);
        var building = await api.AddBuildingAsync(school, "Trakt B");
        var classroom = await api.AddRoomAsync(school, building, "B 1.04", "classroom");

        await PublishAsAssetsAsync(new BoardSystemRegistered(Guid.NewGuid(), school, classroom, DateTimeOffset.UtcNow));

        await Eventually.AssertAsync(async () => Rules(await api.RolloutAsync(school), "violations").Contains("board-system-before-network"),
            "the early board system is reported");
        var rollout = await api.RolloutAsync(school);
        var violation = rollout.GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("rule").GetString() == "board-system-before-network");
        Assert.Equal("Room B 1.04 (building Trakt B): a board system is installed before the network of building Trakt B is done.",
            violation.GetProperty("message").GetString());
        Assert.Contains("wlan-waits-for-network", Rules(rollout, "blocked"));
        Assert.Equal("buildingWork", Status(rollout));
    }

    [Fact]
    public async Task A_stale_if_match_on_a_room_is_refused_and_the_room_is_unchanged()
    {
        var school = await api.Planner.RegisterSchoolAsync();
        var building = await api.AddBuildingAsync(school, "Hauptgebäude");
        var room = await api.AddRoomAsync(school, building, "1.01", "classroom");
        var etag = Room(await api.RolloutAsync(school), room).GetProperty("etag").GetString()!;
        await api.PutOkAsync($"/api/schools/{school}/rooms/{room}/rollout", SchoolsApi.RoomState("planned", 3, boardSystemPlanned: true));

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/schools/{school}/rooms/{room}/rollout") { Content = Json.Body(SchoolsApi.RoomState("installed", 1)) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await api.Planner.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed, ProblemTypes.PreconditionFailed);
        Assert.Equal(3, Room(await api.RolloutAsync(school), room).GetProperty("accessPointsPlanned").GetInt32());
    }

    [Fact]
    public async Task Installers_update_many_rooms_from_a_csv_all_or_nothing_with_a_report_per_row()
    {
        var school = await api.Planner.RegisterSchoolAsync();
        await api.PlanIntoMepStandardAsync(school);
        var main = await api.AddBuildingAsync(school, "Hauptgebäude");
        await api.AddRoomAsync(school, main, "1.01", "classroom");
        await api.AddRoomAsync(school, main, "1.02", "classroom");
        var staffRoom = await api.AddRoomAsync(school, main, "0.L", "staffRoom");

        const string Broken = "building;room;wlan;accessPointsPlanned;accessPointsInstalled\n"
                              + "Hauptgebäude;1.01;installed;2;2\n"
                              + "Hauptgebäude;9.99;installed;1;1\n"
                              + "Hauptgebäude;1.02;halfway;2;x\n";
        var refused = await api.Planner.PostAsync($"/api/schools/{school}/rollout/rooms", Json.Raw(Broken, "text/csv"));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.BatchRejected);
        var rows = problem.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("field").GetString())).ToArray();
        Assert.Equal([(2, "room"), (3, "wlan"), (3, "accessPointsInstalled")], rows);
        Assert.All((await api.RolloutAsync(school)).GetProperty("rooms").EnumerateArray(), r => Assert.Equal("planned", r.GetProperty("wlan").GetString()));

        const string Good = "building;room;wlan;accessPointsPlanned;accessPointsInstalled;boardSystemPlanned\n"
                            + "Hauptgebäude;1.01;installed;2;2;\n"
                            + "hauptgebäude;1.02;planned;3;;nein\n";
        var applied = await api.Planner.PostAsync($"/api/schools/{school}/rollout/rooms", Json.Raw(Good, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var result = await applied.ReadJsonAsync();
        Assert.Equal((2, 2), (result.GetProperty("rows").GetInt32(), result.GetProperty("roomsChanged").GetInt32()));
        Assert.Equal(5, result.GetProperty("coverage").GetProperty("accessPointsPlanned").GetInt32());
        Assert.Contains("wlan-before-network", result.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("rule").GetString()));
        var rooms = (await api.RolloutAsync(school)).GetProperty("rooms").EnumerateArray().ToDictionary(r => r.GetProperty("number").GetString()!);
        Assert.Equal("installed", rooms["1.01"].GetProperty("wlan").GetString());
        Assert.True(rooms["1.01"].GetProperty("boardSystem").GetProperty("planned").GetBoolean());
        Assert.False(rooms["1.02"].GetProperty("boardSystem").GetProperty("planned").GetBoolean());
        Assert.Equal(3, rooms["1.02"].GetProperty("accessPointsPlanned").GetInt32());
        Assert.Equal(staffRoom, rooms["0.L"].GetProperty("roomId").GetGuid());
        Assert.Equal("planned", rooms["0.L"].GetProperty("wlan").GetString());
    }

    [Fact]
    public async Task A_csv_that_cannot_be_read_is_a_bad_request_naming_the_line()
    {
        var school = await api.Planner.RegisterSchoolAsync();

        var response = await api.Planner.PostAsync($"/api/schools/{school}/rollout/rooms", Json.Raw("building;room;colour\nA;1;red\n", "text/csv"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        Assert.Equal(1, problem.GetProperty("line").GetInt32());
        Assert.Contains("unknown column(s) \"colour\"", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_school_key_reads_its_own_rollout_and_no_other()
    {
        var own = await api.Planner.RegisterSchoolAsync();
        var other = await api.Planner.RegisterSchoolAsync();
        var (_, key) = await api.Admin.IssueKeyAsync(own);
        var client = api.ClientWithSchoolKey(key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/schools/{own}/rollout")).StatusCode);
        await (await client.GetAsync($"/api/schools/{other}/rollout")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync($"/api/schools/{own}/rollout/broadband", Json.Body(SchoolsApi.Broadband("ordered")))).StatusCode);
        var plan = await (await client.GetAsync("/api/schools/rollout/plan")).ReadJsonAsync();
        Assert.Equal(own, Assert.Single(plan.GetProperty("schools").EnumerateArray()).GetProperty("schoolId").GetGuid());
    }

    [Fact]
    public async Task Rollout_input_that_breaks_a_rule_is_a_problem_not_an_error()
    {
        var school = await api.Planner.RegisterSchoolAsync();

        var noLine = await api.Planner.PutAsync($"/api/schools/{school}/rollout/broadband", Json.Body(new { status = "connected" }));
        var badMoney = await api.Planner.PutAsync($"/api/schools/{school}/rollout/broadband", Json.Body(new { status = "planned", monthlyCost = 10.005m }));
        var unknownMilestone = await api.Planner.PutAsync($"/api/schools/{school}/rollout/milestones/finished", Json.Body(new { plannedOn = "2026-01-01" }));
        var derivedMilestone = await api.Planner.PutAsync($"/api/schools/{school}/rollout/milestones/equipped",
            Json.Body(new { plannedOn = "2026-01-01", reachedOn = "2025-01-01" }));

        Assert.Equal("broadband-order-needs-line",
            (await noLine.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule)).GetProperty("rule").GetString());
        Assert.Equal(["monthlyCost"], (await badMoney.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
        await unknownMilestone.AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
        Assert.Equal("milestone-reached-by-rollout",
            (await derivedMilestone.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule)).GetProperty("rule").GetString());
    }
}
