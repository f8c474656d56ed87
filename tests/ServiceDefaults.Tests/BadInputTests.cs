using System.Net;
using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Tests;

/// <summary>Whatever a client sends, the answer is a problem document that says what was wrong, never a 500.</summary>
public sealed class BadInputTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task Malformed_json_is_a_400_malformed_request_with_its_position()
    {
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw("{\"number\": \"12345\", \"name\": "));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        Assert.Contains("line 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_a_400_naming_the_field()
    {
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw("""{"number": 12345, "name": "GY X"}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        Assert.Equal(["$.number"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_refused_rather_than_converted()
    {
        var id = await api.Planner.RegisterSchoolAsync();

        var response = await api.Planner.PutAsync($"/api/schools/{id}/years/2020", Json.Raw("""{"pupils": "500", "teachers": 40, "classes": 20}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        Assert.Equal(["$.pupils"], problem.ErrorFields());
    }

    [Fact]
    public async Task An_unknown_school_type_is_a_400_naming_the_field()
    {
        var body = SchoolsHttp.SchoolBody(TestSchoolNumbers.Next(), type: "Gymnasium");

        var response = await api.Planner.PostAsync("/api/schools", Json.Body(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        Assert.Equal(["$.type"], problem.ErrorFields());
    }

    [Fact]
    public async Task Missing_fields_are_listed_together_in_one_400()
    {
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw("""{"name": "GY Ohne Nummer", "address": {"city": "Hannover"}}"""));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["address.postalCode", "address.street", "district", "number", "type"], problem.ErrorFields());
    }

    [Fact]
    public async Task An_unknown_field_is_refused_not_ignored()
    {
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw("""
            {"number": "55555", "name": "GY X", "type": "GY", "district": "Mitte",
             "address": {"street": "A 1", "postalCode": "30159", "city": "Hannover"}, "principal": "Frau Muster"}
            """));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        Assert.Equal(["$.principal"], problem.ErrorFields());
        Assert.Equal(0, await api.Database.ScalarAsync<long>("SELECT count(*) FROM schools WHERE number = '55555'"));
    }

    [Fact]
    public async Task A_read_only_field_such_as_id_is_refused()
    {
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw("""
            {"id": "0199d6a4-0000-7000-8000-000000000001", "number": "55556", "name": "GY X", "type": "GY", "district": "Mitte",
             "address": {"street": "A 1", "postalCode": "30159", "city": "Hannover"}}
            """));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
        Assert.Equal(["$.id"], problem.ErrorFields());
    }

    [Fact]
    public async Task Control_characters_such_as_nul_in_text_are_a_400_not_a_database_error()
    {
        var body = SchoolsHttp.SchoolBody(TestSchoolNumbers.Next(), name: "GY Null\u0000Byte");

        var response = await api.Planner.PostAsync("/api/schools", Json.Body(body));

        Assert.Equal(["name"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Theory]
    [InlineData("?search=%00", "search")]
    [InlineData("?district=Mitte%00", "district")]
    [InlineData("?type=RS,GY", "type")]
    [InlineData("?type=1", "type")]
    public async Task List_parameters_with_control_characters_comma_lists_or_numbers_are_refused(string query, string field)
    {
        var response = await api.Planner.GetAsync("/api/schools" + query);

        Assert.Equal([field], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task A_room_kind_given_as_a_comma_list_is_refused_rather_than_read_as_another_kind()
    {
        var id = await api.Planner.RegisterSchoolAsync();

        var response = await api.Planner.GetAsync($"/api/schools/{id}/rooms?kind=computerRoom,staffRoom");

        Assert.Equal(["kind"], (await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation)).ErrorFields());
    }

    [Fact]
    public async Task A_field_given_twice_is_refused()
    {
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw("""{"name": "GY A", "name": "GY B"}"""));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
    }

    [Fact]
    public async Task A_badly_formatted_school_number_and_postal_code_are_validation_errors()
    {
        var body = new
        {
            number = "12a45",
            name = "GY X",
            type = "GY",
            district = "Mitte",
            address = new { street = "A 1", postalCode = "3015", city = "Hannover" },
        };

        var response = await api.Planner.PostAsync("/api/schools", Json.Body(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.Validation);
        Assert.Equal(["address.postalCode", "number"], problem.ErrorFields());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_and_nothing_is_stored()
    {
        var huge = new string('x', 1024 * 1024 + 10);
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw($$"""{"name": "{{huge}}"}"""));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
    }

    [Fact]
    public async Task Json_nested_deeper_than_the_limit_is_refused()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);

        var response = await api.Planner.PostAsync("/api/schools", Json.Raw(deep));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw("number=12345", "application/x-www-form-urlencoded"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
    }

    [Fact]
    public async Task An_empty_body_is_a_400()
    {
        var response = await api.Planner.PostAsync("/api/schools", Json.Raw(""));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ProblemTypes.MalformedRequest);
    }

    [Fact]
    public async Task An_unknown_route_answers_with_a_404_problem()
    {
        await (await api.Planner.GetAsync("/api/schools/not-a-guid/years")).AssertProblemAsync(HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_wrong_method_answers_with_a_405_problem()
    {
        await (await api.Planner.DeleteAsync("/api/schools")).AssertProblemAsync(HttpStatusCode.MethodNotAllowed, ProblemTypes.MethodNotAllowed);
    }
}
