using System.Net;
using Mep.Contracts.Assets;

namespace Mep.Funding.Tests;

/// <summary>Invoices against an application: the school's own devices only, one invoice number per vendor, audited, retried safely.</summary>
public sealed class ExpenditureTests(FundingOnADay funding) : IClassFixture<FundingOnADay>
{
    private FundingApi Api => funding.Api;

    private static object Invoice(string invoiceNumber, decimal amount, IEnumerable<Guid>? deviceIds = null, IEnumerable<Guid>? rolloutItemIds = null,
        string vendor = "Bechtle Hannover") =>
        new
        {
            vendor, invoiceNumber, invoiceDate = "2023-06-12", amount, category = "displayDevices", deviceIds = deviceIds?.ToArray() ?? [],
            rolloutItemIds = rolloutItemIds?.ToArray() ?? [],
        };

    [Fact]
    public async Task An_invoice_links_the_schools_devices_and_rollout_items_is_audited_and_listed_for_the_school()
    {
        funding.SetDay(2023, 6, 15);
        var school = await Api.SchoolAsync();
        var boards = new[] { FundingApi.OwnedDevice(DeviceKind.BoardSystemComponent, 2_400.00m, new DateOnly(2023, 6, 1)),
            FundingApi.OwnedDevice(DeviceKind.BoardSystemComponent, 2_400.00m, new DateOnly(2023, 6, 1)) };
        await Api.RegisterDevicesAsync(school.Id, boards);
        var id = await Measures.ApprovedAsync(Api, school, 10_000.00m, 10_000.00m, category: "displayDevices");
        var rolloutItem = Guid.NewGuid();

        var recorded = await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures",
            Invoice("RE-2023-4711", 4_800.00m, boards.Select(b => b.DeviceId), [rolloutItem]), idempotencyKey: "invoice-4711");
        var retried = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures",
            Invoice("RE-2023-4711", 4_800.00m, boards.Select(b => b.DeviceId), [rolloutItem]), idempotencyKey: "invoice-4711");
        var forApplication = await FundingApi.GetOkAsync(Api.Finance, $"/api/funding/applications/{id}/expenditures");
        var forSchool = await FundingApi.GetOkAsync(Api.ClientFor(school), $"/api/funding/expenditures?schoolId={school.Id}");

        var expenditureId = recorded.GetProperty("id").GetGuid();
        Assert.Equal(boards.Select(b => b.DeviceId).Order(), recorded.GetProperty("deviceIds").EnumerateArray().Select(d => d.GetGuid()).Order());
        Assert.Equal([rolloutItem], recorded.GetProperty("rolloutItemIds").EnumerateArray().Select(d => d.GetGuid()));
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(expenditureId, (await retried.ReadJsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal([expenditureId], forApplication.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
        Assert.Equal((1, 4_800.00m), (forSchool.GetProperty("totalItems").GetInt32(), forSchool.GetProperty("items")[0].GetProperty("amount").GetDecimal()));
        Assert.Equal(1, await Measures.CountAsync(Api, "expenditures",
            $"application_id = '{id}' AND school_id = '{school.Id}' AND programme_code = '{Measures.DigitalPakt}' AND invoice_date = '2023-06-12'"));
        Assert.Equal(1, await Measures.CountAsync(Api, "audit_entries", $"entity = 'expenditure' AND entity_id = '{expenditureId}'"));
    }

    [Fact]
    public async Task Devices_of_another_school_or_unknown_ones_are_refused_by_id_and_nothing_is_stored()
    {
        funding.SetDay(2023, 6, 15);
        var school = await Api.SchoolAsync();
        var other = await Api.SchoolAsync();
        var own = FundingApi.OwnedDevice(DeviceKind.BoardSystemComponent, 2_400.00m, new DateOnly(2023, 6, 1));
        var foreign = FundingApi.OwnedDevice(DeviceKind.BoardSystemComponent, 2_400.00m, new DateOnly(2023, 6, 1));
        await Api.RegisterDevicesAsync(school.Id, [own]);
        await Api.RegisterDevicesAsync(other.Id, [foreign]);
        var id = await Measures.ApprovedAsync(Api, school, 10_000.00m, 10_000.00m, category: "displayDevices");
        var unknown = Guid.NewGuid();
        var before = await Measures.RowsAsync(Api);

        var refused = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures",
            Invoice("RE-2023-0001", 7_200.00m, [own.DeviceId, foreign.DeviceId, unknown]));

        var problem = await refused.AssertRuleAsync("devices-not-of-school");
        Assert.Equal(new[] { foreign.DeviceId, unknown }.Order(), problem.GetProperty("deviceIds").EnumerateArray().Select(d => d.GetGuid()).Order());
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }

    [Fact]
    public async Task A_vendors_invoice_number_is_recorded_once_and_another_vendor_may_use_the_same_number()
    {
        funding.SetDay(2023, 6, 15);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 10_000.00m, 10_000.00m, category: "displayDevices");
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures", Invoice("2023-100", 1_000.00m));
        var before = await Measures.RowsAsync(Api);

        var twice = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures", Invoice("2023-100", 1_000.00m));
        var runningCosts = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures",
            new { vendor = "Telekom", invoiceNumber = "T-1", invoiceDate = "2023-06-12", amount = 80.00m, category = "runningCosts", deviceIds = Array.Empty<Guid>(), rolloutItemIds = Array.Empty<Guid>() });

        await twice.AssertRuleAsync("invoice-already-recorded");
        await runningCosts.AssertRuleAsync("category-not-eligible");
        Assert.Equal(before, await Measures.RowsAsync(Api));
        await FundingApi.SendOkAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures",
            Invoice("2023-100", 1_000.00m, vendor: "Cancom"));
    }

    [Fact]
    public async Task An_invoice_of_another_category_than_its_measure_is_refused_so_tablets_cannot_slip_past_the_mobile_device_cap()
    {
        funding.SetDay(2023, 5, 10);
        var school = await Api.SchoolAsync();
        var id = await Measures.ApprovedAsync(Api, school, 10_000.00m, 10_000.00m, category: "networking");
        var before = await Measures.RowsAsync(Api);

        var tablets = await FundingApi.SendAsync(Api.Finance, HttpMethod.Post, $"/api/funding/applications/{id}/expenditures",
            new { vendor = "Gravis", invoiceNumber = "G-1", invoiceDate = "2023-05-08", amount = 9_000.00m, category = "mobileDevices",
                deviceIds = Array.Empty<Guid>(), rolloutItemIds = Array.Empty<Guid>() });

        await tablets.AssertRuleAsync("expenditure-category-mismatch");
        Assert.Equal(before, await Measures.RowsAsync(Api));
    }
}
