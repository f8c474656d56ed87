using Mep.Contracts.Replication;
using Mep.Contracts.Schools;

namespace Mep.Schools.Tests;

/// <summary>Funding and Staffing learn a school's pupils, teachers and classes from Schools' events, over the broker.</summary>
public sealed class SchoolYearEventsTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task Recording_and_correcting_a_school_year_publishes_its_figures_after_each_change()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<SchoolYearFiguresRecorded>());
        var school = await api.Planner.RegisterSchoolAsync();

        var recorded = await api.PutOkAsync($"/api/schools/{school}/years/2020", new { pupils = 810, teachers = 61, classes = 32 });
        var corrected = await api.PutOkAsync($"/api/schools/{school}/years/2020", new { pupils = 815, teachers = 62, classes = 33 });

        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<SchoolYearFiguresRecorded>().Count(e => e.SchoolId == school) == 2),
            "both figures arrived");
        Assert.Equal(
            [
                new SchoolYearFiguresRecorded(school, 2020, 810, 61, 32, recorded.GetProperty("updatedAt").GetDateTimeOffset()),
                new SchoolYearFiguresRecorded(school, 2020, 815, 62, 33, corrected.GetProperty("updatedAt").GetDateTimeOffset()),
            ],
            listener.Received<SchoolYearFiguresRecorded>().Where(e => e.SchoolId == school));
    }
}

/// <summary>A service that rebuilt its replica asks on the broker, and Schools answers with its whole directory.</summary>
public sealed class ReplicaResyncTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task A_resync_request_on_the_broker_republishes_every_school_and_the_figures_of_every_school_year()
    {
        var first = await api.Planner.RegisterSchoolAsync(name: "GY Resync Eins");
        var second = await api.Planner.RegisterSchoolAsync(name: "GS Resync Zwei", type: "GS");
        await api.PutOkAsync($"/api/schools/{first}/years/2019", new { pupils = 790, teachers = 58, classes = 31 });
        await api.PutOkAsync($"/api/schools/{first}/years/2020", new { pupils = 805, teachers = 60, classes = 32 });
        await api.PutOkAsync($"/api/schools/{second}/years/2020", new { pupils = 240, teachers = 17, classes = 11 });
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<SchoolUpdated>().Keep<SchoolYearFiguresRecorded>());
        await api.ReadyAsync();
        var asked = DateTimeOffset.UtcNow;

        await listener.PublishAsync(new ReplicaResyncRequested(Guid.NewGuid(), "staffing", asked));

        // Only what the resync published: events of the original writes may still be on their way.
        List<SchoolUpdated> Schools() => [.. listener.Received<SchoolUpdated>().Where(e => e.OccurredAt >= asked)];
        List<SchoolYearFiguresRecorded> Years() => [.. listener.Received<SchoolYearFiguresRecorded>().Where(e => e.OccurredAt >= asked)];
        await Eventually.AssertAsync(() => Task.FromResult(Schools().Count == 2 && Years().Count == 3), "both schools and their three school years arrived");
        Assert.Equal([(first, "GY Resync Eins"), (second, "GS Resync Zwei")],
            Schools().Select(e => (e.SchoolId, e.Name)).OrderBy(s => s.Name == "GS Resync Zwei"));
        Assert.Equal([(first, 2019, 790, 58, 31), (first, 2020, 805, 60, 32), (second, 2020, 240, 17, 11)],
            Years().Select(e => (e.SchoolId, e.StartYear, e.Pupils, e.Teachers, e.Classes)).OrderBy(y => y.SchoolId == second).ThenBy(y => y.StartYear));
    }
}
