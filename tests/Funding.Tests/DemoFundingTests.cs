using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.Funding.DemoData;

namespace Mep.Funding.Tests;

/// <summary>
/// The demo funding (<c>./mep up</c>) on a small demo-like city: the six measure-4 schools by the council paper's names and six others
/// that may apply (and one without a media concept, which may not). Funding learns them from Schools' events, as in the demo city.
/// </summary>
public sealed class DemoFundingTests(FundingApi api) : IClassFixture<FundingApi>
{
    private static readonly (string Name, SchoolType Type, int Pupils)[] MeasureFour =
    [
        ("GS Am Welfenplatz", SchoolType.GS, 300), ("GS Otfried-Preußler-Schule", SchoolType.GS, 300), ("GY Goetheschule", SchoolType.GY, 1_000),
        ("GY Limmer", SchoolType.GY, 1_000), ("GY Ricarda-Huch-Schule", SchoolType.GY, 1_000), ("IGS Leonore-Goldschmidt-Schule", SchoolType.IGS, 1_200),
    ];

    private static readonly (SchoolType Type, int Pupils, MediaConceptStatus Concept)[] Others =
    [
        (SchoolType.GS, 250, MediaConceptStatus.RequirementProfile), (SchoolType.GY, 900, MediaConceptStatus.FullConcept),
        (SchoolType.OBS, 500, MediaConceptStatus.RequirementProfile), (SchoolType.GS, 200, MediaConceptStatus.RequirementProfile),
        (SchoolType.IGS, 1_100, MediaConceptStatus.FullConcept), (SchoolType.BBS, 2_000, MediaConceptStatus.RequirementProfile),
        (SchoolType.GS, 180, MediaConceptStatus.None),
    ];

    private const string DigitalPakt = "digitalpakt-2019-ni";

    private static readonly SemaphoreSlim Arranging = new(1, 1);
    private static (FundingApi Api, Dictionary<string, TestSchool> MeasureFour, DemoFunding.Result First)? _seeded;

    /// <summary>The numbers of the schools arranged as the demo city (the seed waits for these).</summary>
    private static List<string> _numbers = [];

    /// <summary>The tests share one database (the class fixture) and read totals over it: the city is set up and seeded once.</summary>
    private async Task<(Dictionary<string, TestSchool> MeasureFour, DemoFunding.Result First)> SeededAsync()
    {
        await Arranging.WaitAsync();
        try
        {
            if (_seeded is not { } seeded || seeded.Api != api)
            {
                var measureFour = new Dictionary<string, TestSchool>(StringComparer.Ordinal);
                var all = new List<TestSchool>();
                foreach (var (name, type, pupils) in MeasureFour)
                {
                    measureFour[name] = await api.SchoolAsync(type, new Dictionary<int, int> { [2019] = pupils }, name: name);
                    all.Add(measureFour[name]);
                }

                foreach (var (type, pupils, concept) in Others)
                {
                    all.Add(await api.SchoolAsync(type, new Dictionary<int, int> { [2019] = pupils }, concept));
                }

                _numbers = all.ConvertAll(s => s.Number);
                seeded = (api, measureFour, await SeedAsync(_numbers));
                _seeded = seeded;
            }

            return (seeded.MeasureFour, seeded.First);
        }
        finally
        {
            Arranging.Release();
        }
    }

