using Mep.Schools.SchoolYears;

namespace Mep.Schools.Tests;

/// <summary>A school year's figures, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class SchoolYearFiguresAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2020, "2020/21")]
    [InlineData(2009, "2009/10")]
    [InlineData(2099, "2099/00")]
    public void A_school_year_is_named_by_the_year_it_starts_and_the_next(int startYear, string label)
    {
        Assert.Equal(label, SchoolYearFigures.Record(Guid.NewGuid(), startYear, 240, 18, 10, Now).SchoolYear);
    }

    [Fact]
    public void A_correction_replaces_all_three_figures_and_dates_them()
    {
        var figures = SchoolYearFigures.Record(Guid.NewGuid(), 2026, 240, 18, 10, Now);

        figures.Change(251, 19, 11, Now.AddDays(3));

        Assert.Equal((251, 19, 11, Now.AddDays(3)), (figures.Pupils, figures.Teachers, figures.Classes, figures.UpdatedAt));
    }
}
