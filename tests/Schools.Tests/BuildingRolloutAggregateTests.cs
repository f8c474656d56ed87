using Mep.Schools.Rollout;

namespace Mep.Schools.Tests;

/// <summary>A building's network part of the rollout, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class BuildingRolloutAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_buildings_network_starts_with_nothing_begun()
    {
        var network = BuildingRollout.Start(Guid.NewGuid(), Guid.NewGuid(), Now);

        Assert.Equal((WorkStatus.NotStarted, WorkStatus.NotStarted, WorkStatus.NotStarted, (DateOnly?)null),
            (network.TechnicalRooms, network.Distributors, network.Cabling, network.NetworkDoneOn));
    }

    [Fact]
    public void A_change_replaces_the_work_states_and_the_cabling_length()
    {
        var network = BuildingRollout.Start(Guid.NewGuid(), Guid.NewGuid(), Now);

        network.Change(WorkStatus.Done, WorkStatus.InProgress, WorkStatus.NotStarted, 640, Now.AddDays(1));

        Assert.Equal((WorkStatus.Done, WorkStatus.InProgress, WorkStatus.NotStarted, (int?)640, Now.AddDays(1)),
            (network.TechnicalRooms, network.Distributors, network.Cabling, network.CablingMetres, network.UpdatedAt));
    }
}
