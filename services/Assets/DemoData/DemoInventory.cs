using System.Globalization;
using Mep.Assets.BoardSystems;
using Mep.Assets.Data;
using Mep.Assets.Devices;
using Mep.Assets.Registration;
using Mep.Assets.Rooms;
using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Data;
using Mep.SchoolDirectory;
using Microsoft.EntityFrameworkCore;
using DemoCity = Mep.Contracts.Schools.DemoCitySchools;

namespace Mep.Assets.DemoData;

/// <summary>
/// A demo inventory for the demo city that Schools seeds (synthetic, shaped like the council paper). Real are only the pilots'
/// 2019/20 uptake of parent-financed tablets (docs/domain.md, "Parent-financed tablets and subsidies": 2,441 tablets, 243 BuT/AsylbLG,
/// 169 siblings); everything else is plausible demo data. Assets knows the city only from Schools' events, so the schools are read
/// from the replica: pilots are the schools accepted into the MEP standard on 1 August 2020 (found from events, not from names or
/// numbers that a planner may change). Devices go through <see cref="DeviceRegistrar"/>, as a school's batch would, so rules,
/// history and the DevicesRegistered events are those of a real registration. Serials are fixed (DEMO-&lt;school number&gt;-...):
/// running it again registers nothing new.
/// </summary>
public sealed class DemoInventory(AssetsDbContext db, DeviceRegistrar registrar, TimeProvider clock, ILogger<DemoInventory> logger)
{
    public const string Command = "seed-demo";
    public const int DemoCitySchools = Mep.Contracts.Schools.DemoCitySchools.Count;
    public const int PilotParentFinancedTablets = 2_441;
    public const int PilotButAsylbLG = 243;
    public const int PilotSiblings = 169;
    public const string SerialPrefix = "DEMO-";

    /// <summary>The paper's measure 4 (real names); in building work in the demo city, so only devices delivered ahead of it.</summary>
    private static readonly HashSet<string> MeasureFourSchools = new(StringComparer.Ordinal)
    {
        "GS Am Welfenplatz", "GS Otfried-Preußler-Schule", "GY Goetheschule", "GY Limmer", "GY Ricarda-Huch-Schule", "IGS Leonore-Goldschmidt-Schule",
    };

    private const string Actor = "demo-seed";


    /// <summary>Board systems have no serial; the label tells a rerun which ones the demo set up.</summary>
    private const string BoardSystemLabel = SerialPrefix + "Tafel";
    private const int ClassSetSize = 16;
    private const int ClassSetsPerPrimarySchool = 3;
    private const int DevicesPerComputerRoom = 30;
    private const int LoanTabletsAtOtherSchools = 10;

    /// <param name="DevicesCreated">Devices registered by this run (0 when the inventory was seeded already).</param>
    /// <param name="Pilots">Schools found at MEP standard since 1 August 2020.</param>
    public sealed record Result(
        int DevicesCreated, int BoardSystemsCreated, int DemoDevices, int DemoBoardSystems, int Pilots, int ParentFinancedTablets, int ButAsylbLG,
        int Siblings);

    /// <summary>Migrates, waits for Schools' events to have told Assets the whole demo city, seeds, prints a summary line.</summary>
    public static async Task RunFromCommandLineAsync(WebApplication app)
    {
        await app.Services.MigrateDatabaseAsync<AssetsDbContext>();
        await using var scope = app.Services.CreateAsyncScope();
        var inventory = scope.ServiceProvider.GetRequiredService<DemoInventory>();
        await inventory.WaitForSchoolsAsync(DemoCity.Numbers, DemoCity.Pilots, TimeSpan.FromSeconds(120), CancellationToken.None);
        var result = await inventory.SeedAsync(CancellationToken.None);
        Console.WriteLine(
            $"demo inventory: {result.DevicesCreated} devices and {result.BoardSystemsCreated} board systems created, {result.DemoDevices} devices "
            + $"and {result.DemoBoardSystems} board systems in total; {result.Pilots} pilots with {result.ParentFinancedTablets} parent-financed "
            + $"tablets ({result.ButAsylbLG} BuT/AsylbLG, {result.Siblings} siblings)");
    }

