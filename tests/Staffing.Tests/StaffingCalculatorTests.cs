using Mep.Contracts;
using Mep.Staffing.Calculation;
using Mep.Staffing.Counts;
using Mep.Staffing.Models;

namespace Mep.Staffing.Tests;

public sealed class StaffingCalculatorTests
{
    private static readonly ModelDefinition Hannover = new(CountedSchools.MepStandard,
    [
        new RatioGroup("tablets", "Tablets", 1500,
            [new(CountCategory.PupilTablets, 1), new(CountCategory.TeacherTablets, 1), new(CountCategory.LoanTablets, 1)]),
        new RatioGroup("computerRooms", "Computer rooms", 700, [new(CountCategory.ComputerRoomDevices, 1)]),
        new RatioGroup("boardsAndClassSets", "Boards and class sets", 700, [new(CountCategory.BoardSystems, 3), new(CountCategory.ClassSetTablets, 1)]),
    ], [], new Rounding(RoundingMode.Up, 0.5m), 93_730m);

    private static SchoolInput School(SchoolType type, DeviceCounts counts, bool atMep = true) =>
        new(Guid.NewGuid(), "1", "S", type, "Mitte", atMep, counts);

    [Fact]
    public void Groups_sharing_a_ratio_are_divided_once_so_the_total_is_the_council_papers_formula_to_the_last_digit()
    {
        var counts = new DeviceCounts(PupilTablets: 2_441, TeacherTablets: 412, LoanTablets: 37, ClassSetTablets: 96, ComputerRoomDevices: 333,
            BoardSystems: 171, BoardSystemComponents: 700, NetworkDevices: 55);

        var figure = StaffingCalculator.Figure(Hannover, [School(SchoolType.GY, counts)]);
        // One computer-room device and one class-set tablet: 1/700 + 1/700 is ...428 in the 28th digit, 2/700 is ...429.
        var twoGroups = StaffingCalculator.Figure(Hannover, [School(SchoolType.GY, DeviceCounts.None with { ComputerRoomDevices = 1, ClassSetTablets = 1 })]);

        Assert.Equal(2 / 700m, twoGroups.Fte);
        Assert.NotEqual(1 / 700m + 1 / 700m, twoGroups.Fte);
        var tablets = 2_441 + 412 + 37;
        var perSevenHundred = 333 + 96 + 3 * 171;
        Assert.Equal(tablets / 1500m + perSevenHundred / 700m, figure.Fte);
        Assert.Equal(3.5m, figure.FteRounded);
        Assert.Equal(decimal.Round(figure.Fte * 93_730m, 2, MidpointRounding.AwayFromZero), figure.PersonnelCost);
        Assert.Equal(3.5m * 93_730m, figure.PersonnelCostRounded);
        var boards = figure.Groups.Single(g => g.Code == "boardsAndClassSets");
        Assert.Equal([(CountCategory.BoardSystems, 171, 3m, 513m), (CountCategory.ClassSetTablets, 96, 1m, 96m)],
            boards.Terms.Select(t => (t.Category, t.Count, t.Weight, t.Devices)));
        Assert.Equal(609m, boards.WeightedDevices);
        Assert.Equal("(171 × 3 + 96) / 700 = 0.87", boards.Formula);
    }

    [Fact]
    public void Counts_of_several_schools_are_added_before_dividing()
    {
        var a = School(SchoolType.GY, DeviceCounts.None with { TeacherTablets = 1 });
        var b = School(SchoolType.GS, DeviceCounts.None with { TeacherTablets = 2, BoardSystems = 1 });

        var figure = StaffingCalculator.Figure(Hannover, [a, b]);

        Assert.Equal(3 / 1500m + 3 / 700m, figure.Fte);
        Assert.Equal(2, figure.Schools);
        Assert.Equal(3, figure.Counts.TeacherTablets);
    }

    [Fact]
    public void A_per_school_type_model_adds_the_fte_of_each_counted_school_by_its_type()
    {
        var stuttgart = new ModelDefinition(CountedSchools.All, [],
            [new(SchoolType.GS, 0.33m), new(SchoolType.GY, 0.5m), new(SchoolType.BBS, 1.0m), new(SchoolType.FoeS, 0.33m)],
            new Rounding(RoundingMode.Nearest, 0.01m), 93_730m);
        SchoolInput[] schools = [School(SchoolType.GS, DeviceCounts.None), School(SchoolType.GS, DeviceCounts.None), School(SchoolType.GY, DeviceCounts.None),
            School(SchoolType.BBS, DeviceCounts.None)];

        var figure = StaffingCalculator.Figure(stuttgart, schools);

        Assert.Equal(0.33m * 2 + 0.5m + 1.0m, figure.Fte);
        Assert.Equal([(SchoolType.GS, 2, 0.66m), (SchoolType.GY, 1, 0.5m), (SchoolType.BBS, 1, 1.0m), (SchoolType.FoeS, 0, 0m)],
            figure.SchoolTypes.Select(t => (t.SchoolType, t.Schools, t.Fte)));
    }

    [Theory]
    [InlineData(RoundingMode.Up, 0.5, 2.01, 2.5)]
    [InlineData(RoundingMode.Up, 0.5, 2.5, 2.5)]
    [InlineData(RoundingMode.Nearest, 0.5, 2.25, 2.5)]
    [InlineData(RoundingMode.Nearest, 0.01, 1.234, 1.23)]
    [InlineData(RoundingMode.Down, 1, 2.99, 2)]
    [InlineData(RoundingMode.None, 1, 2.99, 2.99)]
    public void Rounding_follows_the_models_rule_and_step(RoundingMode mode, double step, double exact, double rounded) =>
        Assert.Equal((decimal)rounded, new Rounding(mode, (decimal)step).Apply((decimal)exact));

    [Fact]
    public void Only_schools_at_mep_standard_count_under_the_hannover_model()
    {
        Assert.True(Hannover.Counts(SchoolType.GY, atMepStandard: true));
        Assert.False(Hannover.Counts(SchoolType.GY, atMepStandard: false));
    }

    [Fact]
    public void A_school_type_filter_counts_only_schools_of_its_types()
    {
        var primaryOnly = Hannover with { CountedSchools = CountedSchools.All, SchoolTypes = [SchoolType.GS] };
        Assert.True(primaryOnly.Counts(SchoolType.GS, atMepStandard: false));
        Assert.False(primaryOnly.Counts(SchoolType.GY, atMepStandard: true));
    }
}
