using Mep.Contracts;
using Mep.Contracts.Schools;
using Mep.Schools.ApiKeys;
using Mep.Schools.Buildings;
using Mep.Schools.Data;
using Mep.Schools.Rollout;
using Mep.Schools.Register;
using Mep.Schools.SchoolYears;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Schools.DemoData;

/// <summary>
/// A demo city of 99 schools shaped like Hannover's (docs/domain.md, "Scale"). Real: the names of the six
/// measure-4 schools of the council paper, and that six pilot schools had 5,080 pupils in 2018/19.
/// Everything else (pilot school names, numbers, addresses, districts, counts, rooms) is synthetic,
/// generated deterministically, and says so in the README. Seeding is idempotent: schools are matched
/// by number and never overwritten, so a planner's edits survive another <c>./mep up</c>.
/// </summary>
public sealed class DemoCity(SchoolsDbContext db, DemoRollout rollout, TimeProvider clock, ILogger<DemoCity> logger)
{
    public const string Command = "seed-demo";
    public const string DemoSchoolName = "GY Goetheschule";

    /// <summary>The number <see cref="Plan"/> gives GY Goetheschule (third of the measure-4 schools).</summary>
    public const string DemoSchoolNumber = "90003";
    public const int PilotPupils2018 = 5_080;


    private static readonly string[] Districts =
    [
        "Mitte", "Vahrenwald-List", "Bothfeld-Vahrenheide", "Buchholz-Kleefeld", "Misburg-Anderten",
        "Kirchrode-Bemerode-Wülferode", "Südstadt-Bult", "Döhren-Wülfel", "Ricklingen", "Linden-Limmer",
        "Ahlem-Badenstedt-Davenstedt", "Herrenhausen-Stöcken", "Nord",
    ];

    private static readonly string[] Streets =
    [
        "Schulstraße", "Lindenallee", "Am Stadtpark", "Kastanienweg", "Birkenstraße", "Am Markt", "Wiesenweg", "Eichenallee",
        "Gartenstraße", "Am Mühlenberg", "Ahornweg", "Bergstraße", "Rosenweg", "Am Kanal", "Feldstraße", "Uferstraße",
    ];

    private static readonly string[] NameStems =
    [
        "Am Lindenhof", "Kastanienhof", "Am Mühlenteich", "Sonnenwinkel", "Am Eichenpark", "Auf der Heide", "Am Wasserturm",
        "Regenbogenschule", "Wiesengrund", "Am Stadtwald", "Lerchenfeld", "Am Kanalufer", "Bergfeld", "Birkenhain",
        "Am Rosengarten", "Fliederweg", "Am Brunnen", "Feldmark", "Ahornschule", "Am Schlosspark", "Uferschule", "Lindenblatt",
        "Am Marktplatz", "Tannenhof", "Kleefeld-Süd", "Am Hügel", "Sternschule", "Apfelgarten", "Am Bach", "Morgenland",
        "Weidenbusch", "Am Kirchplatz", "Heideweg", "Am Wall", "Buchenhain", "Mühlenfeld", "Am Turm", "Wellenschule",
        "Am Hafen", "Kiefernweg", "Birkenfeld", "Am Bahnhof", "Holunderweg", "Am Stadion", "Feldlerche", "Wiesenschule",
        "Am Anger", "Sonnenhof", "Eichenweg", "Am Deich", "Ulmenschule", "Blumenau", "Am Felde", "Kastanienallee",
        "Am Gutshof", "Seeblick", "Am Hang", "Erlenbruch", "Am Forst", "Gartenstadt", "Hainholz-Nord", "Am Lindenberg",
        "Pappelweg", "Am Park", "Kranichschule", "Am Sandberg", "Wiesenhof", "Am Burgberg", "Nordstern", "Elmschule",
        "Am Steinweg", "Eulenschule", "Am Schafberg", "Hirtenweg", "Am Rathaus", "Wasserwerk", "Am Mühlbach", "Weststadt",
        "Am Sportpark", "Talschule", "Am Ring", "Ostschule", "Südschule", "Am Weiher", "Lindenhain", "Vogelsang", "Am Moor",
    ];

    /// <summary>The council paper's measure 4: these six reach the MEP standard in 2020.</summary>
    private static readonly (string Name, SchoolType Type)[] MeasureFourSchools =
    [
        ("GS Am Welfenplatz", SchoolType.GS), ("GS Otfried-Preußler-Schule", SchoolType.GS), ("GY Goetheschule", SchoolType.GY),
        ("GY Limmer", SchoolType.GY), ("GY Ricarda-Huch-Schule", SchoolType.GY), ("IGS Leonore-Goldschmidt-Schule", SchoolType.IGS),
    ];