    /// <summary>
    /// The command runs while the services start, so Schools' events may still be on their way: polls the replica until it has the
    /// schools, each with rooms, and the room count held still for one poll (a pilot's share of tablets follows its classrooms), and
    /// the pilots' acceptance into the MEP standard (a separate event: a pilot not yet known as one would get an ordinary school's
    /// inventory). Once the demo inventory exists (another <c>./mep up</c>), the pilots are not waited for: a planner may have taken one
    /// out of the standard since. Fails with a message rather than seeding half a city.
    /// </summary>
    /// <param name="numbers">The demo schools' numbers (<see cref="DemoCity.Numbers"/>).</param>
    /// <param name="pilots">How many of them the rollout accepted as pilots (<see cref="DemoCity.Pilots"/>).</param>
    public async Task WaitForSchoolsAsync(IReadOnlyCollection<string> numbers, int pilots, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var expected = numbers.Count;
        var demoNumbers = numbers.ToList();
        var deadline = clock.GetUtcNow() + timeout;
        var previousRooms = -1;
        var pilotsToWaitFor = await db.Devices.AnyAsync(d => d.SerialNumber.StartsWith(SerialPrefix), cancellationToken) ? 0 : pilots;

        while (true)
        {
            // The demo city's schools only: schools users added (perhaps without rooms yet) are none of this wait's business.
            var demoSchools = db.KnownSchools.Where(s => demoNumbers.Contains(s.Number));
            var known = await demoSchools.CountAsync(cancellationToken);
            var withoutRooms = await demoSchools.CountAsync(s => !db.KnownRooms.Any(r => r.SchoolId == s.SchoolId), cancellationToken);
            var rooms = await db.KnownRooms.CountAsync(r => demoSchools.Any(s => s.SchoolId == r.SchoolId), cancellationToken);
            var pilotsKnown = await demoSchools.CountAsync(s => s.AtMepStandard && s.MepStandardSince == DemoCity.PilotsAcceptedOn, cancellationToken);
            if (known >= expected && withoutRooms == 0 && rooms == previousRooms && pilotsKnown >= pilotsToWaitFor)
            {
                return;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                throw new InvalidOperationException(
                    $"Assets knows {known} of {expected} demo schools ({withoutRooms} without rooms, {pilotsKnown} of {pilotsToWaitFor} pilots "
                    + $"accepted) after {timeout.TotalSeconds:0} s; Schools' events have not arrived. Are Schools and Assets running (./mep status), and was the "
                    + "demo city seeded (./mep seed)?");
            }

            logger.LogInformation("Waiting for the demo city: Assets knows {Known} of {Expected} schools and {Rooms} rooms", known, expected, rooms);
            previousRooms = rooms;
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    public async Task<Result> SeedAsync(CancellationToken cancellationToken)
    {
        var schools = await db.KnownSchools.AsNoTracking().OrderBy(s => s.Number).ToListAsync(cancellationToken);
        var rooms = (await db.KnownRooms.AsNoTracking().OrderBy(r => r.Number).ThenBy(r => r.RoomId).ToListAsync(cancellationToken))
            .ToLookup(r => r.SchoolId);
        var pilots = schools.Where(s => s is { AtMepStandard: true } && s.MepStandardSince == DemoCity.PilotsAcceptedOn).ToList();
        var uptake = PilotUptake(pilots.ConvertAll(p => rooms[p.SchoolId].Count(r => r.Kind == RoomKind.Classroom)));

        var (devicesCreated, systemsCreated) = (0, 0);
        var others = 0;
        foreach (var school in schools)
        {
            var schoolRooms = rooms[school.SchoolId].ToList();
            var pilotIndex = pilots.FindIndex(p => p.SchoolId == school.SchoolId);
            SchoolPlan plan;
            if (pilotIndex >= 0)
            {
                plan = PilotPlan(school, schoolRooms, uptake[pilotIndex]);
            }
            else if (MeasureFourSchools.Contains(school.Name))
            {
                plan = MeasureFourPlan(school, schoolRooms);
            }
            else
            {
                plan = OtherSchoolPlan(school, schoolRooms, others++);
            }

            var (devices, systems) = await SeedSchoolAsync(school.SchoolId, plan, cancellationToken);
            (devicesCreated, systemsCreated) = (devicesCreated + devices, systemsCreated + systems);
        }

        var demo = db.Devices.Where(d => d.SerialNumber.StartsWith(SerialPrefix));
        var pilotIds = pilots.ConvertAll(p => p.SchoolId);
        var parentFinanced = demo.Where(d => pilotIds.Contains(d.SchoolId) && d.Ownership == TabletOwnership.ParentFinancedPupil);
        var result = new Result(devicesCreated, systemsCreated, await demo.CountAsync(cancellationToken),
            await db.BoardSystems.CountAsync(b => b.Label != null && b.Label.StartsWith(SerialPrefix), cancellationToken), pilots.Count,
            await parentFinanced.CountAsync(cancellationToken),
            await parentFinanced.CountAsync(d => d.SubsidyCategory == SubsidyCategory.ButAsylbLG, cancellationToken),
            await parentFinanced.CountAsync(d => d.SubsidyCategory == SubsidyCategory.Sibling, cancellationToken));
        logger.LogInformation("Demo inventory seeded: {Created} devices and {Systems} board systems created, {Total} demo devices in total",
            devicesCreated, systemsCreated, result.DemoDevices);
        return result;
    }

    /// <summary>Parent-financed tablets of one pilot: how many, and how many of them with each subsidy.</summary>
    internal sealed record Uptake(int Tablets, int ButAsylbLG, int Siblings);

    /// <summary>
    /// The pilots' 2019/20 figures shared out by classroom count (one classroom per class of 25 in the demo city): Assets does not
    /// know pupil numbers, and classes follow them. Largest remainders, so the parts add up to the paper's totals exactly.
    /// </summary>
    internal static List<Uptake> PilotUptake(IReadOnlyList<int> classrooms)
    {
        var tablets = Share(PilotParentFinancedTablets, classrooms);
        var butAsylbLG = Share(PilotButAsylbLG, classrooms);
        var siblings = Share(PilotSiblings, classrooms);
        return [.. classrooms.Select((_, i) => new Uptake(tablets[i], butAsylbLG[i], siblings[i]))];
    }

    private static int[] Share(int total, IReadOnlyList<int> weights)
    {
        var sum = weights.Sum();
        if (sum == 0)
        {
            // No rooms known: equal parts, still adding up to the total.
            return Share(total, [.. weights.Select(_ => 1)]);
        }

        var exact = weights.Select(w => (double)total * w / sum).ToArray();
        var parts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var i in Enumerable.Range(0, parts.Length).OrderByDescending(i => exact[i] - parts[i]).ThenBy(i => i).Take(total - parts.Sum()))
        {
            parts[i]++;
        }

        return parts;
    }

    /// <summary>What one school gets: device rows, board systems per room, and devices that have moved on in their lifecycle since.</summary>
    private sealed class SchoolPlan
    {
        public List<DeviceRow> Devices { get; } = [];
        public List<(Guid RoomId, List<DeviceRow> Components)> BoardSystems { get; } = [];
        public Dictionary<string, DeviceStatus> LaterStatus { get; } = new(StringComparer.Ordinal);

        /// <summary>The serials' start of the school's parent-financed tablets, which are shared out once (see <see cref="SeedSchoolAsync"/>).</summary>
        public string? ParentFinancedSeries { get; set; }
    }

    /// <summary>Measure 1, at MEP standard since 2020: pupils' own tablets, teacher tablets, a board system per classroom, computer rooms.</summary>
    private static SchoolPlan PilotPlan(KnownSchool school, List<KnownRoom> rooms, Uptake uptake)
    {
        var plan = new SchoolPlan();
        var random = new Random(StableSeed(school.Number));
        AddParentFinancedTablets(plan, school.Number, uptake, random);
        var classrooms = rooms.Where(r => r.Kind == RoomKind.Classroom).ToList();
        var teachers = Teachers(classrooms.Count);
        AddTablets(plan, school.Number, "T", teachers, TabletOwnership.Teacher, FundingSource.CityMepBudget, "2018-08-01", DeviceStatus.InService);
        // Realism: a few teacher tablets away for repair, two replaced (the replacements are among the count above).
        foreach (var n in new[] { 3, 4, 5 })
        {
            plan.LaterStatus[Serial(school.Number, "T", n)] = DeviceStatus.InRepair;
        }

        AddTablets(plan, school.Number, "TX", 2, TabletOwnership.Teacher, FundingSource.CityMepBudget, "2016-08-01", DeviceStatus.InService);
        plan.LaterStatus[Serial(school.Number, "TX", 1)] = DeviceStatus.Retired;
        plan.LaterStatus[Serial(school.Number, "TX", 2)] = DeviceStatus.Retired;

        AddBoardSystems(plan, school.Number, classrooms);
        AddComputerRooms(plan, school.Number, rooms);
        if (school.Type == SchoolType.GS)
        {
            AddClassSets(plan, school.Number);
        }

        return plan;
    }

    /// <summary>Measure 4, in building work: teacher tablets delivered ahead of the building work and a few loan tablets in use.</summary>
    private static SchoolPlan MeasureFourPlan(KnownSchool school, List<KnownRoom> rooms)
    {
        var plan = new SchoolPlan();
        var teachers = Teachers(rooms.Count(r => r.Kind == RoomKind.Classroom));
        AddTablets(plan, school.Number, "T", teachers, TabletOwnership.Teacher, FundingSource.TeacherLoanDevices, "2021-03-15", DeviceStatus.Delivered);
        AddTablets(plan, school.Number, "L", 20, TabletOwnership.Loan, FundingSource.ImmediateEquipmentLoan, "2020-11-02", DeviceStatus.InService);
        plan.LaterStatus[Serial(school.Number, "L", 1)] = DeviceStatus.InRepair;
        return plan;
    }

    /// <summary>
    /// Schools not yet at MEP standard: every seventh lent out tablets from the immediate-equipment programme (2020); a school at MEP
    /// standard that is neither pilot nor measure 4 (none in the demo city, but a planner may accept one) gets what the standard has.
    /// </summary>
    private static SchoolPlan OtherSchoolPlan(KnownSchool school, List<KnownRoom> rooms, int index)
    {
        var plan = new SchoolPlan();
        if (school.AtMepStandard)
        {
            var classrooms = rooms.Where(r => r.Kind == RoomKind.Classroom).ToList();
            AddTablets(plan, school.Number, "T", Teachers(classrooms.Count), TabletOwnership.Teacher, FundingSource.DigitalPaktBase, "2021-08-01",
                DeviceStatus.InService);
            AddBoardSystems(plan, school.Number, classrooms);
            AddComputerRooms(plan, school.Number, rooms);
            if (school.Type == SchoolType.GS)
            {
                AddClassSets(plan, school.Number);
            }
        }
        else if (index % 7 == 0)
        {
            AddTablets(plan, school.Number, "L", LoanTabletsAtOtherSchools, TabletOwnership.Loan, FundingSource.ImmediateEquipmentLoan, "2020-11-02",
                DeviceStatus.InService);
            plan.LaterStatus[Serial(school.Number, "L", LoanTabletsAtOtherSchools)] = DeviceStatus.Retired;
        }

        return plan;
    }

    /// <summary>
    /// The pupils' own tablets on the typical contract (36 x 10.90 EUR with GfdB). A sibling is a family's second (now and then third)
    /// child; the family's first child is a tablet without subsidy carrying the same pseudonymous family reference.
    /// </summary>
    private static void AddParentFinancedTablets(SchoolPlan plan, string number, Uptake uptake, Random random)
    {
        var subsidies = Enumerable.Repeat(SubsidyCategory.ButAsylbLG, uptake.ButAsylbLG)
            .Concat(Enumerable.Repeat(SubsidyCategory.Sibling, uptake.Siblings))
            .Concat(Enumerable.Repeat(SubsidyCategory.None, uptake.Tablets - uptake.ButAsylbLG - uptake.Siblings))
            .ToArray();
        random.Shuffle(subsidies);
        plan.ParentFinancedSeries = $"{SerialPrefix}{number}-P";
        var firstChildren = new Queue<int>(Enumerable.Range(0, subsidies.Length).Where(i => subsidies[i] == SubsidyCategory.None));
        var families = new Dictionary<int, (string Family, int Order)>();
        var family = 0;
        for (var i = 0; i < subsidies.Length; i++)
        {
            if (subsidies[i] == SubsidyCategory.Sibling && firstChildren.TryDequeue(out var first))
            {
                var reference = $"FAM-{number}-{++family:0000}";
                families.TryAdd(first, (reference, 1));
                families[i] = (reference, random.Next(10) == 0 ? 3 : 2);
            }
        }

        for (var i = 0; i < subsidies.Length; i++)
        {
            var serial = Serial(number, "P", i + 1);
            var (familyReference, order) = families.TryGetValue(i, out var f) ? (f.Family, f.Order) : ((string?)null, (int?)null);
            plan.Devices.Add(new DeviceRow(serial, nameof(DeviceKind.Tablet), "Apple", "iPad 10.2 (7th gen)", Status: nameof(DeviceStatus.InService),
                MdmState: nameof(MdmState.Enrolled), MdmEnrolledOn: "2019-08-26", PurchaseDate: "2019-08-15",
                Ownership: nameof(TabletOwnership.ParentFinancedPupil), PupilReference: $"PUP-{number}-{i + 1:0000}",
                SubsidyCategory: subsidies[i].ToString(), FamilyReference: familyReference, SiblingOrder: order, ContractMonthlyRate: 10.90m,
                ContractMonths: 36, ContractProvider: "GfdB"));
            if (i % 97 == 96)
            {
                // Broken screens happen; the provider repairs them under the parents' contract.
                plan.LaterStatus[serial] = DeviceStatus.InRepair;
            }
        }
    }

    private static void AddTablets(SchoolPlan plan, string number, string series, int count, TabletOwnership ownership, FundingSource funding,
        string purchasedOn, DeviceStatus status)
    {
        for (var n = 1; n <= count; n++)
        {
            plan.Devices.Add(new DeviceRow(Serial(number, series, n), nameof(DeviceKind.Tablet), "Apple", "iPad 10.2 (8th gen)",
                Status: status.ToString(), MdmState: nameof(MdmState.Enrolled), MdmEnrolledOn: purchasedOn, PurchaseDate: purchasedOn,
                PurchasePrice: 329.00m, FundingSource: funding.ToString(), UsefulLifeMonths: 60, Ownership: ownership.ToString()));
        }
    }

    /// <summary>Three class sets of 16, school-owned and never personalised (MEP standard for primary schools).</summary>
    private static void AddClassSets(SchoolPlan plan, string number) =>
        AddTablets(plan, number, "C", ClassSetsPerPrimarySchool * ClassSetSize, TabletOwnership.SchoolClassSet, FundingSource.DigitalPaktBase,
            "2020-08-01", DeviceStatus.InService);

    /// <summary>One board system per classroom; every eighth started with whiteboard and mini PC only, as the standard allows.</summary>
    private static void AddBoardSystems(SchoolPlan plan, string number, List<KnownRoom> classrooms)
    {
        for (var i = 0; i < classrooms.Count; i++)
        {
            BoardComponentKind[] kinds = i % 8 == 7 ? [BoardComponentKind.Whiteboard, BoardComponentKind.MiniPc] : Enum.GetValues<BoardComponentKind>();
            var room = classrooms[i].RoomId;
            plan.BoardSystems.Add((room, [
                .. kinds.Select(kind => new DeviceRow(Serial(number, $"B{i + 1:000}-", (int)kind + 1), nameof(DeviceKind.BoardSystemComponent),
                    ComponentMaker(kind), kind.ToString(), RoomId: room, PurchaseDate: "2018-07-16", PurchasePrice: ComponentPrice(kind),
                    FundingSource: nameof(FundingSource.CityMepBudget), UsefulLifeMonths: 60, ComponentKind: kind.ToString())),
            ]));
        }
    }

    private static void AddComputerRooms(SchoolPlan plan, string number, List<KnownRoom> rooms)
    {
        var computerRooms = rooms.Where(r => r.Kind == RoomKind.ComputerRoom).ToList();
        for (var c = 0; c < computerRooms.Count; c++)
        {
            for (var n = 1; n <= DevicesPerComputerRoom; n++)
            {
                plan.Devices.Add(new DeviceRow(Serial(number, $"R{c + 1}-", n), nameof(DeviceKind.ComputerRoomDevice), "Fujitsu", "Esprimo D7010",
                    RoomId: computerRooms[c].RoomId, PurchaseDate: "2019-07-01", PurchasePrice: 689.00m,
                    FundingSource: nameof(FundingSource.CityMepBudget), UsefulLifeMonths: 48));
            }
        }
    }

    /// <summary>About one teacher per 14 pupils and 25 pupils per class, as the demo city plans its schools.</summary>
    private static int Teachers(int classrooms) => Math.Max(4, (int)Math.Round(classrooms * 25 / 14.0));

    private static string Serial(string number, string series, int n) => $"{SerialPrefix}{number}-{series}{n:0000}";

    private static string ComponentMaker(BoardComponentKind kind) => kind switch
    {
        BoardComponentKind.MiniPc or BoardComponentKind.AppleTv => "Apple",
        BoardComponentKind.InteractiveProjector => "Epson",
        BoardComponentKind.Speakers => "Yamaha",
        _ => "Legamaster",
    };

    private static decimal ComponentPrice(BoardComponentKind kind) => kind switch
    {
        BoardComponentKind.Whiteboard => 1_450.00m,
        BoardComponentKind.InteractiveProjector => 1_890.00m,
        BoardComponentKind.MiniPc => 899.00m,
        BoardComponentKind.AppleTv => 199.00m,
        _ => 249.00m,
    };

    /// <summary>string.GetHashCode differs per process; the demo must not.</summary>
    private static int StableSeed(string text) => text.Aggregate(2020, (hash, c) => unchecked((hash * 31) + c));

    /// <summary>
    /// One school in one transaction, so a run that stops part-way leaves whole schools behind. Only serials not yet stored are
    /// registered; a board system is set up (labelled, so a rerun finds it) only for a room that still lacks its components.
    /// </summary>
    private async Task<(int Devices, int BoardSystems)> SeedSchoolAsync(Guid schoolId, SchoolPlan plan, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var stored = (await db.Devices.Where(d => d.SchoolId == schoolId && d.SerialNumber.StartsWith(SerialPrefix)).Select(d => d.SerialNumber)
                .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var systems = await db.BoardSystems.Where(b => b.SchoolId == schoolId && b.DismantledAt == null && b.Label != null
                    && b.Label.StartsWith(SerialPrefix))
                .ToDictionaryAsync(b => b.RoomId, b => b.Id, cancellationToken);

            var now = clock.GetUtcNow();
            // A school that has its share of the pilots' uptake keeps it, even if its classrooms changed since: the totals stay the paper's.
            var hasShare = plan.ParentFinancedSeries is { } series && stored.Any(s => s.StartsWith(series, StringComparison.Ordinal));
            var rows = plan.Devices.Where(d => !stored.Contains(d.SerialNumber!)
                && !(hasShare && d.SerialNumber!.StartsWith(plan.ParentFinancedSeries!, StringComparison.Ordinal))).ToList();
            var systemsCreated = 0;
            foreach (var (roomId, components) in plan.BoardSystems)
            {
                var missing = components.Where(c => !stored.Contains(c.SerialNumber!)).ToList();
                if (missing.Count == 0)
                {
                    continue;
                }

                if (!systems.TryGetValue(roomId, out var systemId))
                {
                    var system = BoardSystem.SetUp(schoolId, roomId, BoardSystemLabel, new DateOnly(2018, 8, 1), now);
                    db.BoardSystems.Add(system);
                    db.BoardSystemRegistered(system, now);
                    systemId = system.Id;
                    systemsCreated++;
                }

                rows.AddRange(missing.Select(c => c with { BoardSystemId = systemId }));
            }

            if (rows.Count == 0)
            {
                return (0, 0);
            }

            // The registrar checks components against the school's active board systems, read from the database.
            await db.SaveChangesAsync(cancellationToken);
            Registered(await registrar.RegisterAsync(schoolId, rows, Actor, [], cancellationToken), schoolId);
            var later = rows.Where(r => plan.LaterStatus.ContainsKey(r.SerialNumber!))
                .Select(r => r with { Status = plan.LaterStatus[r.SerialNumber!].ToString() }).ToList();
            if (later.Count > 0)
            {
                // A lifecycle after registration (repairs, retirements), through the same path as a school's status rows.
                Registered(await registrar.RegisterAsync(schoolId, later, Actor, [], cancellationToken), schoolId);
            }

            await transaction.CommitAsync(cancellationToken);
            return (rows.Count, systemsCreated);
        });
    }

    private static void Registered(RegistrationOutcome outcome, Guid schoolId)
    {
        if (outcome.Result is null)
        {
            // The plan is ours: a refused row is a bug in it, and half an inventory would hide that.
            throw new InvalidOperationException($"The demo inventory for school {schoolId} was refused: "
                + string.Join("; ", outcome.Errors.Take(5).Select(e => string.Create(CultureInfo.InvariantCulture, $"row {e.Row} {e.Field}: {e.Reason}"))));
        }
    }
}