    private async Task<DemoFunding.Result> SeedAsync(IReadOnlyCollection<string> schools)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var demo = scope.ServiceProvider.GetRequiredService<DemoFunding>();
        await demo.WaitForSchoolsAsync(schools, TimeSpan.FromSeconds(30), CancellationToken.None);
        return await demo.SeedAsync(CancellationToken.None);
    }

    private static string InSchools(IEnumerable<TestSchool> schools) => string.Join(", ", schools.Select(s => $"'{s.Id}'"));

    [Fact]
    public async Task The_measure_four_applications_are_approved_for_exactly_the_783_960_of_digitalpakt_funds_the_council_paper_uses()
    {
        var (measureFour, first) = await SeededAsync();
        var atMeasureFour = $"programme_code = '{DigitalPakt}' AND school_id IN ({InSchools(measureFour.Values)})";

        Assert.Equal(783_960.00m, await api.Database.ScalarAsync<decimal>($"SELECT sum(approved_amount) FROM applications WHERE {atMeasureFour}"));
        Assert.Equal((653_300.00m, 130_660.00m), (await api.Database.ScalarAsync<decimal>($"SELECT sum(planned_amount) FROM applications WHERE {atMeasureFour}"),
            await api.Database.ScalarAsync<decimal>($"SELECT sum(surcharge_amount) FROM applications WHERE {atMeasureFour}")));
        Assert.Equal((11, 783_960.00m, 392_430.00m, 427_950.50m),
            (first.MeasureFourApplications, first.MeasureFourApproved, first.MeasureFourDrawn, first.MeasureFourSpent));
        Assert.Equal("Approved=3 Completed=1 InProgress=6 Settled=1", await api.Database.ScalarAsync<string>(
            $"SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (SELECT status, count(*) AS n FROM applications WHERE {atMeasureFour} GROUP BY status) s"));
        Assert.Equal("DisplayDevices Networking SchoolWlan", await api.Database.ScalarAsync<string>(
            $"SELECT string_agg(DISTINCT category, ' ' ORDER BY category) FROM applications WHERE {atMeasureFour}"));
        Assert.Equal(0, await Measures.CountAsync(api, "applications",
            $"{atMeasureFour} AND (submitted_on NOT BETWEEN '2020-01-01' AND '2021-12-31' OR approved_on IS NULL OR drawn_amount > approved_amount)"));

        // The settled one went the whole way on its days, with the proof of use before settlement, and its school has the full concept.
        var settled = await api.Database.ScalarAsync<Guid>($"SELECT id FROM applications WHERE {atMeasureFour} AND status = 'Settled'");
        var application = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/applications/{settled}");
        Assert.Equal(["draft", "submitted", "approved", "inProgress", "completed", "settled"],
            application.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()));
        Assert.Equal(measureFour["GS Am Welfenplatz"].Id, application.GetProperty("schoolId").GetGuid());
        var proof = application.GetProperty("proofOfUse");
        Assert.Equal(("2021-09-15", 51_000.00m, 51_000.00m, "2021-11-30"), (proof.GetProperty("submittedOn").GetString(),
            proof.GetProperty("spentTotal").GetDecimal(), application.GetProperty("drawnAmount").GetDecimal(), application.GetProperty("settledOn").GetString()));
    }

    [Fact]
    public async Task The_per_pupil_shares_are_the_proposal_and_add_up_to_the_pool_of_17_216_836_to_the_cent()
    {
        var (_, first) = await SeededAsync();

        var proposal = await FundingApi.SendOkAsync(api.Finance, HttpMethod.Post, $"/api/funding/programmes/{DigitalPakt}/allocations/per-pupil-share/proposal", new { });
        var allocations = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/programmes/{DigitalPakt}/allocations");

        Assert.True(first.SharesApplied);
        Assert.Equal(17_216_836.00m, await api.Database.ScalarAsync<decimal>(
            $"SELECT sum(per_pupil_share) FROM allocations WHERE programme_code = '{DigitalPakt}'"));
        var perPupil = allocations.GetProperty("poolCheck").GetProperty("perPupilShare");
        Assert.Equal((17_216_836.00m, 17_216_836.00m, 0.00m), (perPupil.GetProperty("pool").GetDecimal(), perPupil.GetProperty("allocated").GetDecimal(),
            perPupil.GetProperty("difference").GetDecimal()));
        var stored = allocations.GetProperty("schools").EnumerateArray().ToDictionary(s => s.GetProperty("schoolId").GetGuid(),
            s => s.GetProperty("perPupilShare").GetDecimal());
        var proposed = proposal.GetProperty("shares").EnumerateArray().ToDictionary(s => s.GetProperty("schoolId").GetGuid(), s => s.GetProperty("amount").GetDecimal());
        Assert.Equal(proposed.OrderBy(p => p.Key), stored.OrderBy(p => p.Key));
        Assert.Equal(13, proposed.Count);
    }

    [Fact]
    public async Task The_report_shows_the_seeded_approved_drawn_and_spent_sums_and_the_open_money_at_risk()
    {
        var (measureFour, _) = await SeededAsync();

        var report = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/reports/schools?programme={DigitalPakt}");

        // Measure 4 plus the completed mobile-device measure (24,000.00 approved, 23,850.00 drawn and spent) at another school.
        var totals = report.GetProperty("totals");
        Assert.Equal((807_960.00m, 416_280.00m, 451_800.50m, 803_800.00m),
            (totals.GetProperty("approved").GetDecimal(), totals.GetProperty("drawn").GetDecimal(), totals.GetProperty("spent").GetDecimal(),
                totals.GetProperty("applied").GetDecimal()));
        Assert.Equal(13 * 30_000.00m + 17_216_836.00m, totals.GetProperty("allocated").GetDecimal());
        var schools = report.GetProperty("schools").EnumerateArray().ToList();
        Assert.Equal(130_500.00m, schools.Sum(s => s.GetProperty("pendingApproval").GetDecimal()));
        var goethe = schools.Single(s => s.GetProperty("schoolId").GetGuid() == measureFour["GY Goetheschule"].Id);
        Assert.Equal((195_600.00m, 130_000.00m, 139_800.50m, 2), (goethe.GetProperty("approved").GetDecimal(), goethe.GetProperty("drawn").GetDecimal(),
            goethe.GetProperty("spent").GetDecimal(), goethe.GetProperty("applications").GetInt32()));
        // Viewed after DigitalPakt's settlement day, the approved money not drawn has lapsed.
        var risk = goethe.GetProperty("risks").EnumerateArray().Single(r => r.GetProperty("deadline").GetString() == "settlementUntil");
        Assert.Equal((65_600.00m, true), (risk.GetProperty("amount").GetDecimal(), risk.GetProperty("lapsed").GetBoolean()));

        var city = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/reports/schools?programme={DemoFunding.CityBudget}");
        Assert.Equal((58_200.00m, 52_418.60m, 2), (city.GetProperty("totals").GetProperty("approved").GetDecimal(),
            city.GetProperty("totals").GetProperty("drawn").GetDecimal(), city.GetProperty("schools").EnumerateArray().Sum(s => s.GetProperty("applications").GetInt32())));
    }

    [Fact]
    public async Task A_second_run_adds_nothing_and_every_step_left_its_history_audit_row_and_event()
    {
        var (_, first) = await SeededAsync();
        var before = await CountsAsync();

        var second = await SeedAsync(_numbers);

        Assert.Equal((18, 18), (first.ApplicationsCreated, first.DemoApplications));
        Assert.Equal((false, 0, 18, 783_960.00m), (second.SharesApplied, second.ApplicationsCreated, second.DemoApplications, second.MeasureFourApproved));
        Assert.Equal(before, await CountsAsync());
        Assert.Equal((14L, 13L), (await Measures.CountAsync(api, "expenditures"), await Measures.CountAsync(api, "draws")));
        Assert.Equal(13L, await Measures.CountAsync(api, "outbox_messages", "message_type = 'Mep.Contracts.Funding.FundsDrawn'"));
        Assert.Equal(await Measures.CountAsync(api, "application_status_changes", "from_status IS NOT NULL"),
            await Measures.CountAsync(api, "outbox_messages", "message_type = 'Mep.Contracts.Funding.ApplicationStatusChanged'"));
        Assert.Equal(0, await Measures.CountAsync(api, "audit_entries", "actor = 'demo-seed' AND at > now()"));
    }

    private async Task<string> CountsAsync()
    {
        var tables = new[] { "applications", "application_status_changes", "expenditures", "draws", "audit_entries", "outbox_messages", "allocations" };
        var counts = new List<string>();
        foreach (var table in tables)
        {
            counts.Add($"{table}={await Measures.CountAsync(api, table)}");
        }

        counts.Add($"allocationSet={await api.Database.ScalarAsync<string>($"SELECT updated_at::text FROM allocation_sets WHERE programme_code = '{DigitalPakt}'")}");
        return string.Join(" ", counts);
    }
}
