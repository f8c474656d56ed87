using System.Linq.Expressions;
using System.Security.Claims;
using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Assets.Loans;
using Mep.Contracts.Assets;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Mep.Feeds;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Feeds;

/// <summary>
/// A device as the reporting feed shows it. The pseudonymous pupil and family references are left out: a report needs
/// counts and money, not who has which device, so no $select can reach them.
/// </summary>
public sealed class FeedDevice
{
    public Guid Id { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string Serial { get; init; } = string.Empty;
    public DeviceKind Kind { get; init; }
    public string Manufacturer { get; init; } = string.Empty;
    public string Model { get; init; } = string.Empty;
    public DeviceStatus Status { get; init; }
    public DateTimeOffset StatusChangedAt { get; init; }
    public Guid? RoomId { get; init; }
    public MdmState MdmState { get; init; }
    public DateOnly? MdmEnrolledOn { get; init; }
    public DateOnly? PurchaseDate { get; init; }
    public decimal? PurchasePrice { get; init; }
    public DateOnly? WarrantyEnd { get; init; }
    public FundingSource? FundingSource { get; init; }
    public int? UsefulLifeMonths { get; init; }
    public TabletOwnership? Ownership { get; init; }
    public SubsidyCategory? SubsidyCategory { get; init; }
    public int? SiblingOrder { get; init; }
    public decimal? ContractMonthlyRate { get; init; }
    public int? ContractMonths { get; init; }
    public string? ContractProvider { get; init; }
    public Guid? BoardSystemId { get; init; }
    public BoardComponentKind? ComponentKind { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The board system the device is a component of ($expand=BoardSystem).</summary>
    public FeedBoardSystem? BoardSystem { get; init; }
}

public sealed class FeedBoardSystem
{
    public Guid Id { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public Guid RoomId { get; init; }
    public string? Label { get; init; }
    public DateOnly? InstalledOn { get; init; }
    public DateTimeOffset? DismantledAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Its component devices ($expand=Components).</summary>
    public List<FeedDevice> Components { get; init; } = [];
}

/// <summary>
/// Devices in use per school (delivered, in service, in repair), by ownership, subsidy category and staffing category: the
/// same figures as GET /counts. A board system counts as three devices in its staffing category, whatever its components.
/// </summary>
public sealed class FeedSchoolDeviceCounts
{
    public Guid SchoolId { get; init; }
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public string District { get; init; } = string.Empty;
    public int ParentFinancedPupilTablets { get; init; }
    public int SubsidyNoneTablets { get; init; }
    public int SubsidyButAsylbLGTablets { get; init; }
    public int SubsidySiblingTablets { get; init; }
    public int TeacherTablets { get; init; }
    public int LoanTablets { get; init; }
    public int ClassSetTablets { get; init; }
    public int ComputerRoomDevices { get; init; }
    public int NetworkDevices { get; init; }
    public int BoardSystems { get; init; }
    public int BoardSystemComponents { get; init; }

    /// <summary>Staffing category "teacher and pupil tablets" (1 FTE per 1,500 in the Hannover model).</summary>
    public int StaffingTablets { get; init; }

    /// <summary>Staffing category "computer-room devices" (1 FTE per 700).</summary>
    public int StaffingComputerRoomDevices { get; init; }

    /// <summary>Staffing category "board systems (three devices each) and class-set tablets".</summary>
    public int StaffingBoardSystemsAndClassSets { get; init; }
}

/// <summary>
/// A loan as the reporting feed shows it. The pseudonymous borrower and guardian references and the damage note are left out: a report
/// counts loans, it does not follow pupils.
/// </summary>
public sealed class FeedLoan
{
    public Guid Id { get; init; }
    public Guid DeviceId { get; init; }
    public Guid SchoolId { get; init; }

    /// <summary>The school's number and name beside its id, so that people filter by what they know.</summary>
    public string SchoolNumber { get; init; } = string.Empty;
    public string SchoolName { get; init; } = string.Empty;
    public FundingSource Programme { get; init; }
    public BorrowerKind BorrowerKind { get; init; }
    public string? ClassName { get; init; }
    public DateOnly LentOn { get; init; }
    public DateOnly DueBack { get; init; }
    public LoanState State { get; init; }
    public string AgreementTemplate { get; init; } = string.Empty;
    public string AgreementVersion { get; init; } = string.Empty;
    public DamagePayer DamagePayer { get; init; }
    public DeviceCondition ConditionAtHandOut { get; init; }
    public DateOnly? ReturnedOn { get; init; }
    public DeviceCondition? ConditionAtReturn { get; init; }
    public bool Damaged { get; init; }
    public int MissingAccessories { get; init; }
    public DateOnly? LossReportedOn { get; init; }
    public DateOnly? TransferredOn { get; init; }
    public Guid? RepairCaseId { get; init; }
}

/// <summary>The Assets service's OData feed (/api/assets/odata): devices, board systems, counts per school, loans.</summary>
public static class AssetsFeed
{
    private static readonly DeviceStatus[] InUse = [.. DevicesInUse.Statuses];

    public static void Declare(FeedBuilder feed) => feed
        .EntitySet("Devices", "Device", (FeedDevice d) => d.Id, AssetsAccess.Read, context => Devices(Db(context), context.User))
        .EntitySet("BoardSystems", "BoardSystem", (FeedBoardSystem b) => b.Id, AssetsAccess.Read, context => BoardSystems(Db(context), context.User))
        .EntitySet("DeviceCounts", "SchoolDeviceCounts", (FeedSchoolDeviceCounts c) => c.SchoolId, AssetsAccess.Read,
            context => Counts(Db(context), context.User))
        .EntitySet("Loans", "Loan", (FeedLoan l) => l.Id, AssetsAccess.Read, context => Loans(Db(context), context.User));

    private static AssetsDbContext Db(HttpContext context) => context.RequestServices.GetRequiredService<AssetsDbContext>();

    /// <summary>
    /// Every column of a feed device, with its school's number and name from the directory (left-joined: a row never waits for its
    /// school's replica): the Devices set and a board system's Components read the same.
    /// </summary>
    private static readonly Expression<Func<Device, KnownSchool?, FeedDevice>> AsFeedDevice = (d, k) => new FeedDevice
    {
        Id = d.Id, SchoolId = d.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, Serial = d.SerialNumber, Kind = d.Kind,
        Manufacturer = d.Manufacturer, Model = d.Model, Status = d.Status, StatusChangedAt = d.StatusChangedAt, RoomId = d.RoomId,
        MdmState = d.MdmState, MdmEnrolledOn = d.MdmEnrolledOn, PurchaseDate = d.PurchaseDate, PurchasePrice = d.PurchasePrice,
        WarrantyEnd = d.WarrantyEnd, FundingSource = d.FundingSource, UsefulLifeMonths = d.UsefulLifeMonths, Ownership = d.Ownership,
        SubsidyCategory = d.SubsidyCategory, SiblingOrder = d.SiblingOrder, ContractMonthlyRate = d.ContractMonthlyRate,
        ContractMonths = d.ContractMonths, ContractProvider = d.ContractProvider, BoardSystemId = d.BoardSystemId, ComponentKind = d.ComponentKind,
        CreatedAt = d.CreatedAt, UpdatedAt = d.UpdatedAt,
    };

    /// <summary>A school key's rows are its school's, before any query option applies.</summary>
    private static IQueryable<FeedDevice> Devices(AssetsDbContext db, ClaimsPrincipal user)
    {
        // The device's columns plus its board system (one level: the system's own Components are not read from here). A device
        // belongs to a board system of its own school (it leaves the system when it moves), so the system's school is the device's.
        Expression<Func<Device, KnownSchool?, FeedBoardSystem?>> boardSystem = (d, k) => db.BoardSystems.Where(b => b.Id == d.BoardSystemId)
            .Select(b => new FeedBoardSystem
            {
                Id = b.Id, SchoolId = b.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, RoomId = b.RoomId, Label = b.Label,
                InstalledOn = b.InstalledOn, DismantledAt = b.DismantledAt, CreatedAt = b.CreatedAt,
            }).FirstOrDefault();
        var (device, school) = (AsFeedDevice.Parameters[0], AsFeedDevice.Parameters[1]);
        var columns = (MemberInitExpression)AsFeedDevice.Body;
        var systemOfDevice = new Rebind(boardSystem.Parameters, [device, school]).Visit(boardSystem.Body);
        var withSystem = columns.Update(columns.NewExpression,
            columns.Bindings.Append(Expression.Bind(typeof(FeedDevice).GetProperty(nameof(FeedDevice.BoardSystem))!, systemOfDevice)));
        return db.Devices.AsNoTracking().VisibleTo(user, d => d.SchoolId).LeftJoin(db.KnownSchools, d => d.SchoolId, k => k.SchoolId,
            Expression.Lambda<Func<Device, KnownSchool?, FeedDevice>>(withSystem, device, school));
    }

    /// <summary>A school key's rows are its school's loans: after a transfer, the old school's loan that ended and not the new one.</summary>
    private static IQueryable<FeedLoan> Loans(AssetsDbContext db, ClaimsPrincipal user) =>
        db.Set<Loan>().AsNoTracking().VisibleTo(user, l => l.SchoolId).LeftJoin(db.KnownSchools, l => l.SchoolId, k => k.SchoolId, (l, k) => new FeedLoan
        {
            Id = l.Id, DeviceId = l.DeviceId, SchoolId = l.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, Programme = l.Programme,
            BorrowerKind = l.BorrowerKind, ClassName = l.ClassName, LentOn = l.LentOn, DueBack = l.DueBack, State = l.State,
            AgreementTemplate = l.AgreementTemplate, AgreementVersion = l.AgreementVersion, DamagePayer = l.DamagePayer,
            ConditionAtHandOut = l.ConditionAtHandOut, ReturnedOn = l.ReturnedOn, ConditionAtReturn = l.ConditionAtReturn, Damaged = l.Damaged,
            MissingAccessories = l.MissingAccessories.Count, LossReportedOn = l.LossReportedOn, TransferredOn = l.TransferredOn,
            RepairCaseId = l.RepairCaseId,
        });

    private static IQueryable<FeedBoardSystem> BoardSystems(AssetsDbContext db, ClaimsPrincipal user)
    {
        // A school key's scope inside the expansion too, not only on the systems: $expand and its $count read no further.
        var visibleDevices = db.Devices.VisibleTo(user, d => d.SchoolId);
        return db.BoardSystems.AsNoTracking().VisibleTo(user, b => b.SchoolId).LeftJoin(db.KnownSchools, b => b.SchoolId, k => k.SchoolId,
            (b, k) => new FeedBoardSystem
            {
                Id = b.Id, SchoolId = b.SchoolId, SchoolNumber = k!.Number, SchoolName = k.Name, RoomId = b.RoomId, Label = b.Label,
                InstalledOn = b.InstalledOn, DismantledAt = b.DismantledAt, CreatedAt = b.CreatedAt,
                Components = visibleDevices.Where(d => d.BoardSystemId == b.Id)
                    .LeftJoin(db.KnownSchools, d => d.SchoolId, s => s.SchoolId, AsFeedDevice).ToList(),
            });
    }

    /// <summary>Puts one lambda's body on another lambda's parameters.</summary>
    private sealed class Rebind(IList<ParameterExpression> from, IList<ParameterExpression> to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => from.IndexOf(node) is var at and >= 0 ? to[at] : node;
    }

    /// <summary>
    /// One pass over the devices in use, grouped per school, left-joined to every known school: a school without devices reads
    /// nulls from the join, which COALESCE turns into zeros (<c>(int?)d.X ?? 0</c>).
    /// </summary>
    private static IQueryable<FeedSchoolDeviceCounts> Counts(AssetsDbContext db, ClaimsPrincipal user)
    {
        var inUse = InUse;
        var perSchool = db.Devices.Where(d => inUse.Contains(d.Status)).GroupBy(d => d.SchoolId).Select(g => new
        {
            SchoolId = g.Key,
            ParentFinanced = g.Count(d => d.Ownership == TabletOwnership.ParentFinancedPupil),
            SubsidyNone = g.Count(d => d.Ownership == TabletOwnership.ParentFinancedPupil && d.SubsidyCategory == SubsidyCategory.None),
            SubsidyBut = g.Count(d => d.Ownership == TabletOwnership.ParentFinancedPupil && d.SubsidyCategory == SubsidyCategory.ButAsylbLG),
            SubsidySibling = g.Count(d => d.Ownership == TabletOwnership.ParentFinancedPupil && d.SubsidyCategory == SubsidyCategory.Sibling),
            Teacher = g.Count(d => d.Ownership == TabletOwnership.Teacher),
            Loan = g.Count(d => d.Ownership == TabletOwnership.Loan),
            ClassSet = g.Count(d => d.Ownership == TabletOwnership.SchoolClassSet),
            ComputerRoom = g.Count(d => d.Kind == DeviceKind.ComputerRoomDevice),
            Network = g.Count(d => d.Kind == DeviceKind.NetworkDevice),
            Components = g.Count(d => d.Kind == DeviceKind.BoardSystemComponent),
        });
        var boardSystems = db.BoardSystems.Where(b => b.DismantledAt == null).GroupBy(b => b.SchoolId).Select(g => new { SchoolId = g.Key, Count = g.Count() });
        return from s in db.KnownSchools.AsNoTracking().VisibleTo(user, s => s.SchoolId)
               join d in perSchool on s.SchoolId equals d.SchoolId into devices
               from d in devices.DefaultIfEmpty()
               join b in boardSystems on s.SchoolId equals b.SchoolId into systems
               from b in systems.DefaultIfEmpty()
               select new FeedSchoolDeviceCounts
               {
                   SchoolId = s.SchoolId,
                   SchoolNumber = s.Number,
                   SchoolName = s.Name,
                   District = s.District,
                   ParentFinancedPupilTablets = (int?)d!.ParentFinanced ?? 0,
                   SubsidyNoneTablets = (int?)d!.SubsidyNone ?? 0,
                   SubsidyButAsylbLGTablets = (int?)d!.SubsidyBut ?? 0,
                   SubsidySiblingTablets = (int?)d!.SubsidySibling ?? 0,
                   TeacherTablets = (int?)d!.Teacher ?? 0,
                   LoanTablets = (int?)d!.Loan ?? 0,
                   ClassSetTablets = (int?)d!.ClassSet ?? 0,
                   ComputerRoomDevices = (int?)d!.ComputerRoom ?? 0,
                   NetworkDevices = (int?)d!.Network ?? 0,
                   BoardSystems = (int?)b!.Count ?? 0,
                   BoardSystemComponents = (int?)d!.Components ?? 0,
                   StaffingTablets = ((int?)d!.ParentFinanced ?? 0) + ((int?)d!.Teacher ?? 0) + ((int?)d!.Loan ?? 0),
                   StaffingComputerRoomDevices = (int?)d!.ComputerRoom ?? 0,
                   StaffingBoardSystemsAndClassSets = (Inventory.InventoryEndpoints.DevicesPerBoardSystem * ((int?)b!.Count ?? 0)) + ((int?)d!.ClassSet ?? 0),
               };
    }
}
