using Mep.Staffing.Scenarios;

namespace Mep.Staffing.Tests;

/// <summary>A saved scenario's own behaviour, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class ScenarioAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly ScenarioDefinition AllSchoolsBy2030 = new(2026, 2030, 2030, [], [], []);

    private static Scenario Created() => Scenario.Create("All schools by 2030", "council paper", AllSchoolsBy2030, "planner-paula", Now);

    [Fact]
    public void A_new_scenario_is_created_and_last_changed_by_its_author()
    {
        var scenario = Created();

        Assert.Equal(("planner-paula", "planner-paula", Now, Now, (Guid?)null),
            (scenario.CreatedBy, scenario.UpdatedBy, scenario.CreatedAt, scenario.UpdatedAt, scenario.CopiedFrom));
    }

    [Fact]
    public void A_copy_is_a_new_scenario_that_names_its_original()
    {
        var original = Created();

        var copy = original.Copy("All schools by 2028", "planner-pia", Now.AddDays(1));

        Assert.Equal((original.Id, "All schools by 2028", "planner-pia"), (copy.CopiedFrom, copy.Name, copy.CreatedBy));
        Assert.NotEqual(original.Id, copy.Id);
    }

    [Fact]
    public void A_copy_starts_with_the_originals_definition_and_description()
    {
        var original = Created();

        var copy = original.Copy("All schools by 2028", "planner-pia", Now.AddDays(1));

        Assert.Equal((original.Definition, original.Description), (copy.Definition, copy.Description));
    }

    [Fact]
    public void A_change_replaces_the_scenario_and_keeps_who_created_it()
    {
        var scenario = Created();
        var later = AllSchoolsBy2030 with { AllSchoolsByYear = 2028 };

        scenario.Change("All schools by 2028", null, later, "planner-pia", Now.AddDays(1));

        Assert.Equal(("All schools by 2028", null, later, "planner-pia", Now.AddDays(1), "planner-paula"),
            (scenario.Name, scenario.Description, scenario.Definition, scenario.UpdatedBy, scenario.UpdatedAt, scenario.CreatedBy));
    }
}
