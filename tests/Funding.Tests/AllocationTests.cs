using System.Net;
using System.Text.Json;
using Mep.Contracts;
using Mep.Contracts.Schools;

namespace Mep.Funding.Tests;

public sealed class AllocationTests(FundingApi api) : IClassFixture<FundingApi>
{
    private const string DigitalPakt = "/api/funding/programmes/digitalpakt-2019-ni";
    private const string DomainRule = "urn:mep:problem:domain-rule";

    [Fact]
    public async Task Ninety_nine_schools_with_sixty_or_more_pupils_give_a_base_total_of_2_970_000_and_a_school_of_55_pupils_gets_27_500()
    {
        // A city of its own: the totals are over every school Funding knows.
        var city = new FundingApi();
        await ((IAsyncLifetime)city).InitializeAsync();
        try
        {
            // Eight at a time: 99 schools each polling for its events at once exhausted the test server's connections.
            await Parallel.ForEachAsync(Enumerable.Range(0, 99), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, _) => await city.SchoolAsync(pupilsByStartYear: new Dictionary<int, int> { [2019] = 60 + (i * 13) }));

            var allocations = await FundingApi.GetOkAsync(city.Finance, $"{DigitalPakt}/allocations");

            Assert.Equal(2_970_000.00m, allocations.GetProperty("totals").GetProperty("baseAmount").GetDecimal());
            Assert.Equal((99, 99, 2_970_000.00m), (allocations.GetProperty("poolCheck").GetProperty("schools").GetInt32(),
                allocations.GetProperty("poolCheck").GetProperty("schoolsWithBase").GetInt32(),
                allocations.GetProperty("poolCheck").GetProperty("baseTotal").GetDecimal()));

            var small = await city.SchoolAsync(pupilsByStartYear: new Dictionary<int, int> { [2019] = 55 });
            var withoutFigures = await city.SchoolAsync(pupilsByStartYear: new Dictionary<int, int> { [2018] = 400 });
            allocations = await FundingApi.GetOkAsync(city.Finance, $"{DigitalPakt}/allocations");

            var smallRow = Row(allocations, small.Id);
            Assert.Equal((27_500.00m, 55, false), (smallRow.GetProperty("baseAmount").GetDecimal(), smallRow.GetProperty("basePupils").GetInt32(),
                smallRow.GetProperty("baseMissing").GetBoolean()));
            var missingRow = Row(allocations, withoutFigures.Id);
            Assert.Equal((0.00m, JsonValueKind.Null, true), (missingRow.GetProperty("baseAmount").GetDecimal(),
                missingRow.GetProperty("basePupils").ValueKind, missingRow.GetProperty("baseMissing").GetBoolean()));
            Assert.Equal([withoutFigures.Id], allocations.GetProperty("poolCheck").GetProperty("schoolsMissingBase").EnumerateArray().Select(e => e.GetGuid()));
            Assert.Equal(2_997_500.00m, allocations.GetProperty("totals").GetProperty("baseAmount").GetDecimal());
            var stored = await city.Database.ScalarAsync<decimal>(
                "SELECT sum(base_amount + per_pupil_share) FROM allocations WHERE programme_code = 'digitalpakt-2019-ni'");
            Assert.Equal(2_997_500.00m, stored);
        }
        finally
        {
            await ((IAsyncLifetime)city).DisposeAsync();
        }
    }

    [Fact]
    public async Task Corrected_pupil_figures_recompute_the_base_amount_with_an_audit_row()
    {
        var school = await api.SchoolAsync(pupilsByStartYear: new Dictionary<int, int> { [2019] = 600 });
        Assert.Equal(30_000.00m, await BaseOfAsync(school.Id));

        await api.PublishAsync(new SchoolYearFiguresRecorded(school.Id, 2019, 50, 5, 2, DateTimeOffset.UtcNow.AddMinutes(1)));

        await Eventually.AssertAsync(async () => await BaseOfAsync(school.Id) == 25_000.00m, "the base follows the corrected 50 pupils");
        var own = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/schools/{school.Id}/allocations");
        var digitalPakt = own.GetProperty("programmes").EnumerateArray().Single(p => p.GetProperty("programmeCode").GetString() == "digitalpakt-2019-ni");
        Assert.Equal((50, 25_000.00m, true), (digitalPakt.GetProperty("basePupils").GetInt32(), digitalPakt.GetProperty("baseAmount").GetDecimal(),
            digitalPakt.GetProperty("baseBoundToSchool").GetBoolean()));
        var audit = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/audit?entity=allocation&schoolId={school.Id}");
        Assert.Equal([25_000.00m, 30_000.00m], audit.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "baseRecomputed")
            .Select(e => e.GetProperty("details").GetProperty("baseAmount").GetDecimal()));
    }

    [Fact]
    public async Task A_per_pupil_distribution_that_misses_the_pool_is_stored_and_shown_with_the_exact_difference()
    {
        var (a, b, c) = (await api.SchoolAsync(), await api.SchoolAsync(SchoolType.GS), await api.SchoolAsync(SchoolType.BBS));
        var etag = await AllocationSetETagAsync();

        var response = await FundingApi.SendAsync(api.Finance, HttpMethod.Put, $"{DigitalPakt}/allocations/per-pupil-share",
            Distribution((a.Id, 10_000_000.00m), (b.Id, 7_000_000.00m), (c.Id, 216_835.50m)), etag);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var allocations = await response.ReadJsonAsync();

        var perPupil = allocations.GetProperty("poolCheck").GetProperty("perPupilShare");
        Assert.Equal((17_216_836.00m, 17_216_835.50m, -0.50m), (perPupil.GetProperty("pool").GetDecimal(), perPupil.GetProperty("allocated").GetDecimal(),
            perPupil.GetProperty("difference").GetDecimal()));
        var printed = allocations.GetProperty("poolCheck").GetProperty("publishedFigures").EnumerateArray()
            .Where(f => f.GetProperty("figure").GetString() == "perPupilShare")
            .Select(f => (f.GetProperty("printed").GetDecimal(), f.GetProperty("differenceToConfigured").GetDecimal(),
                f.GetProperty("differenceToComputed").GetDecimal()))
            .ToList();
        Assert.Equal([(17_286_836.00m, 70_000.00m, 70_000.50m), (17_216_800.00m, -36.00m, -35.50m)], printed);
        var programme = allocations.GetProperty("poolCheck").GetProperty("programme");
        Assert.Equal(programme.GetProperty("allocated").GetDecimal() - 20_186_836.00m, programme.GetProperty("difference").GetDecimal());
        Assert.Equal(216_835.50m, Row(allocations, c.Id).GetProperty("perPupilShare").GetDecimal());

        allocations = await FundingApi.SendOkAsync(api.Finance, HttpMethod.Put, $"{DigitalPakt}/allocations/per-pupil-share",
            Distribution((a.Id, 10_000_000.00m), (b.Id, 7_000_000.00m), (c.Id, 216_836.01m)), response.Headers.ETag!.Tag);

        Assert.Equal(0.01m, allocations.GetProperty("poolCheck").GetProperty("perPupilShare").GetProperty("difference").GetDecimal());
    }

    [Fact]
    public async Task Replacing_the_distribution_needs_the_current_etag_of_the_allocation_set()
    {
        var school = await api.SchoolAsync();
        var stale = await AllocationSetETagAsync();
        await FundingApi.SendOkAsync(api.Finance, HttpMethod.Put, $"{DigitalPakt}/allocations/per-pupil-share", Distribution((school.Id, 1.00m)), stale);

        var withoutIfMatch = await FundingApi.SendAsync(api.Finance, HttpMethod.Put, $"{DigitalPakt}/allocations/per-pupil-share",
            Distribution((school.Id, 2.00m)));
        var withStale = await FundingApi.SendAsync(api.Finance, HttpMethod.Put, $"{DigitalPakt}/allocations/per-pupil-share",
            Distribution((school.Id, 2.00m)), stale);

        await withoutIfMatch.AssertProblemAsync(HttpStatusCode.PreconditionRequired, "urn:mep:problem:precondition-required");
        await withStale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "urn:mep:problem:precondition-failed");
        Assert.Equal(1.00m, Row(await FundingApi.GetOkAsync(api.Finance, $"{DigitalPakt}/allocations"), school.Id).GetProperty("perPupilShare").GetDecimal());
    }

    [Fact]
    public async Task The_proposal_distributes_the_pool_by_weighted_pupils_to_the_cent()
    {
        var (primary, grammar, vocational) = await ThreeSchoolsOfDifferentWeightsAsync();

        var proposal = await ProposePerPupilShareAsync();

        var amounts = proposal.GetProperty("schools").EnumerateArray().Select(s => s.GetProperty("amount").GetDecimal()).ToList();
        Assert.Equal(17_216_836.00m, amounts.Sum());
        Assert.Equal((17_216_836.00m, 0.00m), (proposal.GetProperty("total").GetDecimal(), proposal.GetProperty("difference").GetDecimal()));
        Assert.All(amounts, amount => Assert.Equal(decimal.Round(amount, 2), amount));
        var proposed = ProposedBySchool(proposal);
        Assert.Equal((166.5m, 777.0m, 400.4m), (proposed[primary.Id].GetProperty("weightedPupils").GetDecimal(),
            proposed[grammar.Id].GetProperty("weightedPupils").GetDecimal(), proposed[vocational.Id].GetProperty("weightedPupils").GetDecimal()));
        Assert.True(Math.Abs((proposed[primary.Id].GetProperty("amount").GetDecimal() * 777.0m / 166.5m) - proposed[grammar.Id].GetProperty("amount").GetDecimal()) < 0.05m);
    }

    [Fact]
    public async Task A_proposal_stores_nothing()
    {
        await ThreeSchoolsOfDifferentWeightsAsync();
        var before = await AllocationSetETagAsync();

        await ProposePerPupilShareAsync();

        Assert.Equal(before, await AllocationSetETagAsync());
    }

    [Fact]
    public async Task Applying_a_proposal_stores_its_amounts_and_leaves_no_difference_to_the_pool()
    {
        var (_, grammar, _) = await ThreeSchoolsOfDifferentWeightsAsync();
        var before = await AllocationSetETagAsync();
        var proposal = await ProposePerPupilShareAsync();

        var applied = await FundingApi.SendOkAsync(api.Finance, HttpMethod.Put, $"{DigitalPakt}/allocations/per-pupil-share",
            new { shares = proposal.GetProperty("shares"), reason = "Land weights" }, before);

        Assert.Equal(0.00m, applied.GetProperty("poolCheck").GetProperty("perPupilShare").GetProperty("difference").GetDecimal());
        Assert.Equal(ProposedBySchool(proposal)[grammar.Id].GetProperty("amount").GetDecimal(), Row(applied, grammar.Id).GetProperty("perPupilShare").GetDecimal());
    }

    /// <summary>A primary school, a grammar school and a vocational school, whose pupils weigh 0.5, 1.0 and 0.4 in the per-pupil share.</summary>
    private async Task<(TestSchool Primary, TestSchool Grammar, TestSchool Vocational)> ThreeSchoolsOfDifferentWeightsAsync() =>
        (await api.SchoolAsync(SchoolType.GS, new Dictionary<int, int> { [2019] = 333 }),
            await api.SchoolAsync(SchoolType.GY, new Dictionary<int, int> { [2019] = 777 }),
            await api.SchoolAsync(SchoolType.BBS, new Dictionary<int, int> { [2019] = 1_001 }));

    private Task<JsonElement> ProposePerPupilShareAsync() =>
        FundingApi.SendOkAsync(api.Finance, HttpMethod.Post, $"{DigitalPakt}/allocations/per-pupil-share/proposal", new { });

    private static Dictionary<Guid, JsonElement> ProposedBySchool(JsonElement proposal) =>
        proposal.GetProperty("schools").EnumerateArray().ToDictionary(s => s.GetProperty("schoolId").GetGuid());

    [Fact]
    public async Task Moving_base_money_to_another_school_is_refused_naming_the_rule_and_nothing_is_stored()
    {
        var (from, to) = (await api.SchoolAsync(), await api.SchoolAsync());
        var auditBefore = await AuditCountAsync(from.Id);
        var etagBefore = await AllocationSetETagAsync();

        var response = await FundingApi.SendAsync(api.Finance, HttpMethod.Post, $"{DigitalPakt}/allocations/transfers",
            new { fromSchoolId = from.Id, toSchoolId = to.Id, pot = "base", amount = 10_000.00m, reason = "WLAN at the other site" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, DomainRule);
        Assert.Equal("base-amount-bound-to-school", problem.GetProperty("rule").GetString());
        Assert.Equal((30_000.00m, 30_000.00m), (await BaseOfAsync(from.Id), await BaseOfAsync(to.Id)));
        Assert.Equal(auditBefore, await AuditCountAsync(from.Id));
        Assert.Equal(1, await AuditCountAsync(to.Id));
        Assert.Equal(etagBefore, await AllocationSetETagAsync());
    }

    /// <summary>Two schools; the first holds a per-pupil share of 1,000.00, the second none.</summary>
    private async Task<(TestSchool From, TestSchool To)> ShareOfAThousandAsync()
    {
        var (from, to) = (await api.SchoolAsync(), await api.SchoolAsync());
        await FundingApi.SendOkAsync(api.Finance, HttpMethod.Put, $"{DigitalPakt}/allocations/per-pupil-share",
            Distribution((from.Id, 1_000.00m), (to.Id, 0.00m)), await AllocationSetETagAsync());
        return (from, to);
    }

    private Task<JsonElement> MoveAsync(TestSchool from, TestSchool to) =>
        FundingApi.SendOkAsync(api.Finance, HttpMethod.Post, $"{DigitalPakt}/allocations/transfers",
            new { fromSchoolId = from.Id, toSchoolId = to.Id, pot = "perPupilShare", amount = 400.25m, reason = "Boards for the new wing" });

    [Fact]
    public async Task Per_pupil_share_moves_between_schools_with_an_audit_row()
    {
        var (from, to) = await ShareOfAThousandAsync();

        var moved = await MoveAsync(from, to);

        Assert.Equal((599.75m, 400.25m), (moved.GetProperty("from").GetProperty("perPupilShare").GetDecimal(),
            moved.GetProperty("to").GetProperty("perPupilShare").GetDecimal()));
        Assert.Equal(30_400.25m, moved.GetProperty("to").GetProperty("total").GetDecimal());
        var audit = await FundingApi.GetOkAsync(api.Finance, $"/api/funding/audit?entity=allocation&schoolId={to.Id}");
        var transferIn = audit.GetProperty("items").EnumerateArray().First();
        Assert.Equal(("transferredIn", "finance-frida", 400.25m, "Boards for the new wing"), (transferIn.GetProperty("action").GetString(),
            transferIn.GetProperty("actor").GetString(), transferIn.GetProperty("details").GetProperty("amount").GetDecimal(),
            transferIn.GetProperty("details").GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Per_pupil_share_never_moves_below_zero()
    {
        var (from, to) = await ShareOfAThousandAsync();
        await MoveAsync(from, to);

        var tooMuch = await FundingApi.SendAsync(api.Finance, HttpMethod.Post, $"{DigitalPakt}/allocations/transfers",
            new { fromSchoolId = from.Id, toSchoolId = to.Id, pot = "perPupilShare", amount = 599.76m, reason = "More" });

        var problem = await tooMuch.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, DomainRule);
        Assert.Equal(("allocation-insufficient", 599.75m), (problem.GetProperty("rule").GetString(), problem.GetProperty("available").GetDecimal()));
        var after = await FundingApi.GetOkAsync(api.Finance, $"{DigitalPakt}/allocations");
        Assert.Equal((599.75m, 400.25m), (Row(after, from.Id).GetProperty("perPupilShare").GetDecimal(), Row(after, to.Id).GetProperty("perPupilShare").GetDecimal()));
    }

    [Fact]
    public async Task A_school_key_reads_its_own_allocations_and_another_school_answers_404()
    {
        var (own, other) = (await api.SchoolAsync(pupilsByStartYear: new Dictionary<int, int> { [2019] = 42 }), await api.SchoolAsync());
        var client = api.ClientFor(own);

        var mine = await FundingApi.GetOkAsync(client, $"/api/funding/schools/{own.Id}/allocations");
        var others = await client.GetAsync($"/api/funding/schools/{other.Id}/allocations");
        var programmeWide = await client.GetAsync($"{DigitalPakt}/allocations");

        var digitalPakt = mine.GetProperty("programmes").EnumerateArray().Single(p => p.GetProperty("programmeCode").GetString() == "digitalpakt-2019-ni");
        Assert.Equal((21_000.00m, 42), (digitalPakt.GetProperty("baseAmount").GetDecimal(), digitalPakt.GetProperty("basePupils").GetInt32()));
        await others.AssertProblemAsync(HttpStatusCode.NotFound, "urn:mep:problem:not-found");
        Assert.Equal(HttpStatusCode.Forbidden, programmeWide.StatusCode);
    }

    [Fact]
    public async Task A_bad_per_pupil_distribution_answers_400_naming_each_field()
    {
        var school = await api.SchoolAsync();
        var etag = await AllocationSetETagAsync();

        var distribution = await FundingApi.SendAsync(api.Finance, HttpMethod.Put, $"{DigitalPakt}/allocations/per-pupil-share",
            new { shares = new object?[] { new { schoolId = school.Id, amount = 0.001m }, new { amount = 5m }, null, new { schoolId = school.Id, amount = -1m } } },
            etag);

        Assert.Equal(["shares[0].amount", "shares[1].schoolId", "shares[2]", "shares[3].amount", "shares[3].schoolId"],
            (await distribution.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
    }

    [Fact]
    public async Task A_bad_transfer_answers_400_naming_each_field()
    {
        var school = await api.SchoolAsync();

        var transfer = await FundingApi.SendAsync(api.Finance, HttpMethod.Post, $"{DigitalPakt}/allocations/transfers",
            new { fromSchoolId = school.Id, toSchoolId = school.Id, pot = "perPupilShare", amount = 0m });
        var unknownPot = await FundingApi.SendAsync(api.Finance, HttpMethod.Post, $"{DigitalPakt}/allocations/transfers",
            new { fromSchoolId = school.Id, toSchoolId = Guid.NewGuid(), pot = "everything", amount = 5m, reason = "x" });

        Assert.Equal(["amount", "reason", "toSchoolId"], (await transfer.AssertProblemAsync(HttpStatusCode.BadRequest, "urn:mep:problem:validation")).ErrorFields());
        Assert.Equal(HttpStatusCode.BadRequest, unknownPot.StatusCode);
    }

    private static object Distribution(params (Guid SchoolId, decimal Amount)[] shares) =>
        new { shares = shares.Select(s => new { schoolId = s.SchoolId, amount = s.Amount }), reason = "Council decision" };

    private static JsonElement Row(JsonElement allocations, Guid schoolId) =>
        allocations.GetProperty("schools").EnumerateArray().Single(s => s.GetProperty("schoolId").GetGuid() == schoolId);

    private async Task<string> AllocationSetETagAsync()
    {
        var response = await api.Finance.GetAsync($"{DigitalPakt}/allocations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.ETag!.Tag;
    }

    private async Task<decimal> BaseOfAsync(Guid schoolId) =>
        Row(await FundingApi.GetOkAsync(api.Finance, $"{DigitalPakt}/allocations"), schoolId).GetProperty("baseAmount").GetDecimal();

    private Task<long> AuditCountAsync(Guid schoolId) =>
        api.Database.ScalarAsync<long>($"SELECT count(*) FROM audit_entries WHERE school_id = '{schoolId}'");
}
