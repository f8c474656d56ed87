using Mep.Contracts;
using Mep.Contracts.Assets;

namespace Mep.Bench.Assets;

/// <summary>A school of the bench city; it must be in the service's known_schools before devices are registered for it.</summary>
internal sealed record BenchSchool(Guid Id, int Index, SchoolType Type)
{
    public string Number => $"{90_000 + Index}";

    public string Name => $"{Type} Bench {Index:000}";

    public string District => $"Bezirk {Index % 10 + 1}";
}

/// <summary>
/// One device, typed and already in the form the service stores it (serial upper case, texts trimmed), so that
/// the API import and the raw COPY write identical values. No room or board system: both need rows from
/// Schools' events, which the bench does not replay.
/// </summary>
internal sealed record BenchDevice(
    Guid SchoolId,
    string SerialNumber,
    DeviceStatus Status,
    DeviceKind Kind,
    string Manufacturer,
    string Model,
    MdmState MdmState,
    DateOnly? MdmEnrolledOn,
    DateOnly? PurchaseDate,
    decimal? PurchasePrice,
    DateOnly? WarrantyEnd,
    FundingSource? FundingSource,
    int? UsefulLifeMonths,
    TabletOwnership? Ownership = null,
    string? PupilReference = null,
    SubsidyCategory? SubsidyCategory = null,
    string? FamilyReference = null,
    int? SiblingOrder = null,
    decimal? ContractMonthlyRate = null,
    int? ContractMonths = null,
    string? ContractProvider = null);

/// <summary>
/// A seeded generator of a city's inventory: per secondary school mostly parent-financed pupil tablets (with
/// subsidy and rental contract data), then teacher and loan tablets, computer-room devices and network gear; a
/// primary school has class sets instead of pupil devices. Same seed, same devices.
/// </summary>
internal sealed class DeviceMix(int seed)
{
    private const string SerialAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    private static readonly DateOnly FirstPurchase = new(2020, 8, 1);
    private static readonly string[] ContractProviders = ["GRAVIS Schulservice", "Cancom Education", "Bechtle Bildung"];

#pragma warning disable CA5394 // Reproducible test data, not security: a seeded Random is the point.
    private readonly Random _random = new(seed);

    /// <summary>Serials stay unique across any number of devices because each ends in a running number.</summary>
    private int _sequence;

    /// <param name="established">
    /// True for the stored inventory (any lifecycle status, including repairs, losses and retirements); false for a
    /// school's registration of new devices (ordered, delivered or in service, as the API accepts them).
    /// </param>
    public BenchDevice Next(BenchSchool school, bool established)
    {
        var status = established ? EstablishedStatus() : NewStatus();
        var roll = _random.NextDouble();
        return school.Type == SchoolType.GS
            ? roll switch
            {
                < 0.45 => Tablet(school, status, TabletOwnership.SchoolClassSet, FundingSource.DigitalPaktBase),
                < 0.55 => Tablet(school, status, TabletOwnership.Teacher, FundingSource.TeacherLoanDevices),
                < 0.60 => Tablet(school, status, TabletOwnership.Loan, FundingSource.ImmediateEquipmentLoan),
                < 0.85 => ComputerRoomDevice(school, status),
                _ => NetworkDevice(school, status),
            }
            : roll switch
            {
                < 0.55 => PupilTablet(school, status),
                < 0.65 => Tablet(school, status, TabletOwnership.Teacher, FundingSource.TeacherLoanDevices),
                < 0.70 => Tablet(school, status, TabletOwnership.Loan, FundingSource.ImmediateEquipmentLoan),
                < 0.90 => ComputerRoomDevice(school, status),
                _ => NetworkDevice(school, status),
            };
    }

    /// <summary>A tablet of the immediate-equipment programme (Sofortausstattung) that the school lends to pupils, in service.</summary>
    public BenchDevice LoanTablet(BenchSchool school) => Tablet(school, DeviceStatus.InService, TabletOwnership.Loan, FundingSource.ImmediateEquipmentLoan);

