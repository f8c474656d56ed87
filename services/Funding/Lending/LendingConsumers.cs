using MassTransit;
using Mep.Contracts.Assets;
using Mep.Contracts.Support;
using Mep.Funding.Data;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Lending;

/// <summary>
/// Assets' loan events and Support's repair costs, each applied once (inbox) and keyed by loan id or cost id, so that an event published
/// again under another message id, or overtaken by a later one, changes nothing twice.
/// </summary>
public static class LendingConsumers
{
    public static IBusRegistrationConfigurator AddLendingConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<Lent>();
        bus.AddConsumer<Returned>();
        bus.AddConsumer<Lost>();
        bus.AddConsumer<Transferred>();
        bus.AddConsumer<RepairCostBooked>();
        return bus;
    }

    public sealed class Lent(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<DevicesLent, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/devices-lent";

        protected override Task HandleAsync(DevicesLent message, ConsumeContext<DevicesLent> context) =>
            LoanReplica.LendAsync(Db, message, context.CancellationToken);
    }

    public sealed class Returned(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<DevicesReturned, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/devices-returned";

        protected override Task HandleAsync(DevicesReturned message, ConsumeContext<DevicesReturned> context) =>
            LoanReplica.EndAsync(Db, message.SchoolId,
                message.Returns.Select(r => new LoanEnd(r.LoanId, r.DeviceId, LoanEnding.Returned, r.ReturnedOn, r.Damaged)).ToList(), message.OccurredAt,
                context.CancellationToken);
    }

    public sealed class Lost(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<LoanLost, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/loan-lost";

        protected override Task HandleAsync(LoanLost message, ConsumeContext<LoanLost> context) =>
            LoanReplica.EndAsync(Db, message.SchoolId,
                [new LoanEnd(message.LoanId, message.DeviceId, message.Kind == LossKind.Stolen ? LoanEnding.Stolen : LoanEnding.Lost, message.ReportedOn, null)],
                message.OccurredAt, context.CancellationToken);
    }

    public sealed class Transferred(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<LoanTransferred, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/loan-transferred";

        protected override Task HandleAsync(LoanTransferred message, ConsumeContext<LoanTransferred> context) =>
            LoanReplica.TransferAsync(Db, message, context.CancellationToken);
    }

    /// <summary>A cost is recorded once and never changes: a second telling of the same cost id is ignored.</summary>
    public sealed class RepairCostBooked(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<RepairCostRecorded, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/repair-cost-recorded";

        protected override Task HandleAsync(RepairCostRecorded message, ConsumeContext<RepairCostRecorded> context) =>
            Db.Database.ExecuteSqlAsync($"""
                INSERT INTO repair_costs (cost_id, repair_case_id, school_id, device_id, payer, amount, contractor_hours, incurred_on, recorded_at)
                VALUES ({message.CostId}, {message.RepairCaseId}, {message.SchoolId}, {message.DeviceId}, {message.Payer.ToString()}, {message.Amount},
                    {message.ContractorHours}, {message.IncurredOn}, {message.OccurredAt})
                ON CONFLICT (cost_id) DO NOTHING
                """, context.CancellationToken);
    }
}
