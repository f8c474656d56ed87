using System.Diagnostics.Metrics;
using Mep.ServiceDefaults.Telemetry;

namespace Mep.Funding.Spending;

/// <summary>Draws (Mittelabrufe) recorded through the API, in the platform's metrics (docs/observability.md).</summary>
public sealed class DrawMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _draws = meters.Create(PlatformTelemetry.SourceName)
        .CreateCounter<long>("mep.funding.draws", "{draw}", "Draws recorded (Mittelabrufe).");

    public void Drawn() => _draws.Add(1);
}
