using Mep.Support.Routing;
using Mep.Support.Sla;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Data;

/// <summary>
/// The small, rarely edited tables that every new ticket and every ticket change read: categories, groups, the current routing
/// rules, the SLA calendars with the school holidays, and the SLA policies. Held in memory, because reading them per
/// request was five of the fifteen statements a new ticket cost. An admin change made through this replica is seen by
/// its next request (the endpoint calls <see cref="Changed"/>); one made through another replica, or in the database
/// directly, within <see cref="MaxAge"/>.
/// </summary>
public sealed class ReferenceData(IServiceScopeFactory scopes) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _current;
    private long _generation;

    /// <summary>One consistent reading of the reference tables.</summary>
    public sealed class Snapshot(IReadOnlyDictionary<string, TicketCategory> categories, IReadOnlyDictionary<string, SupportGroup> groups,
        RoutingRuleSet rules, IReadOnlyDictionary<string, BusinessCalendar> calendars, IReadOnlyList<SlaPolicy> policies, long generation, long loadedAt)
    {
        public IReadOnlyDictionary<string, TicketCategory> Categories { get; } = categories;

        public IReadOnlyDictionary<string, SupportGroup> Groups { get; } = groups;

        /// <summary>The newest version of the routing rules: the one new tickets are routed by.</summary>
        public RoutingRuleSet Rules { get; } = rules;

        public IReadOnlyList<SlaPolicy> Policies { get; } = policies;

        internal long Generation { get; } = generation;

        /// <summary><see cref="Environment.TickCount64"/> when read: the age is real time, whatever clock the service runs on.</summary>
        internal long LoadedAt { get; } = loadedAt;

        public BusinessCalendar Calendar(string code) => calendars[code];
    }

    public async ValueTask<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_current) is { } current)
        {
            return current;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            return Fresh(_current) ?? (_current = await LoadAsync(Interlocked.Read(ref _generation), cancellationToken));
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Called after an admin change is committed: the next request reads the tables again.</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _generation);
        _current = null;
    }

    public void Dispose() => _loading.Dispose();

    private Snapshot? Fresh(Snapshot? snapshot) =>
        snapshot is not null && snapshot.Generation == Interlocked.Read(ref _generation)
        && TimeSpan.FromMilliseconds(Environment.TickCount64 - snapshot.LoadedAt) < MaxAge
            ? snapshot
            : null;

    /// <param name="generation">Taken before reading: a change committed while this reads makes the snapshot stale at once.</param>
    private async Task<Snapshot> LoadAsync(long generation, CancellationToken cancellationToken)
    {
        var loadedAt = Environment.TickCount64;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SupportDbContext>();
        var categories = await db.TicketCategories.ToDictionaryAsync(c => c.Code, cancellationToken);
        var groups = await db.SupportGroups.ToDictionaryAsync(g => g.Code, cancellationToken);
        var rules = await RoutingRuleSet.CurrentAsync(db.RoutingRuleSets, cancellationToken);
        var holidays = (await db.SchoolHolidays.ToListAsync(cancellationToken))
            .ConvertAll(h => new SchoolHolidayPeriod(h.Name, h.FirstDay, h.LastDay));
        var calendars = (await db.SlaCalendars.Include(c => c.OpeningHours).ToListAsync(cancellationToken))
            .ToDictionary(c => c.Code, c => new BusinessCalendar(
                c.OpeningHours.ConvertAll(h => new OpeningHours(h.DayOfWeek, h.Opens, h.Closes)), holidays, BusinessCalendar.Berlin));
        var policies = await db.SlaPolicies.ToListAsync(cancellationToken);
        return new Snapshot(categories, groups, rules, calendars, policies, generation, loadedAt);
    }
}
