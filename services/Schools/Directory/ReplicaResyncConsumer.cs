using MassTransit;
using Mep.Contracts.Replication;
using Mep.Schools.Data;
using Mep.Messaging;

namespace Mep.Schools.Directory;

/// <summary>
/// A service that rebuilt its replica asks every owner for its current state: Schools answers with the whole directory.
/// The republished events commit with the inbox row, so a redelivered request publishes nothing twice; the directory is
/// small (a city's schools), one transaction holds it.
/// </summary>
public sealed class ReplicaResyncConsumer(SchoolsDbContext db, TimeProvider clock, DirectoryRepublication republication,
    ILogger<ReplicaResyncConsumer> logger) : IdempotentConsumer<ReplicaResyncRequested, SchoolsDbContext>(db, clock)
{
    protected override string ConsumerName => "schools/replica-resync-requested";

    protected override async Task HandleAsync(ReplicaResyncRequested message, ConsumeContext<ReplicaResyncRequested> context)
    {
        var result = await republication.RepublishAsync(context.CancellationToken);
        logger.LogInformation(
            "Directory republished for resync {RequestId} of {RequestedBy}: {Schools} schools, {SchoolYears} school years, {ApiKeys} keys, {Rooms} rooms",
            message.RequestId, message.RequestedBy, result.Schools, result.SchoolYears, result.ApiKeys, result.Rooms);
    }
}
