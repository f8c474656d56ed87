using System.Linq.Expressions;
using System.Security.Claims;
using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.Schools.Data;
using Mep.Schools.Rollout;
using Mep.Schools.Register;
using Mep.Schools.SchoolYears;
using Mep.ServiceDefaults.Auth;
using Mep.Feeds;
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

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
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

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public ProgrammeMeasure Measure { get; init; }
    public bool Participates { get; init; }

    /// <summary>Pilot start, portal onboarding, MDM enrolment, or the day the school joined the MEP standard.</summary>
    public DateOnly? Since { get; init; }

    /// <summary>Measure 4 only: none, planned or joined.</summary>
    public MepStandardStatus? MepStandardStatus { get; init; }

    public int? Wave { get; init; }
    public int? TargetYear { get; init; }
}

/// <summary>A school's rollout to the MEP standard: plan, derived status, broadband (one row per school).</summary>
public sealed class FeedRollout
{
    public Guid SchoolId { get; init; }
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string District { get; init; } = string.Empty;
    public int? Wave { get; init; }
    public int? TargetYear { get; init; }

    /// <summary>Derived from the parts: notInPlan, planned, surveyed, buildingWork, equipping, accepted.</summary>
    public RolloutStatus Status { get; init; }

    public DateOnly? AcceptedOn { get; init; }
    public BroadbandKind? BroadbandKind { get; init; }
    public BroadbandStatus BroadbandStatus { get; init; }
    public int? BandwidthMbits { get; init; }
    public string? BroadbandProvider { get; init; }
    public decimal? BroadbandMonthlyCost { get; init; }
    public decimal? BroadbandConnectionCost { get; init; }
    public string? BackboneNode { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The four milestones with planned and reached days ($expand=Milestones).</summary>
    public List<FeedRolloutMilestone> Milestones { get; init; } = [];
}

/// <summary>A milestone of a school's rollout. Late: ReachedOn eq null and PlannedOn lt today.</summary>
public sealed class FeedRolloutMilestone
{
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public RolloutMilestone Milestone { get; init; }
    public DateOnly? PlannedOn { get; init; }
    public DateOnly? ReachedOn { get; init; }
}

/// <summary>A building's network: technical rooms, distributors, cabling.</summary>
public sealed class FeedBuildingNetwork
{
    public Guid BuildingId { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string Name { get; init; } = string.Empty;
    public WorkStatus TechnicalRooms { get; init; }
    public WorkStatus Distributors { get; init; }
    public WorkStatus Cabling { get; init; }
    public int? CablingMetres { get; init; }
    public DateOnly? NetworkDoneOn { get; init; }
}

/// <summary>A room's rollout: WLAN, access points, board system (installed = reported by Assets), computer-room replacement.</summary>
public sealed class FeedRoomRollout
{
    public Guid RoomId { get; init; }
    public Guid SchoolId { get; init; }
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public Guid BuildingId { get; init; }
    public string Number { get; init; } = string.Empty;
    public RoomKind Kind { get; init; }
    public WlanCoverage Wlan { get; init; }
    public int AccessPointsPlanned { get; init; }
    public int AccessPointsInstalled { get; init; }
    public bool BoardSystemPlanned { get; init; }

    /// <summary>The board system Assets reported in the room; null while there is none.</summary>
    public Guid? BoardSystemId { get; init; }

    /// <summary>Only meaningful for computer rooms.</summary>
    public WorkStatus ComputerRoomReplacement { get; init; }

