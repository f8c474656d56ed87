using Mep.Assets.DemoData;
using Mep.Contracts;

namespace Mep.Assets.Tests;

/// <summary>
/// The demo inventory (<c>./mep up</c>) reproduces the pilots' 2019/20 uptake of parent-financed tablets (docs/domain.md, "Parent-financed
/// tablets and subsidies") from schools Assets knows through Schools' events, through the registration path, once.
/// </summary>
public sealed class DemoInventoryTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    /// <summary>Six pilots of different sizes (classrooms stand in for pupils), like the demo city's.</summary>
    private static readonly int[] PilotClassrooms = [41, 35, 36, 30, 28, 33];

    private static readonly SemaphoreSlim Arranging = new(1, 1);
    private static (AssetsApi Api, List<TestSchool> Pilots, TestSchool Other, DemoInventory.Result First)? _seeded;

    /// <summary>The tests share one database (the class fixture), and the figures are totals over all pilots: seed it once.</summary>
    private async Task<(List<TestSchool> Pilots, TestSchool Other, DemoInventory.Result First)> SeededAsync()
    {
        await Arranging.WaitAsync();
        try
        {
            if (_seeded is not { } seeded || seeded.Api != api)
            {
                var pilots = new List<TestSchool>();
                foreach (var classrooms in PilotClassrooms)
                {
                    var pilot = await api.SchoolAsync(SchoolType.IGS, rooms: classrooms + 1);
                    await api.AcceptIntoMepStandardAsync(pilot, Mep.Contracts.Schools.DemoCitySchools.PilotsAcceptedOn);
                    pilots.Add(pilot);
                }

                // At MEP standard, but accepted later: not a pilot.
                var other = await api.SchoolAsync(SchoolType.GS, rooms: 12);
                await api.AcceptIntoMepStandardAsync(other, new DateOnly(2023, 8, 1));
                seeded = (api, pilots, other, await SeedAsync());
                _seeded = seeded;
            }

            return (seeded.Pilots, seeded.Other, seeded.First);
        }
        finally
        {
            Arranging.Release();
        }
    }

    private async Task<DemoInventory.Result> SeedAsync()
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoInventory>().SeedAsync(CancellationToken.None);
    }

    private static string InSchools(IEnumerable<TestSchool> schools) => string.Join(", ", schools.Select(s => $"'{s.Id}'"));

    [Fact]
    public async Task The_pilots_get_the_papers_2019_20_uptake_2441_parent_financed_tablets_243_but_asylblg_and_169_siblings()
    {
        var (pilots, _, first) = await SeededAsync();

        var parentFinanced = $"FROM devices WHERE ownership = 'ParentFinancedPupil' AND school_id IN ({InSchools(pilots)})";
        Assert.Equal(6, first.Pilots);
        Assert.Equal(2_441, await api.Database.ScalarAsync<long>($"SELECT count(*) {parentFinanced}"));
        Assert.Equal(243, await api.Database.ScalarAsync<long>($"SELECT count(*) {parentFinanced} AND subsidy_category = 'ButAsylbLG'"));
        Assert.Equal(169, await api.Database.ScalarAsync<long>($"SELECT count(*) {parentFinanced} AND subsidy_category = 'Sibling'"));
        Assert.Equal((2_441, 243, 169), (first.ParentFinancedTablets, first.ButAsylbLG, first.Siblings));
        // What the rules ask of a parent-financed tablet, and of a sibling in particular.
        Assert.Equal(0, await api.Database.ScalarAsync<long>(
            $"""
             SELECT count(*) {parentFinanced} AND (pupil_reference IS NULL OR contract_months <> 36 OR contract_monthly_rate <> 10.90
                 OR contract_provider <> 'GfdB' OR funding_source <> 'ParentFinanced'
                 OR (subsidy_category = 'Sibling' AND (family_reference IS NULL OR sibling_order < 2)))
             """));
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) {parentFinanced} AND status NOT IN ('InService', 'InRepair')"));
    }

    [Fact]
    public async Task Pilots_get_a_board_system_per_classroom_teacher_tablets_and_computer_rooms_and_a_primary_school_at_mep_standard_three_class_sets()
    {
        var (pilots, other, _) = await SeededAsync();

        Assert.Equal(PilotClassrooms.Sum() + 11, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM board_systems WHERE dismantled_at IS NULL AND school_id IN ({InSchools([.. pilots, other])})"));
        Assert.Equal(6 * 30, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM devices WHERE kind = 'ComputerRoomDevice' AND school_id IN ({InSchools(pilots)})"));
        Assert.True(await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM devices WHERE ownership = 'Teacher' AND status = 'InService' AND school_id = '{pilots[0].Id}'") > 40);
        Assert.Equal(48, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM devices WHERE ownership = 'SchoolClassSet' AND school_id = '{other.Id}'"));
        Assert.True(await api.Database.ScalarAsync<long>($"SELECT count(*) FROM devices WHERE status = 'Retired'") > 0);
    }

    [Fact]
    public async Task Seeding_again_registers_nothing_new()
    {
        var (_, _, first) = await SeededAsync();
        var devices = await api.Database.ScalarAsync<long>("SELECT count(*) FROM devices");
        var events = await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages");

        var again = await SeedAsync();

        Assert.Equal((0, 0), (again.DevicesCreated, again.BoardSystemsCreated));
        Assert.Equal((first.DemoDevices, first.DemoBoardSystems), (again.DemoDevices, again.DemoBoardSystems));
        Assert.Equal(devices, await api.Database.ScalarAsync<long>("SELECT count(*) FROM devices"));
        Assert.Equal(events, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task Every_seeded_device_and_board_system_is_announced_in_the_outbox()
    {
        var (pilots, _, first) = await SeededAsync();

        Assert.Equal(first.DemoDevices, await api.Database.ScalarAsync<long>(
            """
            SELECT coalesce(sum(jsonb_array_length(body::jsonb->'devices')), 0) FROM outbox_messages
            WHERE message_type = 'Mep.Contracts.Assets.DevicesRegistered'
            """));
        Assert.Equal(first.DemoBoardSystems, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.BoardSystemRegistered'"));
        Assert.Equal(pilots.Count, await api.Database.ScalarAsync<long>(
            $"""
             SELECT count(DISTINCT aggregate_id) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.DevicesRegistered'
             AND aggregate_id IN ({string.Join(", ", pilots.Select(p => $"'school-registrations:{p.Id}'"))})
             """));
        Assert.True(await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.DeviceStatusChanged'") > 0);
    }

    [Fact]
    public async Task Waiting_for_the_demo_city_fails_with_a_clear_message_when_schools_events_do_not_arrive()
    {
        await using var scope = api.Services.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<DemoInventory>();

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            inventory.WaitForSchoolsAsync(["10000", "10001"], pilots: 0, TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Contains("knows 0 of 2 demo schools", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_for_the_demo_city_once_its_inventory_exists_does_not_wait_for_a_pilot_taken_out_of_the_standard_since()
    {
        var (_, notAPilot, _) = await SeededAsync();
        await using var scope = api.Services.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<DemoInventory>();

        var waited = await Record.ExceptionAsync(() =>
            inventory.WaitForSchoolsAsync([notAPilot.Number], pilots: 1, TimeSpan.FromSeconds(20), CancellationToken.None));

        Assert.Null(waited);
    }
}
