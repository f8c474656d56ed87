using System.Diagnostics;
using Mep.Contracts.Replication;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Messaging;
using Mep.Staffing.Calculation;
using Mep.Staffing.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Counts;

public static class CountEndpoints
{
    public static RouteGroupBuilder MapCountEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/counts", ListCounts).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(ListCounts))
            .WithSummary("Live devices in use per school and staffing category (a board system once, whatever its components), paged by school number.");
        group.MapGet("/counts/{schoolId:guid}", GetCounts).RequireAuthorization(StaffingAccess.Read)
            .WithName(nameof(GetCounts)).WithSummary("One school's live counts.");

        var admin = group.MapGroup("/admin/replica").RequireAuthorization(StaffingAccess.Administer).WithTags("Operations");
        admin.MapGet("/", GetReplicaState).WithName(nameof(GetReplicaState))
            .WithSummary("How many devices, board systems, schools and school years the replica holds.");
        admin.MapPost("/rebuild", RebuildReplica).WithName(nameof(RebuildReplica))
            .WithSummary("Empty the inventory replica and ask Assets and Schools to publish their full state again (ReplicaResyncRequested); "
                + "counts fill again as the state arrives. Follow with GET admin/replica.");
        admin.MapPost("/recount", RecountAll).WithName(nameof(RecountAll))
            .WithSummary("Recompute every school's counts from the replica in one statement (they are recomputed per event anyway).");
        return group;
    }

    public static async Task<Ok<Page<SchoolCountsResponse>>> ListCounts([AsParameters] CountsQuery query, StaffingDbContext db,
        CancellationToken cancellationToken)
    {
        var schools = (await StaffingInputs.SchoolsAsync(db, string.IsNullOrWhiteSpace(query.District) ? null : query.District.Trim(), cancellationToken))
            .Where(s => query.AtMepStandard is not { } at || s.AtMepStandard == at).ToList();
        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        return TypedResults.Ok(new Page<SchoolCountsResponse>(schools.Skip(skip).Take(take).Select(Response).ToList(), page, pageSize, schools.Count));
    }

    public static async Task<Results<Ok<SchoolCountsResponse>, ProblemHttpResult>> GetCounts(Guid schoolId, StaffingDbContext db,
        CancellationToken cancellationToken)
    {
        var school = (await StaffingInputs.SchoolsAsync(db, null, cancellationToken, schoolId)).SingleOrDefault();
        return school is null ? ApiProblems.NotFound("school") : TypedResults.Ok(Response(school));
    }

    public static async Task<Ok<ReplicaState>> GetReplicaState(StaffingDbContext db, CancellationToken cancellationToken)
    {
        var state = await db.Database.SqlQuery<ReplicaState>($"""
            SELECT (SELECT count(*) FROM tracked_devices) AS devices,
                (SELECT count(*) FROM tracked_devices WHERE category IS NOT NULL AND status = ANY({CountCategories.InUseStatuses})) AS devices_counted,
                (SELECT count(*) FROM tracked_board_systems) AS board_systems,
                (SELECT count(*)::int FROM school_counts) AS schools_with_counts,
                (SELECT count(*)::int FROM known_schools) AS schools_known,
                (SELECT count(*)::int FROM known_school_years) AS school_years
            """).SingleAsync(cancellationToken);
        return TypedResults.Ok(state);
    }

    public static async Task<Accepted<RebuildStarted>> RebuildReplica(StaffingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var requestId = Guid.CreateVersion7(now);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The directory of schools stays: it is state Schools republishes anyway, and school keys live in it.
            await db.Database.ExecuteSqlRawAsync("TRUNCATE tracked_devices, tracked_board_systems, school_counts, known_school_years", cancellationToken);
            db.AddIntegrationEvent(new ReplicaResyncRequested(requestId, "staffing", now), $"replica-resync:{requestId}", now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        return TypedResults.Accepted($"{StaffingService.PathPrefix}/admin/replica", new RebuildStarted(requestId,
            "The inventory replica is empty; Assets and Schools publish their state again and the counts fill as it arrives."));
    }

    public static async Task<Ok<RecountResult>> RecountAll(StaffingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var schools = await InventoryReplica.RecountAllAsync(db, clock.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new RecountResult(schools, Math.Round(watch.Elapsed.TotalMilliseconds, 1)));
    }

    private static SchoolCountsResponse Response(SchoolInput s) =>
        new(s.SchoolId, s.Number, s.Name, Contracts.SchoolTypes.Code(s.Type), s.District, s.AtMepStandard, s.Counts);
}
