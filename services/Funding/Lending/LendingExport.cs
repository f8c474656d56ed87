using System.Globalization;
using Mep.Contracts.Support;
using Mep.Exports;

namespace Mep.Funding.Lending;

/// <summary>
/// The loan devices of a programme and the repair costs per payer as finance opens them in Excel: a row per school with German headers;
/// the workbooks add the totals on a second sheet.
/// </summary>
public static class LendingExport
{
    private static readonly GermanNames<RepairPayer> Payers = new(new(RepairPayers.GermanNames));

    public static readonly ExportTable<SchoolLoans> LoanSchools = LoanColumns(new ExportTable<SchoolLoans>("Leihgeräte")
        .Text("Schulnummer", s => s.SchoolNumber, width: 12)
        .Text("Schule", s => s.SchoolName, width: 36)
        .Text("Stadtbezirk", s => s.District, width: 24), s => s.Figures);

    public static readonly ExportTable<LoanReport> LoanTotals = LoanColumns(new ExportTable<LoanReport>("Summen")
        .Text("Programm", r => r.ProgrammeName, width: 36)
        .Date("Verliehen ab", r => r.LentFrom)
        .Date("Verliehen bis", r => r.LentUntil)
        .Date("Stichtag", r => r.Day), r => r.Totals);

    public static readonly ExportTable<SchoolRepairCosts> RepairSchools = RepairColumns(new ExportTable<SchoolRepairCosts>("Reparaturkosten")
        .Text("Schulnummer", s => s.SchoolNumber, width: 12)
        .Text("Schule", s => s.SchoolName, width: 36)
        .Text("Stadtbezirk", s => s.District, width: 24), s => s.Figures);

    public static readonly ExportTable<RepairCostReport> RepairTotals = RepairColumns(new ExportTable<RepairCostReport>("Summen")
        .Whole("Jahr", r => r.Year), r => r.Totals);

    public static ExportDocument Of(LoanReport report, string? district) =>
        new(FileName("Leihgeräte", report.Programme, district, report.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            LoanSchools.Of(report.Schools), LoanTotals.Of([report]));

    public static ExportDocument Of(RepairCostReport report, string? district) =>
        new(FileName("Reparaturkosten", report.Year.ToString(CultureInfo.InvariantCulture), district), RepairSchools.Of(report.Schools),
            RepairTotals.Of([report]));

    private static string FileName(params string?[] parts) => string.Join('_', parts.Where(part => !string.IsNullOrWhiteSpace(part)));

    private static ExportTable<TRow> LoanColumns<TRow>(ExportTable<TRow> table, Func<TRow, LoanFigures> figures) => table
        .Whole("Geräte verliehen", r => figures(r).DevicesLent)
        .Whole("Ausleihen", r => figures(r).Loans)
        .Whole("Derzeit verliehen", r => figures(r).OutNow)
        .Whole("Überfällig", r => figures(r).Overdue)
        .Whole("Zurückgegeben", r => figures(r).Returned)
        .Whole("Davon beschädigt", r => figures(r).ReturnedDamaged)
        .Whole("Verloren", r => figures(r).Lost)
        .Whole("Gestohlen", r => figures(r).Stolen)
        .Whole("Mitgenommen (Schulwechsel)", r => figures(r).TransferredAway)
        .Whole("Übernommen (Schulwechsel)", r => figures(r).TransferredIn);

    /// <summary>Per payer its amount, then the contractor's hours, what the city bore, what others bore and the sum.</summary>
    private static ExportTable<TRow> RepairColumns<TRow>(ExportTable<TRow> table, Func<TRow, RepairCostFigures> figures)
    {
        foreach (var payer in Enum.GetValues<RepairPayer>())
        {
            table = table.Money(Payers[payer], r => figures(r).For(payer).Amount);
        }

        return table
            .Money("Stunden Dienstleister", r => figures(r).ContractorHours)
            .Money("Kosten Stadt und Schulträger", r => figures(r).CityMoney)
            .Money("Kosten Dritter", r => figures(r).OtherMoney)
            .Money("Summe", r => figures(r).Total);
    }
}
