using Mep.Support.Data;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Sla;

/// <summary>The calendars, school holidays and policies one request or job run works with, loaded once (they are small).</summary>
public sealed class SlaSettings(SupportDbContext db)
{
    private Dictionary<string, BusinessCalendar>? _calendars;
    private List<SlaPolicy>? _policies;

    public async Task<(Func<string, BusinessCalendar> Calendars, IReadOnlyList<SlaPolicy> Policies)> LoadAsync(CancellationToken cancellationToken)
    {
        if (_calendars is null || _policies is null)
        {
            var holidays = (await db.SchoolHolidays.AsNoTracking().ToListAsync(cancellationToken))
                .ConvertAll(h => new SchoolHolidayPeriod(h.Name, h.FirstDay, h.LastDay));
            _calendars = (await db.SlaCalendars.AsNoTracking().Include(c => c.OpeningHours).ToListAsync(cancellationToken))
                .ToDictionary(c => c.Code, c => new BusinessCalendar(
                    c.OpeningHours.ConvertAll(h => new OpeningHours(h.DayOfWeek, h.Opens, h.Closes)), holidays, BusinessCalendar.Berlin));
            _policies = await db.SlaPolicies.AsNoTracking().ToListAsync(cancellationToken);
        }

        var calendars = _calendars;
        return (code => calendars[code], _policies);
    }
}
