using System.Net;
using Mep.Funding.Deadlines;

namespace Mep.Funding.Tests;

/// <summary>Funding on a fixed day, mailing finance's mailbox through a real SMTP server the test runs.</summary>
public sealed class FundingMailingFinance : IAsyncLifetime
{
    public const string Mailbox = "foerdermittel@stadt.example";

    public SmtpReceiver Smtp { get; private set; } = null!;

    public FundingOnADay Funding { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Smtp = await SmtpReceiver.StartAsync();
        Funding = FundingOnADay.WithSettings(new Dictionary<string, string>(Smtp.ServiceSettings) { [DeadlineWarningMail.MailboxSetting] = Mailbox });
        await Funding.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Funding.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>A run of the deadline job that gives warnings tells finance in one mail; a run that gives none sends none.</summary>
public sealed class DeadlineWarningMailTests(FundingMailingFinance mail) : IClassFixture<FundingMailingFinance>
{
    private FundingApi Api => mail.Funding.Api;

    [Fact]
    public async Task A_runs_new_deadline_warnings_reach_the_finance_mailbox_in_exactly_one_mail()
    {
        var (a, _) = await ReportCity.SetUpAsync(mail.Funding, "Misburg-Anderten");

        var first = await WarnAsync();
        var again = await WarnAsync();

        Assert.Equal((1, 0), (first.Warnings, again.Warnings));
        await Eventually.AssertAsync(async () => await Api.Database.ScalarAsync<long>("SELECT count(*) FROM mail_deliveries WHERE state = 'Sent'") == 1,
            "the mail delivered");
        var only = Assert.Single(mail.Smtp.Mails);
        Assert.Equal([FundingMailingFinance.Mailbox], only.Recipients);
        Assert.Equal("[MEP-Förderung] Fristwarnung: 1 Frist bei 1 Schule mit offenem Geld", only.Subject);
        Assert.Contains("digitalpakt-2019-ni: Abrechnungsfrist am 31.12.2024, noch 77 Tage", only.Body, StringComparison.Ordinal);
        Assert.Contains($"  {a.Number} GY Testschule {a.Number}: 8.000,00 EUR", only.Body, StringComparison.Ordinal);
        Assert.Equal(1, await Api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Funding.FundingMailQueued'"));
    }

    private async Task<WarningsGiven> WarnAsync()
    {
        await using var scope = Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeadlineWatch>().WarnAsync(CancellationToken.None);
    }
}

/// <summary>The links of the warning mail open what they name for whoever clicks them.</summary>
public sealed class DeadlineWarningLinkTests(FundingMailingFinance mail) : IClassFixture<FundingMailingFinance>
{
    private FundingApi Api => mail.Funding.Api;

    [Fact]
    public async Task The_mails_report_link_opens_the_report_of_the_programme_warned_about()
    {
        await ReportCity.SetUpAsync(mail.Funding, "Kirchrode");
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DeadlineWatch>().WarnAsync(CancellationToken.None);
        }

        await Eventually.AssertAsync(() => Task.FromResult(mail.Smtp.Mails.Count == 1), "the warning mail arrived");

        const string Label = "Bericht je Schule (digitalpakt-2019-ni): ";
        var line = Assert.Single(mail.Smtp.Mails[0].Body.Split('\n'), l => l.StartsWith(Label, StringComparison.Ordinal));
        var link = line[Label.Length..].Trim();
        var report = await Api.Finance.GetAsync(link);

        Assert.Equal("/api/funding/reports/schools?programme=digitalpakt-2019-ni", link);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
    }
}