    private BenchDevice PupilTablet(BenchSchool school, DeviceStatus status)
    {
        var purchased = PurchaseDay();
        var subsidy = _random.NextDouble() switch
        {
            < 0.70 => SubsidyCategory.None,
            < 0.88 => SubsidyCategory.ButAsylbLG,
            _ => SubsidyCategory.Sibling,
        };
        var sibling = subsidy == SubsidyCategory.Sibling;
        // Most families rent through the school's contract partner; the rest bought outright.
        var rented = _random.NextDouble() < 0.7;
        return new BenchDevice(school.Id, Serial("DMP"), status, DeviceKind.Tablet, "Apple", "iPad 10.9 (10. Gen.)", MdmState.Enrolled,
            purchased.AddDays(_random.Next(1, 20)), purchased, 429.00m + (_random.Next(0, 8) * 10m), purchased.AddYears(3),
            FundingSource.ParentFinanced, 48, TabletOwnership.ParentFinancedPupil, $"PUP-{Random(10)}", subsidy,
            sibling ? $"FAM-{Random(8)}" : null, sibling ? _random.Next(2, 5) : null,
            rented ? 14.99m + _random.Next(0, 6) : null, rented ? _random.GetItems([24, 36, 48], 1)[0] : null,
            rented ? ContractProviders[_random.Next(ContractProviders.Length)] : null);
    }

    private BenchDevice Tablet(BenchSchool school, DeviceStatus status, TabletOwnership ownership, FundingSource funding)
    {
        var purchased = PurchaseDay();
        var apple = _random.NextDouble() < 0.8;
        var enrolled = _random.NextDouble() < 0.9;
        return new BenchDevice(school.Id, Serial(apple ? "DMP" : "HGT"), status, DeviceKind.Tablet, apple ? "Apple" : "Lenovo",
            apple ? "iPad Air 11 (M2)" : "Tab M10 Plus (3. Gen.)", enrolled ? MdmState.Enrolled : MdmState.NotEnrolled,
            enrolled ? purchased.AddDays(_random.Next(1, 30)) : null, purchased, apple ? 599.00m : 249.00m, purchased.AddYears(2),
            funding, 60, ownership);
    }

    private BenchDevice ComputerRoomDevice(BenchSchool school, DeviceStatus status)
    {
        var purchased = PurchaseDay();
        var dell = _random.NextDouble() < 0.6;
        return new BenchDevice(school.Id, Serial(dell ? "CN0" : "YM5"), status, DeviceKind.ComputerRoomDevice, dell ? "Dell" : "Fujitsu",
            dell ? "OptiPlex 7010 Micro" : "Esprimo G6012", MdmState.NotEnrolled, null, purchased, 689.00m + (_random.Next(0, 40) * 10m),
            purchased.AddYears(5), _random.NextDouble() < 0.7 ? FundingSource.DigitalPaktBase : FundingSource.CityMepBudget, 60);
    }

    private BenchDevice NetworkDevice(BenchSchool school, DeviceStatus status)
    {
        var purchased = PurchaseDay();
        var (prefix, manufacturer, model, price) = _random.Next(3) switch
        {
            0 => ("FOC", "Cisco", "Catalyst 9200L-24P", 1849.00m),
            1 => ("CNR", "HPE Aruba", "AP-515", 579.00m),
            _ => ("400", "LANCOM", "GS-3652XP", 2290.00m),
        };
        return new BenchDevice(school.Id, Serial(prefix), status, DeviceKind.NetworkDevice, manufacturer, model, MdmState.NotEnrolled, null,
            purchased, price, purchased.AddYears(5), FundingSource.CityMepBudget, 84);
    }

    private DeviceStatus NewStatus() => _random.NextDouble() switch
    {
        < 0.85 => DeviceStatus.InService,
        < 0.95 => DeviceStatus.Delivered,
        _ => DeviceStatus.Ordered,
    };

    private DeviceStatus EstablishedStatus() => _random.NextDouble() switch
    {
        < 0.80 => DeviceStatus.InService,
        < 0.85 => DeviceStatus.InRepair,
        < 0.88 => DeviceStatus.Delivered,
        < 0.90 => DeviceStatus.Ordered,
        < 0.92 => DeviceStatus.Lost,
        _ => DeviceStatus.Retired,
    };

    private DateOnly PurchaseDay() => FirstPurchase.AddDays(_random.Next(0, 5 * 365));

    /// <summary>A manufacturer-like prefix, random middle (so that inserts land all over the serial index) and a running number.</summary>
    private string Serial(string prefix)
    {
        var number = _sequence++;
        Span<char> suffix = stackalloc char[5];
        for (var i = suffix.Length - 1; i >= 0; i--)
        {
            suffix[i] = SerialAlphabet[number % SerialAlphabet.Length];
            number /= SerialAlphabet.Length;
        }

        return $"{prefix}{Random(5)}{suffix}";
    }

    private string Random(int length) => new(_random.GetItems(SerialAlphabet.AsSpan(), length));
#pragma warning restore CA5394
}
