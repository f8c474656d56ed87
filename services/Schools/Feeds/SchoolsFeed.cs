using System.Linq.Expressions;
using System.Security.Claims;
using Mep.Contracts;
using Mep.Schools.Data;
using Mep.Schools.Schools;
using Mep.Schools.SchoolYears;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.OData;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.Feeds;

/// <summary>A school as the reporting feed shows it, with its participation in measures 1-4 as columns (one row per school).</summary>
public sealed class FeedSchool
{
    public Guid Id { get; init; }
    public string Number { get; init; } = string.Empty;
    public string Name { get; init; } = string.Empty;
    public SchoolType Type { get; init; }
    public string Street { get; init; } = string.Empty;
    public string PostalCode { get; init; } = string.Empty;
    public string City { get; init; } = string.Empty;
    public string District { get; init; } = string.Empty;
    public bool MepPilot { get; init; }
    public DateOnly? MepPilotSince { get; init; }
    public MepStandardStatus MepStandard { get; init; }
    public int? MepStandardWave { get; init; }
    public int? MepStandardTargetYear { get; init; }
    public DateOnly? MepStandardJoinedOn { get; init; }
    public bool PortalOffer { get; init; }
    public DateOnly? PortalOnboardedOn { get; init; }
    public bool MobileLearning { get; init; }
    public DateOnly? MdmEnrolledOn { get; init; }
    public MediaConceptStatus MediaConcept { get; init; }
    public DateOnly? MediaConceptDated { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Pupils, teachers and classes per school year ($expand=SchoolYears; any/all in $filter).</summary>
    public List<FeedSchoolYear> SchoolYears { get; init; } = [];
}

/// <summary>A school's figures in one school year; StartYear 2020 is school year 2020/21.</summary>
public sealed class FeedSchoolYear
{
    public Guid SchoolId { get; init; }
    public int StartYear { get; init; }
    public int Pupils { get; init; }
    public int Teachers { get; init; }
    public int Classes { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The council paper's measures, as numbered there.</summary>
public enum ProgrammeMeasure
{
    MepPilot = 1,
    Portal = 2,
    MobileLearning = 3,
    MepStandard = 4,
}

/// <summary>
/// One school's participation in one measure: the same facts as the school's columns, one row per school and measure,
/// so that a pivot table counts schools per measure without unpivoting.
/// </summary>
public sealed class FeedProgrammeParticipation
{
    public Guid SchoolId { get; init; }
    public ProgrammeMeasure Measure { get; init; }
    public bool Participates { get; init; }

    /// <summary>Pilot start, portal onboarding, MDM enrolment, or the day the school joined the MEP standard.</summary>
    public DateOnly? Since { get; init; }

    /// <summary>Measure 4 only: none, planned or joined.</summary>
    public MepStandardStatus? MepStandardStatus { get; init; }

    public int? Wave { get; init; }
    public int? TargetYear { get; init; }
}

/// <summary>The Schools service's OData feed (/api/schools/odata). Rollout status joins it with the rollout tracking (issue 6).</summary>
public static class SchoolsFeed
{
    public static void Declare(FeedBuilder feed) => feed
        .EntitySet("Schools", "School", (FeedSchool s) => s.Id, SchoolsAccess.Read, context => Schools(Db(context), context.User))
        .EntitySet("SchoolYears", "SchoolYear", (FeedSchoolYear y) => new { y.SchoolId, y.StartYear }, SchoolsAccess.Read,
            context => SchoolYears(Db(context), context.User))
        .EntitySet("ProgrammeParticipations", "ProgrammeParticipation", (FeedProgrammeParticipation p) => new { p.SchoolId, p.Measure },
            SchoolsAccess.Read, context => Programmes(Db(context), context.User));

    private static SchoolsDbContext Db(HttpContext context) => context.RequestServices.GetRequiredService<SchoolsDbContext>();

    /// <summary>A school key's rows are its own school's, before any query option applies.</summary>
    private static IQueryable<School> Visible(SchoolsDbContext db, ClaimsPrincipal user) => db.Schools.AsNoTracking().VisibleTo(user, s => s.Id);

    private static IQueryable<FeedSchool> Schools(SchoolsDbContext db, ClaimsPrincipal user) =>
        Visible(db, user).Select(s => new FeedSchool
        {
            Id = s.Id, Number = s.Number, Name = s.Name, Type = s.Type, Street = s.Street, PostalCode = s.PostalCode, City = s.City, District = s.District,
            MepPilot = s.MepPilot, MepPilotSince = s.MepPilotSince, MepStandard = s.MepStandard, MepStandardWave = s.MepStandardWave,
            MepStandardTargetYear = s.MepStandardTargetYear, MepStandardJoinedOn = s.MepStandardJoinedOn, PortalOffer = s.PortalOffer,
            PortalOnboardedOn = s.PortalOnboardedOn, MobileLearning = s.MobileLearning, MdmEnrolledOn = s.MdmEnrolledOn, MediaConcept = s.MediaConcept,
            MediaConceptDated = s.MediaConceptDated, CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt,
            SchoolYears = db.SchoolYears.Where(y => y.SchoolId == s.Id).Select(AsFeedSchoolYear).ToList(),
        });

    /// <summary>A school year as the SchoolYears set and a school's expanded SchoolYears read it.</summary>
    private static readonly Expression<Func<SchoolYearFigures, FeedSchoolYear>> AsFeedSchoolYear = y => new FeedSchoolYear
    {
        SchoolId = y.SchoolId, StartYear = y.StartYear, Pupils = y.Pupils, Teachers = y.Teachers, Classes = y.Classes, UpdatedAt = y.UpdatedAt,
    };

    private static IQueryable<FeedSchoolYear> SchoolYears(SchoolsDbContext db, ClaimsPrincipal user) =>
        db.SchoolYears.AsNoTracking().VisibleTo(user, y => y.SchoolId).Select(AsFeedSchoolYear);

    /// <summary>
    /// Four rows per school (UNION ALL in SQL), one per measure. Measure 4 comes first: PostgreSQL types a UNION's columns from
    /// its first branch, so the status column is text there and the other branches' NULLs take that type.
    /// </summary>
    private static IQueryable<FeedProgrammeParticipation> Programmes(SchoolsDbContext db, ClaimsPrincipal user)
    {
        var schools = Visible(db, user);
        return schools.Select(s => new FeedProgrammeParticipation
            {
                SchoolId = s.Id, Measure = ProgrammeMeasure.MepStandard, Participates = s.MepStandard == MepStandardStatus.Joined,
                Since = s.MepStandardJoinedOn, MepStandardStatus = s.MepStandard, Wave = s.MepStandardWave, TargetYear = s.MepStandardTargetYear,
            })
            .Concat(schools.Select(s => new FeedProgrammeParticipation
            {
                SchoolId = s.Id, Measure = ProgrammeMeasure.MepPilot, Participates = s.MepPilot, Since = s.MepPilotSince,
                MepStandardStatus = null, Wave = null, TargetYear = null,
            }))
            .Concat(schools.Select(s => new FeedProgrammeParticipation
            {
                SchoolId = s.Id, Measure = ProgrammeMeasure.Portal, Participates = s.PortalOffer, Since = s.PortalOnboardedOn,
                MepStandardStatus = null, Wave = null, TargetYear = null,
            }))
            .Concat(schools.Select(s => new FeedProgrammeParticipation
            {
                SchoolId = s.Id, Measure = ProgrammeMeasure.MobileLearning, Participates = s.MobileLearning, Since = s.MdmEnrolledOn,
                MepStandardStatus = null, Wave = null, TargetYear = null,
            }));
    }
}
