using Mep.Schools.Buildings;

namespace Mep.Schools.Tests;

/// <summary>A building's own behaviour, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class BuildingAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_building_keeps_its_name_without_surrounding_spaces()
    {
        Assert.Equal("Trakt B", Building.Add(Guid.NewGuid(), "  Trakt B ", Now).Name);
    }

    [Fact]
    public void Each_building_added_has_its_own_id()
    {
        var school = Guid.NewGuid();

        Assert.NotEqual(Building.Add(school, "Trakt A", Now).Id, Building.Add(school, "Trakt B", Now).Id);
    }
}
