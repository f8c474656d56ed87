using System.Net;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Errors;

namespace Mep.Support.Tests;

/// <summary>The council paper's support model as default routing rules: each opened through the API, level and group asserted.</summary>
public sealed class RoutingTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Theory]
    [InlineData("portal", 1, "service-desk")]
    [InlineData("accounts", 1, "service-desk")]
    [InlineData("mail", 1, "service-desk")]
    [InlineData("broadband", 2, "it-department")]
    [InlineData("active-directory", 2, "it-department")]
    [InlineData("mdm", 2, "it-department")]
    [InlineData("other", 1, "service-desk")]
    public async Task A_fault_of_a_category_without_context_starts_at_its_default_level_and_group(string category, int level, string group)
    {
        var school = await api.SchoolAsync();

        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report(category));

        Assert.Equal(level, ticket.GetProperty("level").GetInt32());
        Assert.Equal(group, ticket.GetProperty("group").GetString());
        Assert.Equal(1, ticket.GetProperty("routingVersion").GetInt32());
    }

    [Fact]
    public async Task A_report_for_a_school_refused_as_unknown_is_taken_as_soon_as_the_school_is_known()
    {
        var id = Guid.NewGuid();
        var report = SupportApi.Report("mail", fields: ("schoolId", id));
        var refused = await api.Agent.PostAsync("/api/support/tickets", Json.Body(report));
        await api.SchoolAsync(id);

        var taken = await api.Agent.PostAsync("/api/support/tickets", Json.Body(report));

        Assert.Equal("school-unknown", (await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, ProblemTypes.DomainRule))
            .GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
    }

    [Theory]
    [InlineData("network")]
    [InlineData("wlan")]
    public async Task Network_and_wlan_faults_of_a_room_go_to_the_it_department(string category)
    {
        var school = await api.SchoolAsync(rooms: 1);

        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report(category, fields: ("roomId", school.Rooms[0])));

        Assert.Equal(2, ticket.GetProperty("level").GetInt32());
        Assert.Equal("it-department", ticket.GetProperty("group").GetString());
    }

    [Fact]
    public async Task A_hardware_fault_of_a_parent_financed_pupil_tablet_goes_to_the_provider_at_level_3()
    {
        var school = await api.SchoolAsync(devices: new TestDevice("PUPIL-1", DeviceKind.Tablet, TabletOwnership.ParentFinancedPupil));

        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("device-hardware", fields: ("deviceSerial", " pupil-1 ")));

        Assert.Equal(3, ticket.GetProperty("level").GetInt32());
        Assert.Equal("tablet-provider", ticket.GetProperty("group").GetString());
        Assert.Equal(school.Devices["PUPIL-1"], ticket.GetProperty("deviceId").GetGuid());
    }

    [Fact]
    public async Task A_hardware_fault_of_a_teacher_tablet_stays_with_the_service_desk()
    {
        var school = await api.SchoolAsync(devices: new TestDevice("TEACHER-1"));

        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("device-hardware", fields: ("deviceSerial", "TEACHER-1")));

        Assert.Equal(1, ticket.GetProperty("level").GetInt32());
        Assert.Equal("service-desk", ticket.GetProperty("group").GetString());
    }

    [Fact]
    public async Task Licensed_software_goes_to_the_vendor_at_level_3()
    {
        var school = await api.SchoolAsync();

        var ticket = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("licensed-software"));

        Assert.Equal(3, ticket.GetProperty("level").GetInt32());
        Assert.Equal("software-vendor", ticket.GetProperty("group").GetString());
    }

    [Fact]
    public async Task An_on_site_need_of_a_school_not_at_mep_standard_goes_to_the_contractor()
    {
        var basic = await api.SchoolAsync(atMepStandard: false, rooms: 1);

        var atBasic = await SupportApi.OpenAsync(api.ClientFor(basic), SupportApi.Report("printer", fields: [("needsOnSite", true), ("roomId", basic.Rooms[0])]));

        Assert.Equal((3, "css"), (atBasic.GetProperty("level").GetInt32(), atBasic.GetProperty("group").GetString()));
    }

    [Fact]
    public async Task An_on_site_need_of_a_school_at_mep_standard_stays_with_the_service_desk()
    {
        var standard = await api.SchoolAsync(atMepStandard: true, rooms: 1);

        var atStandard = await SupportApi.OpenAsync(api.ClientFor(standard),
            SupportApi.Report("printer", fields: [("needsOnSite", true), ("roomId", standard.Rooms[0])]));

        Assert.Equal((1, "service-desk"), (atStandard.GetProperty("level").GetInt32(), atStandard.GetProperty("group").GetString()));
    }

    [Fact]
    public async Task Rules_changed_by_an_admin_are_a_new_version_that_routes_new_tickets_while_old_tickets_keep_theirs()
    {
        var school = await api.SchoolAsync();
        var before = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("mail"));
        var current = await SupportApi.GetOkAsync(api.Admin, "/api/support/routing/rules");
        var rules = current.GetProperty("rules").EnumerateArray()
            .Select(r => new { category = r.GetProperty("category").GetString(), ownership = OwnershipName(r), schoolAtMepStandard = Bool(r, "schoolAtMepStandard"),
                onSite = Bool(r, "onSite"), group = r.GetProperty("group").GetString() })
            .ToList();
        rules.Insert(0, new { category = (string?)"mail", ownership = (string?)null, schoolAtMepStandard = (bool?)null, onSite = (bool?)null, group = (string?)"it-department" });

        var saved = await api.Admin.PutAsync("/api/support/routing/rules", Json.Body(new { rules, note = "mail server moved to IT" }));
        var after = await SupportApi.OpenAsync(api.ClientFor(school), SupportApi.Report("mail"));

        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var version = (await saved.ReadJsonAsync()).GetProperty("version").GetInt32();
        Assert.True(version >= 2);
        Assert.Equal((2, "it-department", version), (after.GetProperty("level").GetInt32(), after.GetProperty("group").GetString(), after.GetProperty("routingVersion").GetInt32()));
        var old = await SupportApi.GetOkAsync(api.Agent, $"/api/support/tickets/{before.GetProperty("id").GetGuid()}");
        Assert.Equal((1, "service-desk", 1), (old.GetProperty("level").GetInt32(), old.GetProperty("group").GetString(), old.GetProperty("routingVersion").GetInt32()));

        // Put the defaults back for the other tests of this class.
        var restore = await api.Admin.PutAsync("/api/support/routing/rules", Json.Body(new { rules = rules.Skip(1), note = "restored" }));
        Assert.Equal(HttpStatusCode.Created, restore.StatusCode);
    }

    [Fact]
    public async Task A_rule_set_without_a_catch_all_is_a_400_naming_its_last_rule()
    {
        var missingCatchAll = await api.Admin.PutAsync("/api/support/routing/rules",
            Json.Body(new { rules = new[] { new { category = "mail", group = "service-desk" } } }));

        var catchAllProblem = await missingCatchAll.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["rules[0]"], catchAllProblem.ErrorFields());
    }

    [Fact]
    public async Task A_rule_with_an_unknown_group_is_a_400_naming_its_group()
    {
        var unknownGroup = await api.Admin.PutAsync("/api/support/routing/rules", Json.Body(new { rules = new[] { new { group = "nobody" } } }));

        var groupProblem = await unknownGroup.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["rules[0].group"], groupProblem.ErrorFields());
    }

    private static string? OwnershipName(System.Text.Json.JsonElement rule) =>
        rule.GetProperty("ownership").ValueKind == System.Text.Json.JsonValueKind.Null ? null : rule.GetProperty("ownership").GetString();

    private static bool? Bool(System.Text.Json.JsonElement rule, string name) =>
        rule.GetProperty(name).ValueKind == System.Text.Json.JsonValueKind.Null ? null : rule.GetProperty(name).GetBoolean();
}
