using MassTransit;
using Mep.Contracts.Assets;
using Mep.Funding.Data;
using Mep.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.Funding.Directory;

/// <summary>
/// What Funding knows of a device, from Assets' events: enough to check that an invoice's devices are the school's, to list the
/// devices a proof of use covers, and to compute the parents' subsidies. Three parts (school, facts, status) each keep the time
/// they were true at Assets and are only replaced by something at least as new, so redelivered and reordered events converge.
/// A part never heard of is null (a status change that overtook the registration).
/// </summary>
public sealed class KnownDevice
{
    public Guid DeviceId { get; internal set; }
    public Guid? SchoolId { get; internal set; }
    public DateTimeOffset SchoolAsOf { get; internal set; }
    public DeviceKind? Kind { get; internal set; }
    public TabletOwnership? Ownership { get; internal set; }
    public SubsidyCategory? SubsidyCategory { get; internal set; }
    public FundingSource? FundingSource { get; internal set; }
    public DateOnly? PurchaseDate { get; internal set; }
    public decimal? PurchasePrice { get; internal set; }
    public int? UsefulLifeMonths { get; internal set; }
    public decimal? ContractMonthlyRate { get; internal set; }
    public int? ContractMonths { get; internal set; }
    public string? ContractProvider { get; internal set; }
    public DateTimeOffset FactsAsOf { get; internal set; }
    public DeviceStatus? Status { get; internal set; }
    public DateTimeOffset StatusAsOf { get; internal set; }

    /// <summary>When Funding first heard of it: the start of a parents' contract whose device carries no purchase date.</summary>
    public DateTimeOffset FirstSeenAt { get; internal set; }
}

/// <summary>One event's news about one device; null parts are not told by it.</summary>
internal sealed record DeviceNews(Guid DeviceId, Guid? SchoolId, DeviceClassification? Classification, DeviceFinancials? Financials,
    DeviceStatus? Status, DateTimeOffset AsOf)
{
    public static DeviceNews Full(Guid deviceId, Guid schoolId, DeviceClassification classification, DeviceFinancials? financials, DateTimeOffset asOf) =>
        new(deviceId, schoolId, classification, financials, classification.Status, asOf);
}