    /// <summary>The paper does not name its pilot schools; these six are synthetic, with the paper's 5,080 pupils (8/2018) between them.</summary>
    private static readonly (string Name, SchoolType Type, int Pupils2018)[] PilotSchools =
    [
        ("GY Am Lindener Markt", SchoolType.GY, 1_020), ("GY Eilenriede-Nord", SchoolType.GY, 880), ("IGS Am Kronsberg-West", SchoolType.IGS, 910),
        ("IGS Leinebogen", SchoolType.IGS, 760), ("OBS Am Mittellandkanal", SchoolType.OBS, 690), ("KGS Am Seelhorster Feld", SchoolType.KGS, 820),
    ];

    /// <summary>The other 87 schools, by type, so that the city has 55 primary schools, 16 Gymnasien, 10 IGS and so on.</summary>
    private static readonly (SchoolType Type, int Count)[] SyntheticSchools =
    [
        (SchoolType.GS, 53), (SchoolType.OBS, 6), (SchoolType.RS, 2), (SchoolType.HS, 1), (SchoolType.GY, 11),
        (SchoolType.IGS, 7), (SchoolType.FoeS, 5), (SchoolType.BBS, 2),
    ];

    public sealed record Result(int SchoolsCreated, int SchoolsTotal, string DemoSchoolName, Guid DemoSchoolId, string DemoSchoolKey);

    /// <summary>Migrates, seeds, and prints the demo school's key for <c>./mep</c> to keep (given back in MEP_DEMO_SCHOOL_KEY next time).</summary>
    public static async Task RunFromCommandLineAsync(WebApplication app)
    {
        await app.Services.MigrateDatabaseAsync<Data.SchoolsDbContext>();
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DemoCity>()
            .SeedAsync(Environment.GetEnvironmentVariable("MEP_DEMO_SCHOOL_KEY"), CancellationToken.None);
        Console.WriteLine($"demo city: {result.SchoolsCreated} schools created, {result.SchoolsTotal} in total");
        Console.WriteLine($"demo-school-name={result.DemoSchoolName} ({result.DemoSchoolId})");
        Console.WriteLine($"demo-school-key={result.DemoSchoolKey}");
    }

