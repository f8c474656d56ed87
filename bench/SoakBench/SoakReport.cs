namespace Mep.Bench.Soak;

public static class SoakReport
{
    public static void Print(SoakPlatform platform, TimeSpan duration, int clients, SoakLoad load, List<KillWindow> windows, SoakFindings findings)
    {
        var attempts = load.Attempts.ToList();
        var acknowledged = load.Acknowledged.ToList();
        var unacknowledged = load.Unacknowledged.ToList();
        Console.WriteLine();
        Console.WriteLine($"Soak: {duration.TotalMinutes:0} min, {platform.Replicas} instances per service, {clients} client(s) per kind of write, two kill rounds");
        Console.WriteLine($"  requests sent                 {attempts.Count,8}   (failed before retry: {attempts.Count(a => a.Failed)}, "
                          + $"of them outside kill windows: {attempts.Count(a => a.Failed && !windows.Any(w => w.Covers(a)))})");
        foreach (var kind in Enum.GetValues<WriteKind>())
        {
            Console.WriteLine($"  {kind,-7} writes acknowledged   {acknowledged.Count(a => a.Kind == kind),8}   stored once {findings.StoredOnce.GetValueOrDefault(kind),6}"
                              + $"   not acknowledged {unacknowledged.Count(u => u.Kind == kind),3} (of them stored {findings.StoredUnacknowledged.GetValueOrDefault(kind)})");
        }

        Console.WriteLine($"  acknowledged after a retry    {load.AcknowledgedAfterRetry,8}");
        Console.WriteLine();
        Console.WriteLine("  kill window (SIGKILL -> ready + 5 s)      requests   failed before retry   restart to ready");
        foreach (var window in windows)
        {
            var inside = attempts.Where(window.Covers).ToList();
            Console.WriteLine($"  round {window.Round}  {SoakPlatform.InstanceName(window.Service, window.Instance),-12} {window.ClosedAt - window.KilledAt,12:mm\\:ss\\.f}"
                              + $"  {inside.Count,10}   {inside.Count(a => a.Failed),19}   {(window.ReadyAt - window.KilledAt).TotalSeconds,14:0.0} s");
        }

        Console.WriteLine();
        Console.WriteLine($"  outboxes drained, consumers caught up after {findings.DrainedAfter.TotalSeconds:0} s");
        Console.WriteLine($"  events checked                {findings.EventsChecked,8}   deliveries checked (event x consumer): {findings.DeliveriesChecked}");
        foreach (var consumer in findings.Consumers.Order())
        {
            Console.WriteLine($"    {consumer}");
        }

        Console.WriteLine($"  job occurrences checked       {findings.JobOccurrences,8}   runs started again after a kill: {findings.JobRunsStartedAgain}"
                          + $"   runs recorded (scheduled_job_runs): {findings.JobRunsRecorded}");
        Console.WriteLine($"  duplicates found              {findings.Duplicates,8}");
        Console.WriteLine($"  losses found                  {findings.Losses,8}");
        foreach (var problem in findings.Problems.Take(40))
        {
            Console.WriteLine($"    {problem}");
        }

        foreach (var write in unacknowledged.Take(10))
        {
            Console.WriteLine($"    not acknowledged: {write.Kind} {write.Key}: {write.Reason}");
        }
    }
}
