using System.Net;
using Mep.Contracts.Replication;
using Mep.Contracts.Schools;

namespace Mep.Schools.Tests;

/// <summary>Funding learns how far each school's media education concept is from Schools' events, over the broker.</summary>
public sealed class MediaConceptEventsTests(SchoolsApi api) : IClassFixture<SchoolsApi>
{
    [Fact]
    public async Task Recording_and_changing_a_media_concept_publishes_its_state_after_each_change_and_a_refused_one_publishes_nothing()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<MediaConceptRecorded>());
        var school = await api.Planner.RegisterSchoolAsync();

        var profile = await api.PutOkAsync($"/api/schools/{school}/media-concept", new { status = "requirementProfile", dated = "2021-02-01" });
        var refused = await api.Planner.PutAsync($"/api/schools/{school}/media-concept", Json.Body(new { status = "fullConcept", dated = (string?)null }));
        var full = await api.PutOkAsync($"/api/schools/{school}/media-concept", new { status = "fullConcept", dated = "2022-05-10" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<MediaConceptRecorded>().Count(e => e.SchoolId == school) == 2),
            "both concepts arrived");
        Assert.Equal(
            [
                new MediaConceptRecorded(school, MediaConceptStatus.RequirementProfile, new DateOnly(2021, 2, 1), profile.GetProperty("updatedAt").GetDateTimeOffset()),
                new MediaConceptRecorded(school, MediaConceptStatus.FullConcept, new DateOnly(2022, 5, 10), full.GetProperty("updatedAt").GetDateTimeOffset()),
            ],
            listener.Received<MediaConceptRecorded>().Where(e => e.SchoolId == school));
        Assert.Equal(2, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Schools.MediaConceptRecorded' AND aggregate_id = '{school}'"));
    }

    [Fact]
    public async Task A_resync_request_on_the_broker_republishes_the_media_concept_of_every_school_none_included()
    {
        var withConcept = await api.Planner.RegisterSchoolAsync(name: "GY Konzept");
        var without = await api.Planner.RegisterSchoolAsync(name: "GS Ohne Konzept", type: "GS");
        await api.PutOkAsync($"/api/schools/{withConcept}/media-concept", new { status = "fullConcept", dated = "2021-09-30" });
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<MediaConceptRecorded>());
        await api.ReadyAsync();
        var asked = DateTimeOffset.UtcNow;

        await listener.PublishAsync(new ReplicaResyncRequested(Guid.NewGuid(), "funding", asked));

        // Only what the resync published about these two schools: the recording's own event may still be on its way.
        List<MediaConceptRecorded> Republished() =>
            [.. listener.Received<MediaConceptRecorded>().Where(e => e.OccurredAt >= asked && (e.SchoolId == withConcept || e.SchoolId == without))];
        await Eventually.AssertAsync(() => Task.FromResult(Republished().Count == 2), "both schools' concepts arrived");
        Assert.Equal(
            [(withConcept, MediaConceptStatus.FullConcept, (DateOnly?)new DateOnly(2021, 9, 30)), (without, MediaConceptStatus.None, null)],
            Republished().Select(e => (e.SchoolId, e.Status, e.Dated)).OrderBy(e => e.SchoolId == without));
    }
}
