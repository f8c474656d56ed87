using Mep.Assets.DemoData;
using Mep.Contracts;

namespace Mep.Assets.Tests;

/// <summary>
/// Waiting for the demo city before seeding its inventory: for its pilots' acceptance too, and, on another <c>./mep up</c> (or
/// <c>./mep seed</c>) on a platform that people have used, for the demo city's schools, not for every school Assets knows. It used to count every school, and one that a user had added without
/// rooms made it fail ("Assets knows 107 of 99 demo schools (1 without rooms) after 120 s").
/// </summary>
public sealed class DemoInventoryRerunTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task Waiting_for_the_demo_city_is_not_held_up_by_schools_users_added_without_rooms()
    {
        var demoCity = new List<TestSchool>();
        for (var i = 0; i < 3; i++)
        {
            demoCity.Add(await api.SchoolAsync(SchoolType.GS, rooms: 2));
        }

        await api.SchoolAsync(SchoolType.GY, rooms: 0);
        await using var scope = api.Services.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<DemoInventory>();

        var waited = await Record.ExceptionAsync(() =>
            inventory.WaitForSchoolsAsync(demoCity.ConvertAll(s => s.Number), pilots: 0, TimeSpan.FromSeconds(20), CancellationToken.None));

        Assert.Null(waited);
    }

    [Fact]
    public async Task Waiting_for_the_demo_city_holds_until_its_pilots_acceptance_arrived()
    {
        var pilot = await api.SchoolAsync(SchoolType.GY, rooms: 2);
        await using var scope = api.Services.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<DemoInventory>();

        var waited = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            inventory.WaitForSchoolsAsync([pilot.Number], pilots: 1, TimeSpan.FromSeconds(3), CancellationToken.None));

        Assert.Contains("0 of 1 pilots accepted", waited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_for_the_demo_city_ends_once_its_pilots_are_known_as_accepted()
    {
        var pilot = await api.SchoolAsync(SchoolType.GY, rooms: 2);
        await api.AcceptIntoMepStandardAsync(pilot, Mep.Contracts.Schools.DemoCitySchools.PilotsAcceptedOn);
        await using var scope = api.Services.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<DemoInventory>();

        var waited = await Record.ExceptionAsync(() =>
            inventory.WaitForSchoolsAsync([pilot.Number], pilots: 1, TimeSpan.FromSeconds(20), CancellationToken.None));

        Assert.Null(waited);
    }
}
