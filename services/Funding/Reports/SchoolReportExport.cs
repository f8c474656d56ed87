using System.Globalization;
using Mep.Exports;
using Mep.Funding.Deadlines;

namespace Mep.Funding.Reports;

/// <summary>
/// The per-school report as finance opens it in Excel: a row per school with German headers that say which amounts are net (without
/// the safety surcharge) and which gross (with it); the workbook adds the programme's totals on a second sheet.
/// </summary>
public static class SchoolReportExport
{
    // The headers both sheets share: net is without the safety surcharge, gross with it.
    private const string Allocated = "Zuweisung";
    private const string AppliedNet = "Beantragt (netto)";
    private const string AppliedGross = "Beantragt (brutto)";
    private const string ApprovedGross = "Bewilligt (brutto)";
    private const string Spent = "Ausgegeben";
    private const string Drawn = "Abgerufen";
    private const string NotYetApplied = "Noch nicht beantragt (netto)";
    private const string ApprovedNotDrawn = "Bewilligt, nicht abgerufen (brutto)";

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static readonly ExportTable<SchoolFigures> Schools = new ExportTable<SchoolFigures>("Schulen")
        .Text("Schulnummer", s => s.Number, width: 12)
        .Text("Schule", s => s.Name, width: 36)
        .Text("Stadtbezirk", s => s.District, width: 24)
        .Text("Schulform", s => s.SchoolType, width: 8)
        .Money("Sockelbetrag", s => s.BaseAmount)
        .Money("Pro-Schüler-Anteil", s => s.PerPupilShare)
        .Money(Allocated, s => s.Allocated)
        .Money(AppliedNet, s => s.AppliedNet)
        .Money(AppliedGross, s => s.AppliedGross)
        .Money(ApprovedGross, s => s.ApprovedGross)
        .Money("In Bewilligung (netto)", s => s.PendingApproval)
        .Money(Spent, s => s.Spent)
        .Money(Drawn, s => s.Drawn)
        .Money(NotYetApplied, s => s.NotYetApplied)
        .Money(ApprovedNotDrawn, s => s.ApprovedNotDrawn)
        .Whole("Anträge", s => s.Applications)
        .YesNo("Gefährdet", s => s.AtRisk)
        .Text("Risiken", s => Risks(s.Risks), width: 60);

    public static readonly ExportTable<SchoolReport> Totals = new ExportTable<SchoolReport>("Summen")
        .Text("Programm", r => r.ProgrammeName, width: 36)
        .Date("Stichtag", r => r.Day)
        .Money("Fördertopf", r => r.Pool)
        .Money(Allocated, r => r.Totals.Allocated)
        .Money(AppliedNet, r => r.Totals.AppliedNet)
        .Money(AppliedGross, r => r.Totals.AppliedGross)
        .Money(ApprovedGross, r => r.Totals.ApprovedGross)
        .Money(Spent, r => r.Totals.Spent)
        .Money(Drawn, r => r.Totals.Drawn)
        .Money(NotYetApplied, r => r.Totals.NotYetApplied)
        .Money(ApprovedNotDrawn, r => r.Totals.ApprovedNotDrawn)
        .Whole("Schulen gefährdet", r => r.Totals.SchoolsAtRisk)
        .Money("Betrag gefährdet", r => r.Totals.AmountAtRisk);

    /// <param name="district">The report's district as its schools have it stored (never the query's text), which the file's name then carries.</param>
    public static ExportDocument Of(SchoolReport report, string? district) =>
        new(string.Join('_', new[] { "Förderbericht", report.Programme, district, report.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }
                .Where(part => !string.IsNullOrWhiteSpace(part))),
            Schools.Of(report.Schools), Totals.Of([report]));

    /// <summary>"Abrechnungsfrist 31.12.2024: 8.000,00 EUR; ..." with "(abgelaufen)" where the day has passed.</summary>
    private static string Risks(IReadOnlyList<Risk> risks) => string.Join("; ", risks.Select(r =>
        $"{ApplicationDeadline.GermanName(r.Deadline)} {GermanDay.Of(r.Day)}: {r.Amount.ToString("#,##0.00", German)} EUR"
        + (r.Lapsed ? " (abgelaufen)" : string.Empty)));
}
