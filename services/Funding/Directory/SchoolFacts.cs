using MassTransit;
using Mep.Contracts.Schools;
using Mep.Funding.Allocations;
using Mep.Funding.Data;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Directory;

/// <summary>A school's pupils in one school year, as Schools last reported them: the DigitalPakt base amount and per-pupil share follow them.</summary>
public sealed class KnownSchoolYear
{
    public Guid SchoolId { get; internal set; }

    /// <summary>Calendar year the school year starts in: 2019 is 2019/20.</summary>
    public int StartYear { get; internal set; }

    public int Pupils { get; internal set; }
    public int Teachers { get; internal set; }
    public DateTimeOffset AsOf { get; internal set; }
}

/// <summary>How far a school's media education concept is (a settlement needs the full concept), as Schools last reported it.</summary>
public sealed class KnownMediaConcept
{
    public Guid SchoolId { get; internal set; }
    public MediaConceptStatus Status { get; internal set; }
    public DateOnly? Dated { get; internal set; }
    public DateTimeOffset AsOf { get; internal set; }
}

public static class MediaConcepts
{
    /// <summary>The school's concept as Schools last reported it; null when Funding has heard nothing of it.</summary>
    public static Task<MediaConceptStatus?> OfAsync(FundingDbContext db, Guid schoolId, CancellationToken cancellationToken) =>
        db.KnownMediaConcepts.Where(c => c.SchoolId == schoolId).Select(c => (MediaConceptStatus?)c.Status).SingleOrDefaultAsync(cancellationToken);
}

public sealed class SchoolYearFiguresConsumer(FundingDbContext db, TimeProvider clock)
    : IdempotentConsumer<SchoolYearFiguresRecorded, FundingDbContext>(db, clock)
{
    protected override string ConsumerName => "funding/school-year-figures-recorded";

    protected override async Task HandleAsync(SchoolYearFiguresRecorded message, ConsumeContext<SchoolYearFiguresRecorded> context)
    {
        // Newest wins in one statement: a correction that arrives before the figures it corrects is not overwritten by them.
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_school_years AS y (school_id, start_year, pupils, teachers, as_of)
            VALUES ({message.SchoolId}, {message.StartYear}, {message.Pupils}, {message.Teachers}, {message.OccurredAt})
            ON CONFLICT (school_id, start_year) DO UPDATE SET pupils = excluded.pupils, teachers = excluded.teachers, as_of = excluded.as_of
            WHERE excluded.as_of >= y.as_of
            """, context.CancellationToken);

        // The base amount follows the pupils it is computed from, in the same transaction: recomputed from the row as it now stands,
        // so stale figures that lost the newest-wins race change nothing.
        await BaseAmounts.RecomputeForSchoolYearAsync(Db, message.SchoolId, message.StartYear, Clock.GetUtcNow(), context.CancellationToken);
    }
}

public sealed class MediaConceptConsumer(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<MediaConceptRecorded, FundingDbContext>(db, clock)
{
    protected override string ConsumerName => "funding/media-concept-recorded";

    protected override Task HandleAsync(MediaConceptRecorded message, ConsumeContext<MediaConceptRecorded> context) =>
        Db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_media_concepts AS c (school_id, status, dated, as_of)
            VALUES ({message.SchoolId}, {message.Status.ToString()}, {message.Dated}, {message.OccurredAt})
            ON CONFLICT (school_id) DO UPDATE SET status = excluded.status, dated = excluded.dated, as_of = excluded.as_of
            WHERE excluded.as_of >= c.as_of
            """, context.CancellationToken);
}
