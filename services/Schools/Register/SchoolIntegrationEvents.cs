using Mep.Contracts.Schools;
using Mep.Schools.ApiKeys;
using Mep.Schools.Buildings;
using Mep.Schools.Data;
using Mep.Schools.SchoolYears;
using Mep.Messaging;

namespace Mep.Schools.Register;

/// <summary>What the Schools service tells the others, recorded in its outbox with the change itself.</summary>
public static class SchoolIntegrationEvents
{
    public static void SchoolRegistered(this SchoolsDbContext db, School school, DateTimeOffset now) =>
        db.AddIntegrationEvent(new SchoolRegistered(school.Id, school.Number, school.Name, school.Type, school.District, now, school.ContactEmail),
            school.Id.ToString(), now);

    /// <summary>The state after a change; and, when the change was the school's acceptance into the MEP standard, that fact on its own.</summary>
    public static void SchoolChanged(this SchoolsDbContext db, School school, bool wasAtMepStandard, DateTimeOffset now)
    {
        var atMepStandard = school.MepStandard == MepStandardStatus.Joined;
        db.AddIntegrationEvent(new SchoolUpdated(school.Id, school.Number, school.Name, school.Type, school.District, atMepStandard, now,
            school.ContactEmail),
            school.Id.ToString(), now);
        if (atMepStandard && !wasAtMepStandard)
        {
            db.AddIntegrationEvent(new SchoolAcceptedIntoMepStandard(school.Id, school.MepStandardJoinedOn!.Value, now), school.Id.ToString(), now);
        }
    }

    /// <summary>The school's media education concept after it was recorded; ordered with the school's other events, as its row serialises them.</summary>
    public static void MediaConceptRecorded(this SchoolsDbContext db, School school, DateTimeOffset now) =>
        db.AddIntegrationEvent(new MediaConceptRecorded(school.Id, school.MediaConcept, school.MediaConceptDated, now), school.Id.ToString(), now);

    // A key's events are ordered per key: writes to one key are serialised by its row, not by the school's.
    public static void ApiKeyIssued(this SchoolsDbContext db, SchoolApiKey key, DateTimeOffset now) =>
        db.AddIntegrationEvent(new SchoolApiKeyIssued(key.SchoolId, key.KeyId, Convert.ToBase64String(key.SecretHash), now),
            $"school-api-key:{key.KeyId}", now);

    public static void ApiKeyRevoked(this SchoolsDbContext db, SchoolApiKey key, DateTimeOffset now) =>
        db.AddIntegrationEvent(new SchoolApiKeyRevoked(key.SchoolId, key.KeyId, now), $"school-api-key:{key.KeyId}", now);

    /// <summary>A room's state after it was added or changed; ordered per room, like a key's events per key.</summary>
    public static void RoomRecorded(this SchoolsDbContext db, Room room, Building building, DateTimeOffset now) =>
        db.AddIntegrationEvent(new RoomRecorded(room.SchoolId, building.Id, room.Id, building.Name, room.Number, room.Kind, now),
            $"room:{room.Id}", now);

    /// <summary>
    /// A school year's figures after they were recorded or corrected; ordered per school year, as writes to one year are serialised
    /// by its row.
    /// </summary>
    public static void SchoolYearFiguresRecorded(this SchoolsDbContext db, SchoolYearFigures figures, DateTimeOffset now) =>
        db.AddIntegrationEvent(new SchoolYearFiguresRecorded(figures.SchoolId, figures.StartYear, figures.Pupils, figures.Teachers, figures.Classes, now),
            $"school-year:{figures.SchoolId}:{figures.StartYear}", now);
}