internal static class DeviceReplica
{
    /// <summary>Applies the news of many devices in one statement (a registration carries up to 5,000).</summary>
    public static Task ApplyAsync(FundingDbContext db, IReadOnlyList<DeviceNews> news, CancellationToken cancellationToken)
    {
        var facts = news.Select(n => n.Classification is not null).ToArray();
        var contract = news.Select(n => n.Financials?.ParentContract).ToArray();
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO known_devices AS d (device_id, school_id, school_as_of, kind, ownership, subsidy_category, funding_source, purchase_date,
                purchase_price, useful_life_months, contract_monthly_rate, contract_months, contract_provider, facts_as_of, status, status_as_of,
                first_seen_at)
            SELECT n.device_id, n.school_id, CASE WHEN n.school_id IS NULL THEN '-infinity' ELSE n.as_of END, n.kind, n.ownership,
                n.subsidy_category, n.funding_source, n.purchase_date, n.purchase_price, n.useful_life_months, n.contract_monthly_rate,
                n.contract_months, n.contract_provider, CASE WHEN n.has_facts THEN n.as_of ELSE '-infinity' END, n.status,
                CASE WHEN n.status IS NULL THEN '-infinity' ELSE n.as_of END, n.as_of
            FROM unnest({news.Select(n => n.DeviceId).ToArray()}, {news.Select(n => n.SchoolId).ToArray()}, {news.Select(n => n.AsOf).ToArray()},
                {news.Select(n => n.Classification?.Kind.ToString()).ToArray()}, {news.Select(n => n.Classification?.Ownership?.ToString()).ToArray()},
                {news.Select(n => n.Classification?.SubsidyCategory?.ToString()).ToArray()},
                {news.Select(n => n.Classification?.FundingSource?.ToString()).ToArray()}, {news.Select(n => n.Financials?.PurchaseDate).ToArray()},
                {news.Select(n => n.Financials?.PurchasePrice).ToArray()}, {news.Select(n => n.Financials?.UsefulLifeMonths).ToArray()},
                {contract.Select(c => c?.MonthlyRate).ToArray()}, {contract.Select(c => c?.Months).ToArray()},
                {contract.Select(c => c?.Provider).ToArray()}, {facts}, {news.Select(n => n.Status?.ToString()).ToArray()})
                AS n(device_id, school_id, as_of, kind, ownership, subsidy_category, funding_source, purchase_date, purchase_price, useful_life_months,
                     contract_monthly_rate, contract_months, contract_provider, has_facts, status)
            ON CONFLICT (device_id) DO UPDATE SET
                school_id = CASE WHEN excluded.school_as_of >= d.school_as_of THEN excluded.school_id ELSE d.school_id END,
                school_as_of = greatest(excluded.school_as_of, d.school_as_of),
                kind = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.kind ELSE d.kind END,
                ownership = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.ownership ELSE d.ownership END,
                subsidy_category = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.subsidy_category ELSE d.subsidy_category END,
                funding_source = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.funding_source ELSE d.funding_source END,
                purchase_date = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.purchase_date ELSE d.purchase_date END,
                purchase_price = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.purchase_price ELSE d.purchase_price END,
                useful_life_months = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.useful_life_months ELSE d.useful_life_months END,
                contract_monthly_rate = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.contract_monthly_rate ELSE d.contract_monthly_rate END,
                contract_months = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.contract_months ELSE d.contract_months END,
                contract_provider = CASE WHEN excluded.facts_as_of >= d.facts_as_of THEN excluded.contract_provider ELSE d.contract_provider END,
                facts_as_of = greatest(excluded.facts_as_of, d.facts_as_of),
                status = CASE WHEN excluded.status_as_of >= d.status_as_of THEN excluded.status ELSE d.status END,
                status_as_of = greatest(excluded.status_as_of, d.status_as_of),
                first_seen_at = least(excluded.first_seen_at, d.first_seen_at)
            """, cancellationToken);
    }
}

/// <summary>Assets' device events, each applied once (inbox) and newest-wins per part (<see cref="DeviceReplica"/>).</summary>
public static class DeviceConsumers
{
    public static IBusRegistrationConfigurator AddDeviceConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<Registered>();
        bus.AddConsumer<Updated>();
        bus.AddConsumer<StatusChanged>();
        bus.AddConsumer<Moved>();
        bus.AddConsumer<Retired>();
        bus.AddConsumer<Republished>();
        return bus;
    }

    public sealed class Registered(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<DevicesRegistered, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/devices-registered";

        protected override Task HandleAsync(DevicesRegistered message, ConsumeContext<DevicesRegistered> context) =>
            DeviceReplica.ApplyAsync(Db, message.Devices.Select(d => DeviceNews.Full(d.DeviceId, message.SchoolId, d.Classification, d.Financials,
                message.OccurredAt)).ToList(), context.CancellationToken);
    }

    public sealed class Updated(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceUpdated, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/device-updated";

        protected override Task HandleAsync(DeviceUpdated message, ConsumeContext<DeviceUpdated> context) =>
            DeviceReplica.ApplyAsync(Db, [DeviceNews.Full(message.DeviceId, message.SchoolId, message.Classification, message.Financials, message.OccurredAt)],
                context.CancellationToken);
    }

    public sealed class StatusChanged(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceStatusChanged, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/device-status-changed";

        protected override Task HandleAsync(DeviceStatusChanged message, ConsumeContext<DeviceStatusChanged> context) =>
            DeviceReplica.ApplyAsync(Db, [new DeviceNews(message.DeviceId, null, null, null, message.To, message.OccurredAt)], context.CancellationToken);
    }

    public sealed class Moved(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceMoved, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/device-moved";

        protected override Task HandleAsync(DeviceMoved message, ConsumeContext<DeviceMoved> context) =>
            DeviceReplica.ApplyAsync(Db, [new DeviceNews(message.DeviceId, message.ToSchoolId, null, null, null, message.OccurredAt)], context.CancellationToken);
    }

    /// <summary>Also reported as a status change to Retired; applying both is harmless.</summary>
    public sealed class Retired(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceRetired, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/device-retired";

        protected override Task HandleAsync(DeviceRetired message, ConsumeContext<DeviceRetired> context) =>
            DeviceReplica.ApplyAsync(Db, [new DeviceNews(message.DeviceId, null, null, null, DeviceStatus.Retired, message.OccurredAt)],
                context.CancellationToken);
    }

    public sealed class Republished(FundingDbContext db, TimeProvider clock) : IdempotentConsumer<DeviceStatesRepublished, FundingDbContext>(db, clock)
    {
        protected override string ConsumerName => "funding/device-states-republished";

        protected override Task HandleAsync(DeviceStatesRepublished message, ConsumeContext<DeviceStatesRepublished> context) =>
            DeviceReplica.ApplyAsync(Db, message.Devices.Select(d => DeviceNews.Full(d.DeviceId, message.SchoolId, d.Classification, d.Financials, d.AsOf))
                .ToList(), context.CancellationToken);
    }
}