    public async Task<Result> SeedAsync(string? existingDemoKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var known = (await db.Schools.Select(s => s.Number).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var created = 0;
        foreach (var plan in Plan())
        {
            if (known.Contains(plan.Number))
            {
                continue;
            }

            AddSchool(plan, now);
            created++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await rollout.SeedAsync(Plan(), cancellationToken);
        // By number, not name: a planner may have renamed it since.
        var demoSchool = await db.Schools.FirstAsync(s => s.Number == DemoSchoolNumber, cancellationToken);
        var key = await DemoKeyAsync(demoSchool.Id, existingDemoKey, now, cancellationToken);
        var total = await db.Schools.CountAsync(cancellationToken);
        logger.LogInformation("Demo city seeded: {Created} schools created, {Total} in total", created, total);
        return new Result(created, total, demoSchool.Name, demoSchool.Id, key);
    }

    /// <summary>Reuses the key ./mep kept if it is still active for the demo school; otherwise issues a new one.</summary>
    private async Task<string> DemoKeyAsync(Guid schoolId, string? existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (SchoolApiKeyFormat.TryParse(existing, out var keyId, out var secret))
        {
            var stored = await db.ApiKeys.FirstOrDefaultAsync(k => k.KeyId == keyId && k.SchoolId == schoolId, cancellationToken);
            if (stored is { IsActive: true } && SchoolApiKeyFormat.SecretMatches(secret, stored.SecretHash))
            {
                return existing!;
            }
        }

        var (key, plainText) = SchoolApiKey.Issue(schoolId, "demo key (./mep up)", "demo-seed", now);
        db.ApiKeys.Add(key);
        db.ApiKeyIssued(key, now);
        await db.SaveChangesAsync(cancellationToken);
        return plainText;
    }

    /// <summary>One school of the demo city; <paramref name="Index"/> is its place in <see cref="Plan"/>.</summary>
    public sealed record PlannedSchool(
        string Number, string Name, SchoolType Type, string District, int Pupils2018, bool Pilot, bool MeasureFour, int Seed, int Index = 0);

    /// <summary>All 99 schools, in a fixed order with fixed numbers, so every run plans the same city.</summary>
    public static List<PlannedSchool> Plan()
    {
        var random = new Random(2020);
        var plans = new List<PlannedSchool>();
        var number = DemoCitySchools.FirstNumber;
        foreach (var (name, type) in MeasureFourSchools)
        {
            plans.Add(new PlannedSchool($"{number++}", name, type, Districts[random.Next(Districts.Length)], TypicalPupils(type, random),
                Pilot: false, MeasureFour: true, random.Next()));
        }

        foreach (var (name, type, pupils) in PilotSchools)
        {
            plans.Add(new PlannedSchool($"{number++}", name, type, Districts[random.Next(Districts.Length)], pupils,
                Pilot: true, MeasureFour: false, random.Next()));
        }

        var stem = 0;
        foreach (var (type, count) in SyntheticSchools)
        {
            for (var i = 0; i < count; i++)
            {
                plans.Add(new PlannedSchool($"{number++}", $"{type.Code()} {NameStems[stem++ % NameStems.Length]}", type,
                    Districts[random.Next(Districts.Length)], TypicalPupils(type, random), Pilot: false, MeasureFour: false, random.Next()));
            }
        }

        return [.. plans.Select((plan, index) => plan with { Index = index })];
    }

    private static int TypicalPupils(SchoolType type, Random random) => type switch
    {
        SchoolType.GS => random.Next(180, 421),
        SchoolType.HS => random.Next(150, 301),
        SchoolType.RS => random.Next(300, 501),
        SchoolType.OBS => random.Next(400, 701),
        SchoolType.GY => random.Next(700, 1_301),
        SchoolType.IGS => random.Next(900, 1_501),
        SchoolType.KGS => random.Next(1_200, 1_601),
        SchoolType.FoeS => random.Next(60, 151),
        SchoolType.BBS => random.Next(1_500, 3_001),
        _ => 300,
    };

    private void AddSchool(PlannedSchool plan, DateTimeOffset now)
    {
        var random = new Random(plan.Seed);
        var school = School.Register(new SchoolDetails(plan.Number, plan.Name, plan.Type,
            $"{Streets[random.Next(Streets.Length)]} {random.Next(1, 120)}", $"30{random.Next(159, 670)}", "Hannover", plan.District,
            $"sekretariat.{plan.Number}@schulen.hannover.example"), now);

        var portal = plan.Pilot || plan.MeasureFour || random.NextDouble() < 0.4;
        var mobile = plan.Pilot || plan.MeasureFour || random.NextDouble() < 0.3;
        school.ChangeProgrammes(new ProgrammeParticipation(
            new MepPilotParticipation(plan.Pilot, plan.Pilot ? new DateOnly(2016, 8, 1) : null),
            DemoRollout.MepStandardPlan(plan),
            new OfferParticipation(portal, portal ? ProgrammeRules.PortalOfferStart.AddDays(random.Next(0, 300)) : null),
            new OfferParticipation(mobile, mobile ? ProgrammeRules.MobileLearningStart.AddDays(random.Next(14, 330)) : null)), now);

        var concept = plan.Pilot || plan.MeasureFour ? MediaConceptStatus.FullConcept : (MediaConceptStatus)random.Next(0, 3);
        school.RecordMediaConcept(concept, concept == MediaConceptStatus.None ? null : new DateOnly(2020, 3, 1).AddDays(random.Next(0, 400)), now);
        db.Schools.Add(school);
        db.StartRollout(school.Id, inMepPlan: true, now);
        db.SchoolRegistered(school, now);
        db.SchoolChanged(school, wasAtMepStandard: false, now);
        db.MediaConceptRecorded(school, now);

        // Three school years: 2018/19 (the paper's reference for the pilots' 5,080 pupils) to 2020/21.
        var pupils = plan.Pupils2018;
        var classes = 0;
        for (var startYear = 2018; startYear <= 2020; startYear++)
        {
            var perClass = plan.Type == SchoolType.GS ? 22 : 25;
            classes = Math.Max(1, (int)Math.Round(pupils / (double)perClass));
            var figures = SchoolYearFigures.Record(school.Id, startYear, pupils, Math.Max(4, pupils / 14), classes, now);
            db.SchoolYears.Add(figures);
            db.SchoolYearFiguresRecorded(figures, now);
            pupils = Math.Max(20, pupils + random.Next(-25, 40));
        }

        AddRooms(school, classes, random, now);
    }

    /// <summary>A main building with one classroom per class, computer rooms and a staff room; large schools get an annex.</summary>
    private void AddRooms(School school, int classes, Random random, DateTimeOffset now)
    {
        var main = AddBuilding("Hauptgebäude");
        var annex = classes > 20 ? AddBuilding("Nebengebäude") : null;

        for (var i = 0; i < classes; i++)
        {
            var inAnnex = annex is not null && i >= classes * 2 / 3;
            var building = inAnnex ? annex! : main;
            var floor = (i % 12) / 6;
            AddRoom(building, $"{(inAnnex ? "N" : "H")} {floor}.{i + 1:00}", RoomKind.Classroom, null);
        }

        var computerRooms = school.Type == SchoolType.GS ? random.Next(0, 2) : random.Next(1, 4);
        for (var i = 1; i <= computerRooms; i++)
        {
            AddRoom(main, $"H 2.C{i}", RoomKind.ComputerRoom, $"Computerraum {i}");
        }

        AddRoom(main, "H 0.L", RoomKind.StaffRoom, "Lehrerzimmer");

        Building AddBuilding(string name)
        {
            var building = Building.Add(school.Id, name, now);
            db.Buildings.Add(building);
            db.BuildingRollouts.Add(BuildingRollout.Start(school.Id, building.Id, now));
            return building;
        }

        void AddRoom(Building building, string number, RoomKind kind, string? description)
        {
            var room = Room.Add(school.Id, building.Id, number, kind, description, now);
            db.Rooms.Add(room);
            db.RoomRollouts.Add(RoomRollout.Start(school.Id, room.Id, kind, now));
            db.RoomRecorded(room, building, now);
        }
    }
}
