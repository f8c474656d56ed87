using Mep.Assets.BoardSystems;
using Mep.ServiceDefaults.Errors;

namespace Mep.Assets.Tests;

/// <summary>A board system's own rules, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class BoardSystemAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static BoardSystem SetUp(string? label = " Tafel vorne ") => BoardSystem.SetUp(Guid.NewGuid(), Guid.NewGuid(), label, new DateOnly(2026, 11, 30), Now);

    [Fact]
    public void A_board_system_keeps_its_label_without_surrounding_spaces()
    {
        Assert.Equal("Tafel vorne", SetUp().Label);
    }

    [Fact]
    public void A_blank_label_is_no_label()
    {
        Assert.Null(SetUp(label: "  ").Label);
    }

    [Fact]
    public void A_new_board_system_is_in_use()
    {
        Assert.True(SetUp().IsActive);
    }

    [Fact]
    public void Dismantling_takes_the_board_system_out_of_use()
    {
        var system = SetUp();

        system.Dismantle(Now.AddDays(1));

        Assert.Equal((false, Now.AddDays(1)), (system.IsActive, system.DismantledAt));
    }

    [Fact]
    public void A_dismantled_board_system_is_not_dismantled_again()
    {
        var system = SetUp();
        system.Dismantle(Now);

        var refused = Assert.Throws<DomainRuleException>(() => system.Dismantle(Now.AddDays(1)));

        Assert.Equal(("board-system-dismantled", true, Now), (refused.Rule, refused.IsStateConflict, system.DismantledAt));
    }
}
