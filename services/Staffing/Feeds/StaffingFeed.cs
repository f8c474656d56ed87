using Mep.Contracts;
using Mep.Feeds;
using Mep.Staffing.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Staffing.Feeds;

/// <summary>A school's live counts with what identifies the school.</summary>
public sealed class FeedSchoolCounts
{
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name, also under the names every row that refers to a school uses (SchoolNumber, SchoolName).</summary>
    public string Number { get; init; } = string.Empty;
    public string Name { get; init; } = string.Empty;
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string SchoolType { get; init; } = string.Empty;
    public string District { get; init; } = string.Empty;
    public bool AtMepStandard { get; init; }
    public int PupilTablets { get; init; }
    public int TeacherTablets { get; init; }
    public int LoanTablets { get; init; }
    public int ClassSetTablets { get; init; }
    public int ComputerRoomDevices { get; init; }
    public int BoardSystems { get; init; }
    public int BoardSystemComponents { get; init; }
    public int NetworkDevices { get; init; }
}

public sealed class FeedCountSnapshot
{
    public DateOnly TakenOn { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public bool AtMepStandard { get; init; }
    public int PupilTablets { get; init; }
    public int TeacherTablets { get; init; }
    public int LoanTablets { get; init; }
    public int ClassSetTablets { get; init; }
    public int ComputerRoomDevices { get; init; }
    public int BoardSystems { get; init; }
    public int BoardSystemComponents { get; init; }
    public int NetworkDevices { get; init; }
}

public sealed class FeedFteSnapshot
{
    public DateOnly TakenOn { get; init; }
    public string ModelCode { get; init; } = string.Empty;
    public int ModelVersion { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public decimal Fte { get; init; }
}

public sealed class FeedTicketLoad
{
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public DateOnly Month { get; init; }
    public int Tickets { get; init; }
    public int SolvedBySchool { get; init; }
}

public sealed class FeedPost
{
    /// <summary>The unit's code.</summary>
    public string OrgUnit { get; init; } = string.Empty;

    public string OrgUnitName { get; init; } = string.Empty;
    public decimal Posts { get; init; }

    /// <summary>A retired unit holds no posts (its last figure is 0) and takes none.</summary>
    public bool Retired { get; init; }
}

/// <summary>The Staffing service's OData feeds (Excel, Power BI): live counts, the nightly history of counts and FTE, ticket load, posts.</summary>
public static class StaffingFeed
{
    public static void Declare(FeedBuilder feed) => feed
        .EntitySet("SchoolCounts", "SchoolCounts", (FeedSchoolCounts c) => c.SchoolId, StaffingAccess.Read, context => SchoolCounts(Db(context)))
        .EntitySet("CountSnapshots", "CountSnapshot", (FeedCountSnapshot s) => new { s.TakenOn, s.SchoolId }, StaffingAccess.Read,
            context => CountSnapshots(Db(context)))
        .EntitySet("FteSnapshots", "FteSnapshot", (FeedFteSnapshot s) => new { s.TakenOn, s.ModelCode, s.SchoolId }, StaffingAccess.Read,
            context => FteSnapshots(Db(context)))
        .EntitySet("TicketLoad", "MonthlyTicketLoad", (FeedTicketLoad l) => new { l.SchoolId, l.Month }, StaffingAccess.Read,
            context => TicketLoad(Db(context)))
        .EntitySet("Posts", "Post", (FeedPost p) => p.OrgUnit, StaffingAccess.Read,
            context =>
            {
                var db = Db(context);
                return from p in db.CurrentPosts.AsNoTracking()
                       join u in db.OrgUnits.AsNoTracking() on p.OrgUnit equals u.Code
                       select new FeedPost { OrgUnit = p.OrgUnit, OrgUnitName = u.Name, Posts = p.Posts, Retired = u.RetiredAt != null };
            });

    private static StaffingDbContext Db(HttpContext context) => context.RequestServices.GetRequiredService<StaffingDbContext>();

    /// <summary>Each school's number and name joined from the directory (left: a row never waits for its school's replica).</summary>
    private static IQueryable<FeedCountSnapshot> CountSnapshots(StaffingDbContext db) =>
        db.CountSnapshots.AsNoTracking().LeftJoin(db.KnownSchools, s => s.SchoolId, k => k.SchoolId, (s, k) => new FeedCountSnapshot
        {
            TakenOn = s.TakenOn, SchoolId = s.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, AtMepStandard = s.AtMepStandard,
            PupilTablets = s.PupilTablets, TeacherTablets = s.TeacherTablets, LoanTablets = s.LoanTablets, ClassSetTablets = s.ClassSetTablets,
            ComputerRoomDevices = s.ComputerRoomDevices, BoardSystems = s.BoardSystems, BoardSystemComponents = s.BoardSystemComponents,
            NetworkDevices = s.NetworkDevices,
        });

    private static IQueryable<FeedFteSnapshot> FteSnapshots(StaffingDbContext db) =>
        db.FteSnapshots.AsNoTracking().LeftJoin(db.KnownSchools, s => s.SchoolId, k => k.SchoolId, (s, k) => new FeedFteSnapshot
        {
            TakenOn = s.TakenOn, ModelCode = s.ModelCode, ModelVersion = s.ModelVersion, SchoolId = s.SchoolId, SchoolNumber = k!.Number,
            SchoolName = k.Name, Fte = s.Fte,
        });

    private static IQueryable<FeedTicketLoad> TicketLoad(StaffingDbContext db) =>
        db.TicketLoad.AsNoTracking().LeftJoin(db.KnownSchools, l => l.SchoolId, k => k.SchoolId, (l, k) => new FeedTicketLoad
        {
            SchoolId = l.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, Month = l.Month, Tickets = l.Tickets,
            SolvedBySchool = l.SolvedBySchool,
        });

    private static IQueryable<FeedSchoolCounts> SchoolCounts(StaffingDbContext db) =>
        from s in db.KnownSchools.AsNoTracking()
        join c in db.SchoolCounts.AsNoTracking() on s.SchoolId equals c.SchoolId into counts
        from c in counts.DefaultIfEmpty()
        select new FeedSchoolCounts
        {
            SchoolId = s.SchoolId, Number = s.Number, Name = s.Name, SchoolNumber = s.Number, SchoolName = s.Name,
            SchoolType = s.Type == SchoolType.FoeS ? "FöS" : s.Type.ToString(), District = s.District, AtMepStandard = s.AtMepStandard,
            PupilTablets = c == null ? 0 : c.PupilTablets, TeacherTablets = c == null ? 0 : c.TeacherTablets, LoanTablets = c == null ? 0 : c.LoanTablets,
            ClassSetTablets = c == null ? 0 : c.ClassSetTablets, ComputerRoomDevices = c == null ? 0 : c.ComputerRoomDevices,
            BoardSystems = c == null ? 0 : c.BoardSystems, BoardSystemComponents = c == null ? 0 : c.BoardSystemComponents,
            NetworkDevices = c == null ? 0 : c.NetworkDevices,
        };
}
