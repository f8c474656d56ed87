using Mep.Schools.Register;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
namespace Mep.Schools.SchoolYears;

/// <summary>
/// A school's pupils, teachers and classes in one school year. Pupil counts drive the DigitalPakt base
/// amount (30,000 EUR from 60 pupils) and the per-pupil share; staffing scenarios project from them.
/// </summary>
public sealed class SchoolYearFigures
{
    private SchoolYearFigures()
    {
    }

    public Guid SchoolId { get; private set; }

    /// <summary>Calendar year the school year starts in: 2020 is school year 2020/21.</summary>
    public int StartYear { get; private set; }

    public int Pupils { get; private set; }
    public int Teachers { get; private set; }
    public int Classes { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public string SchoolYear => Label(StartYear);

    public static string Label(int startYear) => $"{startYear}/{(startYear + 1) % 100:00}";

    public static SchoolYearFigures Record(Guid schoolId, int startYear, int pupils, int teachers, int classes, DateTimeOffset now) =>
        new() { SchoolId = schoolId, StartYear = startYear, Pupils = pupils, Teachers = teachers, Classes = classes, UpdatedAt = now };

    public void Change(int pupils, int teachers, int classes, DateTimeOffset now) =>
        (Pupils, Teachers, Classes, UpdatedAt) = (pupils, teachers, classes, now);
}

internal sealed class SchoolYearFiguresConfiguration : IEntityTypeConfiguration<SchoolYearFigures>
{
    public void Configure(EntityTypeBuilder<SchoolYearFigures> year)
    {
        year.ToTable("school_years");
        year.HasKey(y => new { y.SchoolId, y.StartYear });
        year.Ignore(y => y.SchoolYear);
        year.HasOne<School>().WithMany().HasForeignKey(y => y.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}
