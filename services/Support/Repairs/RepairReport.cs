using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Mep.Contracts.Schools;
using Mep.Contracts.Support;
using Mep.Exports;
using Mep.SchoolDirectory;

namespace Mep.Support.Repairs;

/// <summary>
/// Repairs of a period: a row per school, model, vendor and payer (cases, outcomes, days out of service, costs), and the costs per payer.
/// A case belongs to the period it was opened in, with all its costs.
/// </summary>
public sealed record RepairReport(
    DateOnly From, DateOnly To, Guid? SchoolId, [MaxLength(100_000)] IReadOnlyList<RepairReportRow> Rows,
    [MaxLength(5)] IReadOnlyList<RepairPayerTotal> Payers)
{
    /// <summary>The report of <paramref name="cases"/> (each with its cost lines), rows ordered by school number, manufacturer, model, vendor, payer.</summary>
    public static RepairReport Of(DateOnly from, DateOnly to, Guid? schoolId, IReadOnlyList<RepairCase> cases, ILookup<Guid, RepairCostLine> costs,
        IReadOnlyDictionary<Guid, KnownSchool> schools)
    {
        var rows = cases.GroupBy(c => (c.SchoolId, c.Manufacturer, c.Model, c.SentTo, c.Payer)).Select(g =>
        {
            var school = schools.GetValueOrDefault(g.Key.SchoolId);
            var back = g.Where(c => c.DaysOutOfService is not null).ToList();
            var lines = g.SelectMany(c => costs[c.Id]).ToList();
            return new RepairReportRow(g.Key.SchoolId, school?.Number, school?.Name, g.Key.Manufacturer, g.Key.Model, g.Key.SentTo, g.Key.Payer,
                RepairPayers.IsCityMoney(g.Key.Payer), g.Count(), g.Count(c => c.Outcome == RepairOutcome.Repaired),
                g.Count(c => c.Outcome == RepairOutcome.WrittenOff), g.Count(c => c.RepeatRepair), back.Count, back.Sum(c => c.DaysOutOfService!.Value),
                back.Count == 0 ? null : Math.Round((decimal)back.Sum(c => c.DaysOutOfService!.Value) / back.Count, 1, MidpointRounding.AwayFromZero),
                lines.Sum(l => l.Amount), lines.Where(l => RepairPayers.IsCityMoney(l.Payer)).Sum(l => l.Amount));
        }).OrderBy(r => r.SchoolNumber, StringComparer.Ordinal).ThenBy(r => r.Manufacturer, StringComparer.Ordinal)
            .ThenBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Vendor, StringComparer.Ordinal).ThenBy(r => r.Payer).ToList();
        var allLines = cases.SelectMany(c => costs[c.Id]).ToList();
        var payers = Enum.GetValues<RepairPayer>().Select(payer =>
        {
            var lines = allLines.Where(l => l.Payer == payer).ToList();
            return new RepairPayerTotal(payer, RepairPayers.IsCityMoney(payer), cases.Count(c => c.Payer == payer), lines.Sum(l => l.Amount),
                lines.Sum(l => l.Hours ?? 0m), RepairPayers.IsCityMoney(payer) ? lines.Sum(l => l.Amount) : 0m);
        }).ToList();
        return new(from, to, schoolId, rows, payers);
    }
}

/// <param name="Vendor">Where the devices went (null: not sent).</param>
/// <param name="Paid">true: a paid repair (the school's budget, the city); false: warranty, seller's liability or the parents' provider.</param>
/// <param name="Back">Cases whose device came back, over which the days out of service are counted.</param>
/// <param name="DaysOutOfService">Days from sent to back, summed over the cases back.</param>
/// <param name="CostToCity">What public money pays of <paramref name="Costs"/>; 0 where warranty or the parents' provider pays.</param>
public sealed record RepairReportRow(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber, [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    [MaxLength(RepairFields.MaxMakeName)] string? Manufacturer, [MaxLength(RepairFields.MaxMakeName)] string? Model,
    [MaxLength(RepairFields.MaxVendor)] string? Vendor, RepairPayer Payer, bool Paid, [Range(0, int.MaxValue)] int Cases,
    [Range(0, int.MaxValue)] int Repaired, [Range(0, int.MaxValue)] int WrittenOff, [Range(0, int.MaxValue)] int RepeatRepairs,
    [Range(0, int.MaxValue)] int Back, [Range(0, int.MaxValue)] int DaysOutOfService, decimal? AverageDaysOutOfService, decimal Costs, decimal CostToCity);

/// <param name="Cases">Cases this payer pays (after overrides).</param>
/// <param name="Costs">Costs recorded against this payer (amounts and the contractor's hours).</param>
public sealed record RepairPayerTotal(
    RepairPayer Payer, bool Paid, [Range(0, int.MaxValue)] int Cases, decimal Costs, decimal ContractorHours, decimal CostToCity);

/// <summary>The report's rows as German Excel opens them.</summary>
public static class RepairReportExport
{
    public static readonly GermanNames<RepairPayer> PayerNames = new(new()
    {
        [RepairPayer.ParentsProvider] = "Anbieter Elternvertrag",
        [RepairPayer.ManufacturerWarranty] = "Herstellergarantie",
        [RepairPayer.SellerLiability] = "Gewährleistung",
        [RepairPayer.SchoolSystemSupportBudget] = "Systembetreuungsmittel der Schule",
        [RepairPayer.City] = "Stadt",
    });

    public static readonly ExportTable<RepairReportRow> Rows = new ExportTable<RepairReportRow>("Reparaturen")
        .Text("Schulnummer", r => r.SchoolNumber, width: 12)
        .Text("Schule", r => r.SchoolName, width: 36)
        .Text("Hersteller", r => r.Manufacturer, width: 16)
        .Text("Modell", r => r.Model, width: 20)
        .Text("Reparatur bei", r => r.Vendor, width: 24)
        .Choice("Kostenträger", r => r.Payer, PayerNames, width: 32)
        .YesNo("Kostenpflichtig", r => r.Paid)
        .Whole("Fälle", r => r.Cases)
        .Whole("Repariert", r => r.Repaired)
        .Whole("Ausgesondert", r => r.WrittenOff)
        .Whole("Wiederholte Reparaturen", r => r.RepeatRepairs)
        .Whole("Zurück", r => r.Back)
        .Whole("Ausfalltage", r => r.DaysOutOfService)
        .Money("Kosten", r => r.Costs)
        .Money("Kosten der Stadt", r => r.CostToCity);

    public static ExportDocument Of(RepairReport report, string? schoolNumber) =>
        new(string.Join('_', new[] { "Reparaturen", schoolNumber, Day(report.From), Day(report.To) }.Where(p => !string.IsNullOrEmpty(p))),
            Rows.Of(report.Rows));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
