using MassTransit;
using Mep.Contracts.Schools;
using Mep.Messaging;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Staffing.Counts;

/// <summary>A school's pupils, teachers and classes in one school year, as Schools last reported them.</summary>
public sealed class KnownSchoolYear
{
    public Guid SchoolId { get; internal set; }

    /// <summary>Calendar year the school year starts in: 2020 is 2020/21.</summary>
    public int StartYear { get; internal set; }

    public int Pupils { get; internal set; }
    public int Teachers { get; internal set; }
    public int Classes { get; internal set; }
    public DateTimeOffset AsOf { get; internal set; }
}

public sealed class SchoolYearFiguresConsumer(StaffingDbContext db, TimeProvider clock)
    : IdempotentConsumer<SchoolYearFiguresRecorded, StaffingDbContext>(db, clock)
{
    protected override string ConsumerName => "staffing/school-year-figures-recorded";

    protected override Task HandleAsync(SchoolYearFiguresRecorded message, ConsumeContext<SchoolYearFiguresRecorded> context) =>
        // Newest wins in one statement: a correction that arrives before the figures it corrects is not overwritten by them.
        Db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_school_years AS y (school_id, start_year, pupils, teachers, classes, as_of)
            VALUES ({message.SchoolId}, {message.StartYear}, {message.Pupils}, {message.Teachers}, {message.Classes}, {message.OccurredAt})
            ON CONFLICT (school_id, start_year) DO UPDATE SET pupils = excluded.pupils, teachers = excluded.teachers, classes = excluded.classes,
                as_of = excluded.as_of
            WHERE excluded.as_of >= y.as_of
            """, context.CancellationToken);
}

internal sealed class KnownSchoolYearConfiguration : IEntityTypeConfiguration<KnownSchoolYear>
{
    public void Configure(EntityTypeBuilder<KnownSchoolYear> year)
    {
        year.ToTable("known_school_years");
        year.HasKey(y => new { y.SchoolId, y.StartYear });
    }
}
