using MassTransit;
using Mep.Contracts.Assets;
using Mep.Messaging;
using Mep.Support.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Repairs;

/// <summary>
/// What Assets tells of a repair's replacement: a loan naming the case (lent, or none free) and its return. Each message applied once
/// (inbox); a row about a case of another school, or no case of Support's, changes nothing.
/// </summary>
public static class RepairReplacementConsumers
{
    public static IBusRegistrationConfigurator AddRepairConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ReplacementLentConsumer>();
        bus.AddConsumer<ReplacementUnavailableConsumer>();
        bus.AddConsumer<ReplacementReturnedConsumer>();
        return bus;
    }

    /// <summary>The cases the rows name, of the message's school. A concurrent change of one is caught by its row version and applied again.</summary>
    private static async Task<Dictionary<Guid, RepairCase>> CasesAsync(SupportDbContext db, Guid schoolId, IEnumerable<Guid?> named,
        CancellationToken cancellationToken)
    {
        var ids = named.OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        return await db.Set<RepairCase>().Where(r => ids.Contains(r.Id) && r.SchoolId == schoolId).ToDictionaryAsync(r => r.Id, cancellationToken);
    }

    public sealed class ReplacementLentConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DevicesLent, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/repair-replacement-lent";

        protected override async Task HandleAsync(DevicesLent message, ConsumeContext<DevicesLent> context)
        {
            var cases = await CasesAsync(Db, message.SchoolId, message.Loans.Select(l => l.RepairCaseId), context.CancellationToken);
            foreach (var loan in message.Loans)
            {
                if (loan.RepairCaseId is { } id && cases.TryGetValue(id, out var repair))
                {
                    repair.RecordReplacement(loan.DeviceId, loan.LoanId);
                }
            }
        }
    }

    public sealed class ReplacementUnavailableConsumer(SupportDbContext db, TimeProvider clock)
        : IdempotentConsumer<ReplacementUnavailable, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/repair-replacement-unavailable";

        protected override async Task HandleAsync(ReplacementUnavailable message, ConsumeContext<ReplacementUnavailable> context)
        {
            var cases = await CasesAsync(Db, message.SchoolId, [message.RepairCaseId], context.CancellationToken);
            if (cases.TryGetValue(message.RepairCaseId, out var repair))
            {
                repair.RecordReplacementUnavailable();
            }
        }
    }

    public sealed class ReplacementReturnedConsumer(SupportDbContext db, TimeProvider clock) : IdempotentConsumer<DevicesReturned, SupportDbContext>(db, clock)
    {
        protected override string ConsumerName => "support/repair-replacement-returned";

        protected override async Task HandleAsync(DevicesReturned message, ConsumeContext<DevicesReturned> context)
        {
            var cases = await CasesAsync(Db, message.SchoolId, message.Returns.Select(r => r.RepairCaseId), context.CancellationToken);
            foreach (var returned in message.Returns)
            {
                if (returned.RepairCaseId is { } id && cases.TryGetValue(id, out var repair))
                {
                    repair.RecordReplacementReturned(returned.LoanId, returned.DeviceId, returned.ReturnedOn);
                }
            }
        }
    }
}
