using Mep.Support.Tickets;

namespace Mep.Support.Sla;

/// <summary>
/// Keeps a ticket's clock segments and SLA timers in step with the ticket, after every change: the open segment ends when
/// the ticket changes level, starts or stops waiting for the school, or is resolved; each timer's elapsed business time
/// and its 75 % and 100 % instants are worked out from the segments of its clock. Pure: the caller loads and stores.
/// </summary>
public static class SlaClockKeeper
{
    private const decimal WarningShare = 0.75m;

    /// <param name="respondedAtLevel">Staff responded to the school in this change: meets the current level's first-response target.</param>
    /// <returns>Timers that did not exist before (to be added).</returns>
    public static List<SlaTimer> Reassess(Ticket ticket, List<ClockSegment> segments, List<SlaTimer> timers, IReadOnlyList<SlaPolicy> policies,
        Func<string, BusinessCalendar> calendars, bool respondedAtLevel, DateTimeOffset now)
    {
        FollowTicket(ticket, segments, now);
        var newTimers = new List<SlaTimer>();
        if (!ticket.HasClock)
        {
            return newTimers;
        }

        var levels = segments.Select(s => s.Level).Distinct();
        foreach (var clock in new[] { SlaClocks.Total }.Concat(levels.Select(SlaClocks.ForLevel)))
        {
            if (policies.FirstOrDefault(p => p.Priority == ticket.Priority && p.Clock == clock) is not { } policy)
            {
                continue;
            }

            var calendar = calendars(policy.CalendarCode);
            foreach (var (target, minutes) in Targets(policy))
            {
                var timer = timers.FirstOrDefault(t => t.Clock == clock && t.Target == target);
                if (timer is null)
                {
                    timer = new SlaTimer { TicketId = ticket.Id, Clock = clock, Target = target };
                    newTimers.Add(timer);
                }

                (timer.TargetMinutes, timer.CalendarCode, timer.RunsInSchoolHolidays, timer.AutoEscalate) =
                    (minutes, policy.CalendarCode, policy.RunsInSchoolHolidays, policy.AutoEscalate);
                timer.MetAt = MetAt(ticket, timer, respondedAtLevel, now);
                timer.Active = timer.MetAt is null && ticket.IsOpen && (clock == SlaClocks.Total || SlaClocks.LevelOf(clock) == ticket.Level);
                Measure(timer, Counting(segments, clock), calendar, timer.MetAt ?? now);
            }
        }

        return newTimers;
    }

    /// <summary>Ends the open segment when the ticket's state no longer matches it and opens the one that does.</summary>
    private static void FollowTicket(Ticket ticket, List<ClockSegment> segments, DateTimeOffset now)
    {
        var open = segments.LastOrDefault(s => s.EndedAt is null);
        var wanted = ticket.HasClock && ticket.IsOpen ? (Level: ticket.Level, Running: ticket.Status != TicketStatus.WaitingForSchool) : ((int Level, bool Running)?)null;
        if (open is not null && wanted is { } same && open.Level == same.Level && open.Running == same.Running)
        {
            return;
        }

        if (open is not null)
        {
            open.EndedAt = now;
        }

        if (wanted is not { } next)
        {
            return;
        }

        segments.Add(new ClockSegment
        {
            TicketId = ticket.Id, Sequence = segments.Count == 0 ? 1 : segments.Max(s => s.Sequence) + 1, Level = next.Level, Running = next.Running,
            StartedAt = now,
        });
    }

    private static IEnumerable<(string Target, int Minutes)> Targets(SlaPolicy policy)
    {
        if (policy.FirstResponseMinutes is { } firstResponse)
        {
            yield return (SlaTargets.FirstResponse, firstResponse);
        }

        yield return (SlaTargets.Resolution, policy.ResolutionMinutes);
    }

