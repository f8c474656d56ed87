using System.Globalization;
using System.Text;
using Mep.Contracts.Funding;
using Mep.Funding.Data;
using Mep.Mail;
using Mep.ServiceDefaults.Hosting;

namespace Mep.Funding.Deadlines;

/// <summary>A warning as finance reads it in the mail: the school by number and name, the amount that would be lost.</summary>
public sealed record DeadlineWarningLine(string Programme, string Deadline, DateOnly Day, int DaysLeft, string School, decimal AmountAtRisk);

/// <summary>
/// Tells finance by mail about the deadline warnings of one run: one mail listing every new warning, to the finance team's mailbox
/// (<c>Funding:FinanceMailbox</c>, a functional mailbox such as the Controlling DigitalPakt's). A mailbox rather than people: Funding
/// keeps no people directory (Support's holds those who work tickets), a deadline is the team's to watch whoever is away, and a
/// team mailbox is where a city's finance department takes such notices. One mail per run, not per school: a first run in a
/// programme's window warns for up to every school at once. Without a mailbox configured, no mail; the warnings stay in
/// <c>/deadline-warnings</c> and the <c>DeadlineApproaching</c> events.
/// </summary>
public sealed class DeadlineWarningMail(IConfiguration configuration)
{
    public const string MailboxSetting = "Funding:FinanceMailbox";

    /// <summary>Most warnings one mail lists; the rest are counted, and the link lists them all.</summary>
    public const int MaxLines = 500;

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>Writes the mail to the outbox of <paramref name="db"/>, to be saved with the warnings themselves.</summary>
    public void Queue(FundingDbContext db, IReadOnlyList<DeadlineWarningLine> warnings, DateOnly today, DateTimeOffset now)
    {
        if (warnings.Count == 0 || configuration[MailboxSetting] is not { Length: > 0 } mailbox)
        {
            return;
        }

        var schools = warnings.Select(w => w.School).Distinct().Count();
        var subject = $"[MEP-Förderung] Fristwarnung: {warnings.Count} {(warnings.Count == 1 ? "Frist" : "Fristen")} bei {schools} "
            + $"{(schools == 1 ? "Schule" : "Schulen")} mit offenem Geld";
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Guten Tag,\n\nheute ({today.ToString("dd.MM.yyyy", German)}) rücken diese Fristen näher, ")
            .Append("während bei den Schulen noch Geld offen ist (verfällt, wenn die Frist verstreicht):\n");
        foreach (var deadline in warnings.Take(MaxLines).GroupBy(w => (w.Programme, w.Deadline, w.Day, w.DaysLeft)))
        {
            var (programme, name, day, daysLeft) = deadline.Key;
            body.Append(CultureInfo.InvariantCulture,
                $"\n{programme}: {ApplicationDeadline.GermanName(name)} am {day.ToString("dd.MM.yyyy", German)}, noch {daysLeft} {(daysLeft == 1 ? "Tag" : "Tage")}\n");
            foreach (var warning in deadline.OrderBy(w => w.School, StringComparer.Ordinal))
            {
                body.Append(CultureInfo.InvariantCulture, $"  {warning.School}: {warning.AmountAtRisk.ToString("N2", German)} EUR\n");
            }
        }

        if (warnings.Count > MaxLines)
        {
            body.Append(CultureInfo.InvariantCulture, $"\n... und {warnings.Count - MaxLines} weitere.\n");
        }

        var publicBase = EdgeOptions.LinkBase(configuration);
        body.Append(CultureInfo.InvariantCulture, $"\nAlle Fristwarnungen: {publicBase}{FundingService.PathPrefix}/deadline-warnings\n");
        foreach (var programme in warnings.Select(w => w.Programme).Distinct().Order(StringComparer.Ordinal))
        {
            body.Append(CultureInfo.InvariantCulture,
                $"Bericht je Schule ({programme}): {publicBase}{FundingService.PathPrefix}/reports/schools?programme={Uri.EscapeDataString(programme)}\n");
        }

        body.Append("\n--\nMEP-Plattform, Förderung. Diese Nachricht wurde automatisch erzeugt.\n");
        MailOutbox.TryAdd(db, (mail, at) => new FundingMailQueued(mail, at), "deadlineWarnings", mailbox, null, (subject, body.ToString()), "finance-mailbox", now);
    }
}