    /// <summary>The day the room was done; null while it is not.</summary>
    public DateOnly? DoneOn { get; init; }
}

/// <summary>The Schools service's OData feed (/api/schools/odata): schools, school years, programmes, and the rollout.</summary>
public static class SchoolsFeed
{
    public static void Declare(FeedBuilder feed) => feed
        .EntitySet("Schools", "School", (FeedSchool s) => s.Id, SchoolsAccess.Read, context => Schools(Db(context), context.User))
        .EntitySet("SchoolYears", "SchoolYear", (FeedSchoolYear y) => new { y.SchoolId, y.StartYear }, SchoolsAccess.Read,
            context => SchoolYears(Db(context), context.User))
        .EntitySet("ProgrammeParticipations", "ProgrammeParticipation", (FeedProgrammeParticipation p) => new { p.SchoolId, p.Measure },
            SchoolsAccess.Read, context => Programmes(Db(context), context.User))
        .EntitySet("Rollouts", "Rollout", (FeedRollout r) => r.SchoolId, SchoolsAccess.Read, context => Rollouts(Db(context), context.User))
        .EntitySet("RolloutMilestones", "RolloutMilestoneDate", (FeedRolloutMilestone m) => new { m.SchoolId, m.Milestone }, SchoolsAccess.Read,
            context => Db(context).RolloutMilestones.AsNoTracking().VisibleTo(context.User, m => m.SchoolId)
                .Join(Db(context).Schools, m => m.SchoolId, s => s.Id, AsFeedMilestone))
        .EntitySet("BuildingNetworks", "BuildingNetwork", (FeedBuildingNetwork b) => b.BuildingId, SchoolsAccess.Read,
            context => BuildingNetworks(Db(context), context.User))
        .EntitySet("RoomRollouts", "RoomRollout", (FeedRoomRollout r) => r.RoomId, SchoolsAccess.Read, context => RoomRollouts(Db(context), context.User));

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
            SchoolYears = db.SchoolYears.Where(y => y.SchoolId == s.Id).Join(db.Schools, y => y.SchoolId, k => k.Id, AsFeedSchoolYear).ToList(),
        });

    /// <summary>
    /// A school year with its school's number and name (joined: rows name their school by what people know), as the SchoolYears set and
    /// a school's expanded SchoolYears read it.
    /// </summary>
    private static readonly Expression<Func<SchoolYearFigures, School, FeedSchoolYear>> AsFeedSchoolYear = (y, s) => new FeedSchoolYear
    {
        SchoolId = y.SchoolId, SchoolNumber = s.Number, SchoolName = s.Name, StartYear = y.StartYear, Pupils = y.Pupils, Teachers = y.Teachers,
        Classes = y.Classes, UpdatedAt = y.UpdatedAt,
    };

    private static IQueryable<FeedSchoolYear> SchoolYears(SchoolsDbContext db, ClaimsPrincipal user) =>
        db.SchoolYears.AsNoTracking().VisibleTo(user, y => y.SchoolId).Join(db.Schools, y => y.SchoolId, s => s.Id, AsFeedSchoolYear);

    private static readonly Expression<Func<RolloutMilestoneDate, School, FeedRolloutMilestone>> AsFeedMilestone = (m, s) => new FeedRolloutMilestone
    {
        SchoolId = m.SchoolId, SchoolNumber = s.Number, SchoolName = s.Name, Milestone = m.Milestone, PlannedOn = m.PlannedOn,
        ReachedOn = m.ReachedOn,
    };

    private static IQueryable<FeedRollout> Rollouts(SchoolsDbContext db, ClaimsPrincipal user) =>
        Visible(db, user).Join(db.SchoolRollouts, s => s.Id, r => r.SchoolId, (s, r) => new FeedRollout
        {
            SchoolId = s.Id, SchoolNumber = s.Number, SchoolName = s.Name, District = s.District, Wave = s.MepStandardWave,
            TargetYear = s.MepStandardTargetYear, Status = r.Status, AcceptedOn = s.MepStandard == MepStandardStatus.Joined ? s.MepStandardJoinedOn : null,
            BroadbandKind = r.BroadbandKind, BroadbandStatus = r.BroadbandStatus, BandwidthMbits = r.BandwidthMbits, BroadbandProvider = r.BroadbandProvider,
            BroadbandMonthlyCost = r.BroadbandMonthlyCost, BroadbandConnectionCost = r.BroadbandConnectionCost, BackboneNode = r.BackboneNode,
            UpdatedAt = r.UpdatedAt,
            Milestones = db.RolloutMilestones.Where(m => m.SchoolId == s.Id).Join(db.Schools, m => m.SchoolId, k => k.Id, AsFeedMilestone).ToList(),
        });

