using Mep.ServiceDefaults.Domain;
using Mep.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.Support.Sla;

/// <summary>A business-hours calendar: opening hours per weekday in Europe/Berlin; public holidays are computed, never stored.</summary>
public sealed class SlaCalendar
{
    public string Code { get; internal set; } = string.Empty;
    public string Name { get; internal set; } = string.Empty;
    public List<SlaOpeningHours> OpeningHours { get; internal set; } = [];
}

internal sealed class SlaCalendarConfiguration : IEntityTypeConfiguration<SlaCalendar>
{
    public void Configure(EntityTypeBuilder<SlaCalendar> calendar)
    {
        calendar.ToTable("sla_calendars");
        calendar.HasKey(c => c.Code);
        calendar.HasMany(c => c.OpeningHours).WithOne().HasForeignKey(h => h.CalendarCode);
    }
}

public sealed class SlaOpeningHours
{
    public string CalendarCode { get; internal set; } = string.Empty;
    public DayOfWeek DayOfWeek { get; internal set; }
    public TimeOnly Opens { get; internal set; }
    public TimeOnly Closes { get; internal set; }
}

internal sealed class SlaOpeningHoursConfiguration : IEntityTypeConfiguration<SlaOpeningHours>
{
    public void Configure(EntityTypeBuilder<SlaOpeningHours> hours)
    {
        hours.ToTable("sla_opening_hours");
        hours.HasKey(h => new { h.CalendarCode, h.DayOfWeek, h.Opens });
        // Days are numbered as .NET and PostgreSQL's extract(dow) number them: Sunday 0.
        hours.Property(h => h.DayOfWeek).HasConversion<int>();
    }
}

/// <summary>A Lower Saxony school holiday period (both days inclusive), entered as the Kultusministerium publishes them.</summary>
public sealed class SchoolHoliday
{
    /// <summary>
    /// Longest period accepted: Lower Saxony's longest, the summer holidays, last six to seven weeks. Longer ones are mistakes, and
    /// together they can close every opening day for years, so that no SLA clock finds a due time.
    /// </summary>
    public const int MaxDays = 62;

    /// <exception cref="DomainRuleException">The period lies outside the calculation window, ends before it begins, or is longer than <see cref="MaxDays"/>.</exception>
    public static SchoolHoliday Create(string name, DateOnly firstDay, DateOnly lastDay)
    {
        CalculationWindow.Ensure("firstDay", firstDay);
        CalculationWindow.Ensure("lastDay", lastDay);
        if (lastDay < firstDay || lastDay.DayNumber - firstDay.DayNumber + 1 > MaxDays)
        {
            throw new DomainRuleException("school-holiday-span",
                $"A school holiday period runs from its first to its last day and lasts at most {MaxDays} days (the summer holidays are the longest).");
        }

        return new SchoolHoliday { Name = name, FirstDay = firstDay, LastDay = lastDay };
    }

    public long Id { get; internal set; }
    public string Name { get; internal set; } = string.Empty;
    public DateOnly FirstDay { get; internal set; }
    public DateOnly LastDay { get; internal set; }
}

internal sealed class SchoolHolidayConfiguration : IEntityTypeConfiguration<SchoolHoliday>
{
    public void Configure(EntityTypeBuilder<SchoolHoliday> holiday)
    {
        holiday.ToTable("school_holidays");
        holiday.HasKey(h => h.Id);
        holiday.Property(h => h.Id).UseIdentityAlwaysColumn();
        holiday.HasIndex(h => h.FirstDay);
    }
}
