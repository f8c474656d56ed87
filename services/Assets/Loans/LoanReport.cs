using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using Mep.Assets.Data;
using Mep.Assets.Registration;
using Mep.Contracts.Assets;
using Mep.Contracts.Schools;
using Mep.Exports;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace Mep.Assets.Loans;

/// <summary>One school's loans of one programme: what is out and overdue today, and what happened in the period.</summary>
/// <param name="Out">Loans out today.</param>
/// <param name="Overdue">Loans out and due back before today (Berlin).</param>
/// <param name="Lent">Loans that began in the period (a transfer begins a loan at the new school).</param>
/// <param name="Returned">Loans that came back in the period.</param>
/// <param name="ReturnedDamaged">Of those, the ones that came back damaged.</param>
/// <param name="Lost">Loans whose device was reported lost in the period.</param>
/// <param name="Stolen">Loans whose device was reported stolen in the period.</param>
/// <param name="DamageRate">Returned damaged per returned, in percent with two places; null when nothing came back.</param>
/// <param name="LossRate">Lost and stolen per lent, in percent with two places; null when nothing was lent.</param>
public sealed record LoanReportRow(
    Guid SchoolId,
    [MaxLength(SchoolFields.NumberLength)] string? SchoolNumber,
    [MaxLength(SchoolFields.MaxName)] string? SchoolName,
    FundingSource Programme,
    [Range(0, int.MaxValue)] int Out,
    [Range(0, int.MaxValue)] int Overdue,
    [Range(0, int.MaxValue)] int Lent,
    [Range(0, int.MaxValue)] int Returned,
    [Range(0, int.MaxValue)] int ReturnedDamaged,
    [Range(0, int.MaxValue)] int Lost,
    [Range(0, int.MaxValue)] int Stolen,
    [Range(0, 100_000)] decimal? DamageRate,
    [Range(0, 100_000)] decimal? LossRate);

/// <summary>The loan report: per school and programme, newest school numbers last.</summary>
/// <param name="Day">Today (Berlin), the day "out" and "overdue" are counted on.</param>
public sealed record LoanReport(DateOnly From, DateOnly To, DateOnly Day, IReadOnlyList<LoanReportRow> Rows)
{
    /// <summary>
    /// The figures of the loans the caller may see (a school key: its own school's), for the selected school or all, over the period
    /// (by default the school year today is in: 1 August to 31 July). One grouped query; schools' names from the directory.
    /// </summary>
    public static async Task<LoanReport> BuildAsync(AssetsDbContext db, ClaimsPrincipal user, SchoolSelection selection, DateOnly? from, DateOnly? to,
        DateOnly today, CancellationToken cancellationToken)
    {
        var schoolYearStart = new DateOnly(today.Month >= 8 ? today.Year : today.Year - 1, 8, 1);
        var (first, last) = (from ?? schoolYearStart, to ?? schoolYearStart.AddYears(1).AddDays(-1));
        var loans = selection.Apply(db.Set<Loan>().AsNoTracking().VisibleTo(user, l => l.SchoolId), l => l.SchoolId);
        var groups = await loans.GroupBy(l => new { l.SchoolId, l.Programme }).Select(g => new
        {
            g.Key.SchoolId,
            g.Key.Programme,
            Out = g.Count(l => l.State == LoanState.Out),
            Overdue = g.Count(l => l.State == LoanState.Out && l.DueBack < today),
            Lent = g.Count(l => l.LentOn >= first && l.LentOn <= last),
            Returned = g.Count(l => l.ReturnedOn >= first && l.ReturnedOn <= last),
            ReturnedDamaged = g.Count(l => l.ReturnedOn >= first && l.ReturnedOn <= last && l.Damaged),
            Lost = g.Count(l => l.State == LoanState.Lost && l.LossReportedOn >= first && l.LossReportedOn <= last),
            Stolen = g.Count(l => l.State == LoanState.Stolen && l.LossReportedOn >= first && l.LossReportedOn <= last),
        }).ToListAsync(cancellationToken);
        var schoolIds = groups.Select(g => g.SchoolId).Distinct().ToList();
        var schools = await db.KnownSchools.AsNoTracking().Where(s => schoolIds.Contains(s.SchoolId)).ToDictionaryAsync(s => s.SchoolId, cancellationToken);
        var rows = groups.Select(g => new LoanReportRow(g.SchoolId, schools.GetValueOrDefault(g.SchoolId)?.Number, schools.GetValueOrDefault(g.SchoolId)?.Name,
                g.Programme, g.Out, g.Overdue, g.Lent, g.Returned, g.ReturnedDamaged, g.Lost, g.Stolen, Percent(g.ReturnedDamaged, g.Returned),
                Percent(g.Lost + g.Stolen, g.Lent)))
            .OrderBy(r => r.SchoolNumber, StringComparer.Ordinal).ThenBy(r => r.SchoolId).ThenBy(r => r.Programme).ToList();
        return new LoanReport(first, last, today, rows);
    }

    private static decimal? Percent(int part, int whole) => whole == 0 ? null : decimal.Round(100m * part / whole, 2, MidpointRounding.AwayFromZero);
}

/// <summary>The loan report as school authorities open it in German Excel.</summary>
public static class LoanReportExport
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static readonly ExportTable<LoanReportRow> Rows = new ExportTable<LoanReportRow>("Leihgeräte")
        .Text("Schulnummer", r => r.SchoolNumber, width: 12)
        .Text("Schule", r => r.SchoolName, width: 36)
        .Choice("Programm", r => r.Programme, DeviceCsv.FundingSources, width: 28)
        .Whole("Ausgeliehen", r => r.Out)
        .Whole("Überfällig", r => r.Overdue)
        .Whole("Verliehen im Zeitraum", r => r.Lent)
        .Whole("Zurückgegeben", r => r.Returned)
        .Whole("Davon beschädigt", r => r.ReturnedDamaged)
        .Whole("Verloren", r => r.Lost)
        .Whole("Gestohlen", r => r.Stolen)
        // A rate is no amount of money: written as German text ("12,50"), which German Excel reads as a number.
        .Text("Schadensquote (%)", r => Rate(r.DamageRate), width: 10)
        .Text("Verlustquote (%)", r => Rate(r.LossRate), width: 10);

    public static ExportDocument Of(LoanReport report) =>
        new($"Leihgeräte_{report.From:yyyy-MM-dd}_{report.To:yyyy-MM-dd}", Rows.Of(report.Rows));

    private static string? Rate(decimal? percent) => percent?.ToString("0.00", German);
}
