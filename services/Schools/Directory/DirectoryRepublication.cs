using Mep.Schools.Data;
using Mep.Schools.Register;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Directory;

public sealed record RepublishedDirectory(int Schools, int SchoolYears, int ApiKeys, int Rooms);

/// <summary>
/// Publishes the current state of every school (with its media education concept), school year, school key and room again,
/// through the outbox. A service that starts consuming Schools' events late (a new service, a replica rebuilt from an empty
/// database) missed the history; this brings its directory up to date. Consumers apply state events idempotently and keep
/// a revocation once seen, so republishing is always safe.
/// </summary>
public sealed class DirectoryRepublication(SchoolsDbContext db, TimeProvider clock)
{
    public const string Command = "republish-directory";

    public async Task<RepublishedDirectory> RepublishAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var schools = await db.Schools.ToListAsync(cancellationToken);
        foreach (var school in schools)
        {
            db.SchoolChanged(school, wasAtMepStandard: false, now);
            db.MediaConceptRecorded(school, now);
        }

        var years = await db.SchoolYears.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var year in years)
        {
            db.SchoolYearFiguresRecorded(year, now);
        }

        var keys = await db.ApiKeys.ToListAsync(cancellationToken);
        foreach (var key in keys)
        {
            db.ApiKeyIssued(key, now);
            if (!key.IsActive)
            {
                db.ApiKeyRevoked(key, now);
            }
        }

        var buildings = await db.Buildings.ToDictionaryAsync(b => b.Id, cancellationToken);
        var rooms = await db.Rooms.ToListAsync(cancellationToken);
        foreach (var room in rooms)
        {
            db.RoomRecorded(room, buildings[room.BuildingId], now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return new RepublishedDirectory(schools.Count, years.Count, keys.Count, rooms.Count);
    }

    public static async Task RunFromCommandLineAsync(WebApplication app)
    {
        await app.Services.MigrateDatabaseAsync<SchoolsDbContext>();
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DirectoryRepublication>().RepublishAsync(CancellationToken.None);
        Console.WriteLine($"directory republished: {result.Schools} schools, {result.SchoolYears} school years, {result.ApiKeys} keys, {result.Rooms} rooms");
    }
}

public static class DirectoryEndpoints
{
    public static RouteGroupBuilder MapDirectoryRepublication(this RouteGroupBuilder group)
    {
        group.MapPost("/admin/directory/republish", async (DirectoryRepublication republication, CancellationToken cancellationToken) =>
                TypedResults.Accepted((string?)null, await republication.RepublishAsync(cancellationToken)))
            .RequireAuthorization(PlatformRoles.Admin)
            .WithName("RepublishDirectory")
            .WithSummary("Publish every school (with its media concept), school year, key and room again, for a service that joined late or rebuilt its replica (admin).");
        return group;
    }
}
