using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Mep.OutsideIn.Tests;

/// <summary>
/// The platform as a school's software, a service desk, finance or an attacker meets it: every operation of every service's OpenAPI
/// document gets bad input of each kind. Whatever comes, no answer is a 5xx (or none at all), every 4xx is an RFC 9457 problem
/// document, and afterwards the ordinary reads of every service succeed 100 times in a row. A failing test lists every offending
/// request of its service and kind with the operation, the request and the answer (and the server's log line for a 5xx).
/// </summary>
public sealed class NegativeSuiteTests(OutsideInPlatform platform, ITestOutputHelper output) : IClassFixture<OutsideInPlatform>
{
    public static TheoryData<string> Services => [.. PlatformServices.Names];

    [Theory, MemberData(nameof(Services))]
    public void Malformed_json_bodies_get_a_problem_document_and_never_a_5xx(string service) => Judge(service, AttackClass.MalformedJson);

    [Theory, MemberData(nameof(Services))]
    public void Values_of_the_wrong_type_get_a_problem_document_and_never_a_5xx(string service) => Judge(service, AttackClass.WrongTypes);

    [Theory, MemberData(nameof(Services))]
    public void Missing_unknown_and_read_only_fields_get_a_problem_document_and_never_a_5xx(string service) =>
        Judge(service, AttackClass.MissingAndUnknownFields);

    [Theory, MemberData(nameof(Services))]
    public void Oversize_strings_arrays_and_bodies_get_a_problem_document_and_never_a_5xx(string service) => Judge(service, AttackClass.Oversize);

    [Theory, MemberData(nameof(Services))]
    public void Control_characters_in_bodies_paths_and_queries_get_a_problem_document_and_never_a_5xx(string service) =>
        Judge(service, AttackClass.ControlCharacters);

    [Theory, MemberData(nameof(Services))]
    public void Bad_guids_get_a_problem_document_and_never_a_5xx(string service) => Judge(service, AttackClass.BadGuids);

    [Theory, MemberData(nameof(Services))]
    public void Impossible_dates_and_date_ranges_get_a_problem_document_and_never_a_5xx(string service) => Judge(service, AttackClass.ImpossibleDates);

    [Theory, MemberData(nameof(Services))]
    public void Out_of_range_numbers_get_a_problem_document_and_never_a_5xx(string service) => Judge(service, AttackClass.OutOfRangeNumbers);

    [Theory, MemberData(nameof(Services))]
    public void Garbage_query_parameters_get_a_problem_document_and_never_a_5xx(string service) => Judge(service, AttackClass.GarbageQueryParameters);

    [Theory, MemberData(nameof(Services))]
    public void Path_parameters_of_the_wrong_shape_get_a_problem_document_and_never_a_5xx(string service) =>
        Judge(service, AttackClass.WrongShapePathParameters);

    [Theory, MemberData(nameof(Services))]
    public void After_the_attacks_the_ordinary_reads_succeed_100_times_in_a_row(string service)
    {
        var campaign = platform.Campaigns[service];
        output.WriteLine($"{service}: {campaign.Reads.Count} reads of {campaign.ReadBaselines.Count} operations in {campaign.ReadTime.TotalSeconds:0.0} s; {platform.Replay}");
        Assert.NotEmpty(campaign.ReadBaselines);
        Assert.Equal(Campaign.ReadsInARow, campaign.Reads.Count);
        var failed = campaign.Reads.Where(r => !r.Succeeded).ToList();
        Assert.True(failed.Count == 0, Report($"{service}: {failed.Count} of {campaign.Reads.Count} ordinary reads after the attacks failed", failed));
    }

    private void Judge(string service, AttackClass attack)
    {
        var campaign = platform.Campaigns[service];
        var sent = campaign.Attacks.Where(o => o.Request.Class == attack).ToList();
        var attacked = sent.Select(o => o.Request.Operation).Distinct().Count();
        output.WriteLine($"{service}, {attack}: {sent.Count} requests to {attacked} of {campaign.Operations.Count} operations; "
            + $"{campaign.Attacks.Count} attack requests on {service} in {campaign.AttackTime.TotalSeconds:0.0} s; {platform.Replay}");
        foreach (var note in campaign.Notes)
        {
            output.WriteLine($"  note: {note}");
        }

        foreach (var status in sent.GroupBy(o => o.Status?.ToString(CultureInfo.InvariantCulture) ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {status.Key}: {status.Count()}");
        }

        var offending = sent.Where(o => o.Offence is not null).ToList();
        Assert.True(offending.Count == 0, Report($"{service}: {offending.Count} of {sent.Count} requests ({attack}) were answered wrongly", offending));
    }

    private string Report(string headline, List<Outcome> outcomes)
    {
        var text = new StringBuilder($"{headline} ({platform.Replay}):\n");
        foreach (var outcome in outcomes.Take(40))
        {
            text.Append(outcome.Describe());
        }

        if (outcomes.Count > 40)
        {
            text.Append(CultureInfo.InvariantCulture, $"... and {outcomes.Count - 40} more\n");
        }

        return text.ToString();
    }
}
