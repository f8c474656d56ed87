using Mep.Contracts;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;

namespace Mep.Assets.Tests;

/// <summary>
/// While a device is away for repair its user borrows a free loan device of the school (Support asks with ReplacementWanted); the loan
/// names the repair case, comes back when the device is repaired, and stays with the user when it is written off.
/// </summary>
public sealed class RepairReplacementTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    private static readonly DateOnly SentOn = RepairCases.SentOn;
    private static readonly DateOnly ClosedOn = RepairCases.ClosedOn;

    private Task<Guid> RegisterAsync(TestSchool school, Dictionary<string, object?> row) => RepairCases.RegisterAsync(api, school, row);

    /// <summary>A pool tablet of the immediate-equipment programme (pupils only) or of the teacher loan devices (teachers only).</summary>
    private Task<Guid> LoanTabletAsync(TestSchool school, string serial, string programme = "immediateEquipmentLoan") =>
        RegisterAsync(school, AssetsApi.Tablet(serial, "loan", ("fundingSource", programme)));

    private static DeviceSentForRepair Sent(Guid repairCase, TestSchool school, Guid device) =>
        RepairCases.Sent(repairCase, school, device, RepairPayer.ParentsProvider, replacementWanted: true);

    private static RepairCaseClosed Closed(Guid repairCase, TestSchool school, Guid device, RepairOutcome outcome) =>
        RepairCases.Closed(repairCase, school, device, outcome);

    private Task<string?> ReplacementStateAsync(Guid repairCase) =>
        api.Database.ScalarAsync<string>($"SELECT state FROM loans WHERE repair_case_id = '{repairCase}'");

    [Fact]
    public async Task The_pupil_of_a_broken_parent_financed_tablet_borrows_a_free_loan_tablet_and_devices_lent_names_the_repair_case()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DevicesLent>());
        var school = await api.SchoolAsync();
        var broken = await RegisterAsync(school, AssetsApi.Tablet("RPL-PUPIL-1", "parentFinancedPupil"));
        var pool = await LoanTabletAsync(school, "RPL-POOL-1");
        var repairCase = Guid.NewGuid();

        await api.PublishAsync(Sent(repairCase, school, broken));

        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DevicesLent>().Any(e => e.SchoolId == school.Id)), "the replacement is lent");
        var lent = Assert.Single(Assert.Single(listener.Received<DevicesLent>(), e => e.SchoolId == school.Id).Loans);
        Assert.Equal((pool, FundingSource.ImmediateEquipmentLoan, BorrowerKind.Pupil, SentOn, SentOn.AddDays(1095), repairCase),
            (lent.DeviceId, lent.FundingSource, lent.BorrowerKind, lent.LentOn, lent.DueBack, lent.RepairCaseId));
        Assert.Equal("P-RPL-PUPIL-1", await api.Database.ScalarAsync<string>($"SELECT borrower_reference FROM loans WHERE id = '{lent.LoanId}'"));
        Assert.Equal("Lent", await api.Database.ScalarAsync<string>($"SELECT replacement FROM device_repairs WHERE repair_case_id = '{repairCase}'"));
    }

    [Fact]
    public async Task A_teachers_broken_tablet_is_replaced_by_a_teacher_loan_device_lent_under_a_reference_made_from_the_broken_device()
    {
        var school = await api.SchoolAsync();
        var broken = await RegisterAsync(school, AssetsApi.Tablet("RPL-TEACHER-1", "teacher"));
        await LoanTabletAsync(school, "RPL-POOL-PUPILS-2");
        var pool = await LoanTabletAsync(school, "RPL-POOL-TEACHERS-2", "teacherLoanDevices");
        var repairCase = Guid.NewGuid();

        await api.PublishAsync(Sent(repairCase, school, broken));

        await Eventually.AssertAsync(async () => await ReplacementStateAsync(repairCase) == "Out", "the replacement is lent");
        Assert.Equal($"{pool}|Teacher|DEVICE-{broken:N}".ToUpperInvariant(), (await api.Database.ScalarAsync<string>(
            $"SELECT concat_ws('|', device_id, borrower_kind, borrower_reference) FROM loans WHERE repair_case_id = '{repairCase}'"))!.ToUpperInvariant());
    }

    [Fact]
    public async Task With_no_free_loan_device_the_school_publishes_replacement_unavailable()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<ReplacementUnavailable>());
        var school = await api.SchoolAsync();
        var broken = await RegisterAsync(school, AssetsApi.Tablet("RPL-NONE-1", "parentFinancedPupil"));
        // The only loan tablet is the teachers' programme's: a pupil may not borrow it.
        await LoanTabletAsync(school, "RPL-NONE-POOL-1", "teacherLoanDevices");
        var repairCase = Guid.NewGuid();

        await api.PublishAsync(Sent(repairCase, school, broken));

        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<ReplacementUnavailable>().Any(e => e.RepairCaseId == repairCase)),
            "Support hears that no replacement is free");
        var unavailable = Assert.Single(listener.Received<ReplacementUnavailable>(), e => e.RepairCaseId == repairCase);
        Assert.Equal((broken, school.Id), (unavailable.DeviceId, unavailable.SchoolId));
        Assert.Equal(0, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM loans WHERE repair_case_id = '{repairCase}'"));
    }

    [Fact]
    public async Task A_class_set_tablet_has_no_personal_user_to_lend_to_and_gets_replacement_unavailable()
    {
        var school = await api.SchoolAsync(SchoolType.GS);
        var broken = await RegisterAsync(school, AssetsApi.Tablet("RPL-CLASS-1", "schoolClassSet"));
        await LoanTabletAsync(school, "RPL-CLASS-POOL-1");
        var repairCase = Guid.NewGuid();

        await api.DeliverAllAtOnceAsync([Sent(repairCase, school, broken)], AssetsService.PathPrefix);

        Assert.Equal(1, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.ReplacementUnavailable' AND body::jsonb->>'repairCaseId' = '{repairCase}'"));
        Assert.Null(await ReplacementStateAsync(repairCase));
    }

    [Fact]
    public async Task The_replacement_comes_back_when_the_device_is_repaired_and_devices_returned_names_the_repair_case()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DevicesReturned>());
        var school = await api.SchoolAsync();
        var broken = await RegisterAsync(school, AssetsApi.Tablet("RPL-BACK-1", "parentFinancedPupil"));
        var pool = await LoanTabletAsync(school, "RPL-BACK-POOL-1");
        var repairCase = Guid.NewGuid();
        await api.PublishAsync(Sent(repairCase, school, broken));
        await Eventually.AssertAsync(async () => await ReplacementStateAsync(repairCase) == "Out", "the replacement is lent");

        await api.PublishAsync(Closed(repairCase, school, broken, RepairOutcome.Repaired));

        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DevicesReturned>().Any(e => e.SchoolId == school.Id)), "the replacement is back");
        var returned = Assert.Single(Assert.Single(listener.Received<DevicesReturned>(), e => e.SchoolId == school.Id).Returns);
        Assert.Equal((pool, ClosedOn, false, 0, repairCase), (returned.DeviceId, returned.ReturnedOn, returned.Damaged, returned.MissingAccessories, returned.RepairCaseId));
        Assert.Equal("Returned", await ReplacementStateAsync(repairCase));
        Assert.Equal("inService", (await (await api.ClientFor(school).GetAsync($"/api/assets/devices/{broken}")).ReadJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_user_keeps_the_replacement_when_the_device_is_written_off()
    {
        var school = await api.SchoolAsync();
        var broken = await RegisterAsync(school, AssetsApi.Tablet("RPL-KEEP-1", "parentFinancedPupil"));
        await LoanTabletAsync(school, "RPL-KEEP-POOL-1");
        var repairCase = Guid.NewGuid();
        await api.PublishAsync(Sent(repairCase, school, broken));
        await Eventually.AssertAsync(async () => await ReplacementStateAsync(repairCase) == "Out", "the replacement is lent");

        await api.DeliverAllAtOnceAsync([Closed(repairCase, school, broken, RepairOutcome.WrittenOff)], AssetsService.PathPrefix);

        Assert.Equal("retired", (await (await api.ClientFor(school).GetAsync($"/api/assets/devices/{broken}")).ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal("Out", await ReplacementStateAsync(repairCase));
        Assert.Equal("KeptByUser", await api.Database.ScalarAsync<string>($"SELECT replacement FROM device_repairs WHERE repair_case_id = '{repairCase}'"));
        Assert.Equal(0, await api.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE message_type = 'Mep.Contracts.Assets.DevicesReturned' AND body::jsonb->>'schoolId' = '{school.Id}'"));
    }

    /// <summary>Lends the device to a pupil through the loans API, as the school does; the loan's id.</summary>
    private async Task<Guid> LendAsync(TestSchool school, string serial, string pupil, string guardian)
    {
        var response = await api.ClientFor(school).PostAsync("/api/assets/loans/batch", Json.Body(new
        {
            lentOn = "2026-09-01", dueBack = "2027-07-15", className = "7a", condition = "good", accessories = new[] { "charger" },
            agreement = new { template = "Leihvertrag Sofortausstattung", version = "2", signedOn = "2026-08-28" },
            loans = new[] { new { serialNumber = serial, borrowerKind = "pupil", borrowerReference = pupil, guardianReference = guardian } },
        }));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("loans")[0].GetProperty("loanId").GetGuid();
    }

    [Fact]
    public async Task The_borrower_of_a_broken_loan_device_borrows_the_replacement_under_the_same_agreement_and_due_date()
    {
        var school = await api.SchoolAsync();
        await LoanTabletAsync(school, "RPL-LENT-1");
        var pool = await LoanTabletAsync(school, "RPL-LENT-POOL-1");
        await LendAsync(school, "RPL-LENT-1", "P-4711", "G-0815");
        var broken = await api.Database.ScalarAsync<Guid>("SELECT id FROM devices WHERE serial_number = 'RPL-LENT-1'");
        var repairCase = Guid.NewGuid();

        await api.PublishAsync(Sent(repairCase, school, broken));

        await Eventually.AssertAsync(async () => await ReplacementStateAsync(repairCase) == "Out", "the replacement is lent");
        Assert.Equal($"{pool}|P-4711|G-0815|7a|2026-11-02|2027-07-15|Leihvertrag Sofortausstattung", await api.Database.ScalarAsync<string>(
            "SELECT concat_ws('|', device_id, borrower_reference, guardian_reference, class_name, lent_on, due_back, agreement_template) " +
            $"FROM loans WHERE repair_case_id = '{repairCase}'"));
    }

    [Fact]
    public async Task A_written_off_loan_device_ends_its_own_loan_as_returned_damaged_and_the_borrower_keeps_the_replacement()
    {
        await using var listener = await BrokerListener.StartAsync(api.Broker, events => events.Keep<DevicesReturned>());
        var school = await api.SchoolAsync();
        await LoanTabletAsync(school, "RPL-LENT-GONE-1");
        await LoanTabletAsync(school, "RPL-LENT-GONE-POOL-1");
        var ownLoan = await LendAsync(school, "RPL-LENT-GONE-1", "P-4712", "G-0816");
        var broken = await api.Database.ScalarAsync<Guid>("SELECT id FROM devices WHERE serial_number = 'RPL-LENT-GONE-1'");
        var repairCase = Guid.NewGuid();
        await api.PublishAsync(Sent(repairCase, school, broken));
        await Eventually.AssertAsync(async () => await ReplacementStateAsync(repairCase) == "Out", "the replacement is lent");

        await api.PublishAsync(Closed(repairCase, school, broken, RepairOutcome.WrittenOff));

        await Eventually.AssertAsync(() => Task.FromResult(listener.Received<DevicesReturned>().Any(e => e.SchoolId == school.Id)), "the own loan ended");
        var returned = Assert.Single(Assert.Single(listener.Received<DevicesReturned>(), e => e.SchoolId == school.Id).Returns);
        Assert.Equal((ownLoan, broken, ClosedOn, true, (Guid?)null), (returned.LoanId, returned.DeviceId, returned.ReturnedOn, returned.Damaged, returned.RepairCaseId));
        Assert.Equal("Out", await ReplacementStateAsync(repairCase));
    }

    [Fact]
    public async Task Two_repairs_at_once_get_two_different_replacements()
    {
        var school = await api.SchoolAsync();
        var first = await RegisterAsync(school, AssetsApi.Tablet("RPL-RACE-1", "parentFinancedPupil"));
        var second = await RegisterAsync(school, AssetsApi.Tablet("RPL-RACE-2", "parentFinancedPupil"));
        var pool = new[] { await LoanTabletAsync(school, "RPL-RACE-POOL-1"), await LoanTabletAsync(school, "RPL-RACE-POOL-2") };
        var (firstCase, secondCase) = (Guid.NewGuid(), Guid.NewGuid());

        await api.DeliverAllAtOnceAsync([Sent(firstCase, school, first), Sent(secondCase, school, second)], AssetsService.PathPrefix);

        Assert.Equal(pool.Order(), (await Task.WhenAll(new[] { firstCase, secondCase }.Select(c =>
            api.Database.ScalarAsync<Guid>($"SELECT device_id FROM loans WHERE repair_case_id = '{c}' AND state = 'Out'")))).Order());
    }
}