    private static DateTimeOffset? MetAt(Ticket ticket, SlaTimer timer, bool respondedAtLevel, DateTimeOffset now)
    {
        var level = SlaClocks.LevelOf(timer.Clock);
        return timer.Target switch
        {
            SlaTargets.FirstResponse when level is null => ticket.FirstRespondedAt,
            SlaTargets.FirstResponse => timer.MetAt ?? (respondedAtLevel && ticket.Level == level && ticket.IsOpen ? now : null),
            // Resolution: the total clock when the ticket is resolved; a level's clock only if it was resolved at that level.
            _ when ticket.ResolvedAt is { } resolved && (level is null || level == ticket.Level) => resolved,
            _ => null,
        };
    }

    private static IEnumerable<ClockSegment> Counting(List<ClockSegment> segments, string clock)
    {
        var level = SlaClocks.LevelOf(clock);
        return segments.Where(s => s.Running && (level is null || s.Level == level)).OrderBy(s => s.Sequence);
    }

    /// <summary>Elapsed business time up to <paramref name="until"/>, and the instants of 75 % and 100 %: past ones from the segments, future ones if the clock runs now.</summary>
    private static void Measure(SlaTimer timer, IEnumerable<ClockSegment> counting, BusinessCalendar calendar, DateTimeOffset until)
    {
        var target = TimeSpan.FromMinutes(timer.TargetMinutes);
        var warning = target * (double)WarningShare;
        var elapsed = TimeSpan.Zero;
        (DateTimeOffset? warnAt, DateTimeOffset? dueAt) = (null, null);
        string? noDueTimeReason = null;
        ClockSegment? runningNow = null;
        foreach (var segment in counting)
        {
            if (segment.StartedAt > until)
            {
                break;
            }

            var end = segment.EndedAt is { } ended && ended < until ? ended : until;
            if (segment.EndedAt is null || segment.EndedAt > until)
            {
                runningNow = segment;
            }

            var length = calendar.BusinessTimeBetween(segment.StartedAt, end, timer.RunsInSchoolHolidays);
            warnAt ??= Crossing(calendar, timer, segment.StartedAt, elapsed, length, warning, ref noDueTimeReason);
            dueAt ??= Crossing(calendar, timer, segment.StartedAt, elapsed, length, target, ref noDueTimeReason);
            elapsed += length;
        }

        if (runningNow is not null && timer.MetAt is null)
        {
            warnAt ??= After(calendar, timer, until, warning - elapsed, ref noDueTimeReason);
            dueAt ??= After(calendar, timer, until, target - elapsed, ref noDueTimeReason);
        }
        else if (timer.MetAt is not null && timer.DueAt is not null && dueAt is null)
        {
            // Met before it came due: keep the due time it was worked towards, for the record.
            dueAt = timer.DueAt;
            warnAt ??= timer.WarnAt;
        }

        (timer.ElapsedMinutes, timer.WarnAt, timer.DueAt, timer.NoDueTimeReason) =
            (Math.Round((decimal)elapsed.TotalMinutes, 2), warnAt, dueAt, noDueTimeReason);
    }

    /// <summary>
    /// The instant <paramref name="duration"/> of business time after <paramref name="start"/>; null, with the reason, where the calendar
    /// cannot say: a calendar an admin closed or filled with holidays must not stop tickets from being written.
    /// </summary>
    private static DateTimeOffset? After(BusinessCalendar calendar, SlaTimer timer, DateTimeOffset start, TimeSpan duration, ref string? reason)
    {
        if (calendar.TryAddBusinessTime(start, duration, timer.RunsInSchoolHolidays, out var due, out var why))
        {
            return due;
        }

        reason ??= why;
        return null;
    }

    /// <summary>The instant within a segment at which the clock passed <paramref name="threshold"/>, if it did.</summary>
    private static DateTimeOffset? Crossing(BusinessCalendar calendar, SlaTimer timer, DateTimeOffset segmentStart, TimeSpan before, TimeSpan length,
        TimeSpan threshold, ref string? reason) =>
        before < threshold && before + length >= threshold
            ? After(calendar, timer, segmentStart, threshold - before, ref reason)
            : null;
}
