using System.Net;
using Mep.Contracts;

namespace Mep.Assets.Tests;

/// <summary>Field rules of a device row, each reported for its field; and the single-device registration built on them.</summary>
public sealed class DeviceRulesTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    public static TheoryData<string, Dictionary<string, object?>, string> BadRows => new()
    {
        { "a pupil's name instead of a pseudonym", AssetsApi.Tablet("R-1", "parentFinancedPupil", ("pupilReference", "Max Mustermann")), "pupilReference" },
        { "parent-financed without subsidy category", AssetsApi.Tablet("R-2", "parentFinancedPupil", ("subsidyCategory", null)), "subsidyCategory" },
        { "sibling subsidy without family", AssetsApi.Tablet("R-3", "parentFinancedPupil", ("subsidyCategory", "sibling")), "familyReference" },
        { "sibling subsidy for a first child", AssetsApi.Tablet("R-4", "parentFinancedPupil", ("subsidyCategory", "sibling"), ("familyReference", "FAM-0001"), ("siblingOrder", 1)), "siblingOrder" },
        { "a teacher device with a pupil", AssetsApi.Tablet("R-5", "teacher", ("pupilReference", "P-00001")), "pupilReference" },
        { "a tablet without ownership", AssetsApi.Tablet("R-6", "teacher", ("ownership", null)), "ownership" },
        { "a network device with ownership", AssetsApi.Device("R-7", "networkDevice", ("ownership", "teacher")), "ownership" },
        { "a component without its kind", AssetsApi.Device("R-8", "boardSystemComponent"), "componentKind" },
        { "three decimal places", AssetsApi.Tablet("R-9", "teacher", ("purchasePrice", 329.999m)), "purchasePrice" },
        { "a negative price", AssetsApi.Tablet("R-10", "teacher", ("purchasePrice", -1m)), "purchasePrice" },
        { "a German date", AssetsApi.Tablet("R-11", "teacher", ("purchaseDate", "01.08.2020")), "purchaseDate" },
        { "warranty ending before purchase", AssetsApi.Tablet("R-12", "teacher", ("warrantyEnd", "2019-01-01")), "warrantyEnd" },
        { "enrolled without a date", AssetsApi.Tablet("R-13", "teacher", ("mdmState", "enrolled")), "mdmEnrolledOn" },
        { "a contract rate without months", AssetsApi.Tablet("R-14", "parentFinancedPupil", ("contractMonths", null)), "contractMonths" },
        { "a serial with a slash-less symbol", AssetsApi.Tablet("R#15", "teacher"), "serialNumber" },
        { "a school-financed device paid by parents", AssetsApi.Tablet("R-16", "loan", ("fundingSource", "parentFinanced")), "fundingSource" },
        { "a new device that is already retired", AssetsApi.Tablet("R-17", "teacher", ("status", "retired")), "status" },
        { "no manufacturer", AssetsApi.Tablet("R-18", "teacher", ("manufacturer", " ")), "manufacturer" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task A_row_breaking_a_rule_is_refused_for_that_field(string rule, Dictionary<string, object?> row, string field)
    {
        var school = await api.SchoolAsync();

        var problem = await (await api.ClientFor(school).PostAsync("/api/assets/devices/batch", AssetsApi.Batch([row])))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:batch-rejected");

        Assert.True(problem.GetProperty("rows").EnumerateArray().Any(r => r.GetProperty("field").GetString() == field), $"{rule}: {problem}");
        Assert.Equal(0, await api.DeviceRowsAsync(school.Id));
    }

    [Fact]
    public async Task A_single_registration_answers_201_with_the_device_then_200_when_repeated()
    {
        var school = await api.SchoolAsync(SchoolType.GS);
        using var client = api.ClientFor(school);
        var tablet = AssetsApi.Tablet("ONE-1", "schoolClassSet", ("roomId", school.Rooms[1]));

        var created = await client.PostAsync("/api/assets/devices", Json.Body(tablet));
        var repeated = await client.PostAsync("/api/assets/devices", Json.Body(tablet));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var device = await created.ReadJsonAsync();
        Assert.Equal($"/api/assets/devices/{device.GetProperty("id").GetGuid()}", created.Headers.Location!.OriginalString);
        Assert.Equal(("ONE-1", "schoolClassSet", school.Rooms[1], 329.00m),
            (device.GetProperty("serialNumber").GetString(), device.GetProperty("ownership").GetString(), device.GetProperty("roomId").GetGuid(),
                device.GetProperty("purchasePrice").GetDecimal()));
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
    }

    [Fact]
    public async Task A_single_registration_reports_field_errors_as_a_validation_problem()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);

        var invalid = await client.PostAsync("/api/assets/devices", Json.Body(AssetsApi.Tablet("ONE-2", "teacher", ("roomId", Guid.NewGuid()))));

        Assert.Contains("roomId", (await invalid.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    [Fact]
    public async Task A_single_registration_with_an_unknown_field_or_broken_json_is_malformed()
    {
        var school = await api.SchoolAsync();
        using var client = api.ClientFor(school);

        var unknownField = await client.PostAsync("/api/assets/devices", Json.Raw("""{"serialNumber":"X","kind":"tablet","manufacturer":"A","model":"B","ownership":"teacher","schoolId":"00000000-0000-0000-0000-000000000001"}"""));
        var notJson = await client.PostAsync("/api/assets/devices", Json.Raw("""{"serialNumber": """));

        await unknownField.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:malformed-request");
        await notJson.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:malformed-request");
    }

    [Fact]
    public async Task A_school_not_yet_known_from_schools_events_cannot_register_devices()
    {
        using var planner = api.Planner;

        var response = await planner.PostAsync($"/api/assets/devices?schoolId={Guid.NewGuid()}", Json.Body(AssetsApi.Tablet("GHOST-1")));

        Assert.Equal("school-unknown", (await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "urn:mep:problem:domain-rule"))
            .GetProperty("rule").GetString());
    }
}