    private static IQueryable<FeedBuildingNetwork> BuildingNetworks(SchoolsDbContext db, ClaimsPrincipal user) =>
        from n in db.BuildingRollouts.AsNoTracking().VisibleTo(user, b => b.SchoolId)
        join b in db.Buildings on n.BuildingId equals b.Id
        join s in db.Schools on n.SchoolId equals s.Id
        select new FeedBuildingNetwork
        {
            BuildingId = n.BuildingId, SchoolId = n.SchoolId, SchoolNumber = s.Number, SchoolName = s.Name, Name = b.Name,
            TechnicalRooms = n.TechnicalRooms, Distributors = n.Distributors, Cabling = n.Cabling, CablingMetres = n.CablingMetres,
            NetworkDoneOn = n.NetworkDoneOn,
        };

    private static IQueryable<FeedRoomRollout> RoomRollouts(SchoolsDbContext db, ClaimsPrincipal user) =>
        from rr in db.RoomRollouts.AsNoTracking().VisibleTo(user, r => r.SchoolId)
        join r in db.Rooms on rr.RoomId equals r.Id
        join s in db.Schools on rr.SchoolId equals s.Id
        select new FeedRoomRollout
        {
            RoomId = rr.RoomId, SchoolId = rr.SchoolId, SchoolNumber = s.Number, SchoolName = s.Name, BuildingId = r.BuildingId, Number = r.Number,
            Kind = r.Kind, Wlan = rr.Wlan, AccessPointsPlanned = rr.AccessPointsPlanned, AccessPointsInstalled = rr.AccessPointsInstalled,
            BoardSystemPlanned = rr.BoardSystemPlanned,
            BoardSystemId = db.InstalledBoardSystems.Where(b => b.RoomId == rr.RoomId && !b.Dismantled).OrderBy(b => b.AsOf)
                .Select(b => (Guid?)b.BoardSystemId).FirstOrDefault(),
            ComputerRoomReplacement = rr.ComputerRoomReplacement, DoneOn = rr.DoneOn,
        };

    /// <summary>
    /// Four rows per school (UNION ALL in SQL), one per measure. Measure 4 comes first: PostgreSQL types a UNION's columns from
    /// its first branch, so the status column is text there and the other branches' NULLs take that type.
    /// </summary>
    private static IQueryable<FeedProgrammeParticipation> Programmes(SchoolsDbContext db, ClaimsPrincipal user)
    {
        var schools = Visible(db, user);
        return schools.Select(s => new FeedProgrammeParticipation
            {
                SchoolId = s.Id, SchoolNumber = s.Number, SchoolName = s.Name, Measure = ProgrammeMeasure.MepStandard, Participates = s.MepStandard == MepStandardStatus.Joined,
                Since = s.MepStandardJoinedOn, MepStandardStatus = s.MepStandard, Wave = s.MepStandardWave, TargetYear = s.MepStandardTargetYear,
            })
            .Concat(schools.Select(s => new FeedProgrammeParticipation
            {
                SchoolId = s.Id, SchoolNumber = s.Number, SchoolName = s.Name, Measure = ProgrammeMeasure.MepPilot, Participates = s.MepPilot, Since = s.MepPilotSince,
                MepStandardStatus = null, Wave = null, TargetYear = null,
            }))
            .Concat(schools.Select(s => new FeedProgrammeParticipation
            {
                SchoolId = s.Id, SchoolNumber = s.Number, SchoolName = s.Name, Measure = ProgrammeMeasure.Portal, Participates = s.PortalOffer, Since = s.PortalOnboardedOn,
                MepStandardStatus = null, Wave = null, TargetYear = null,
            }))
            .Concat(schools.Select(s => new FeedProgrammeParticipation
            {
                SchoolId = s.Id, SchoolNumber = s.Number, SchoolName = s.Name, Measure = ProgrammeMeasure.MobileLearning, Participates = s.MobileLearning, Since = s.MdmEnrolledOn,
                MepStandardStatus = null, Wave = null, TargetYear = null,
            }));
    }
}
