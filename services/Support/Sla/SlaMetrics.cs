using System.Diagnostics.Metrics;
using Mep.ServiceDefaults.Telemetry;

namespace Mep.Support.Sla;

/// <summary>SLA warnings and breaches announced, by target (response, resolution), in the platform's metrics (docs/observability.md).</summary>
public sealed class SlaMetrics
{
    private readonly Counter<long> _warnings;
    private readonly Counter<long> _breaches;

    public SlaMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(PlatformTelemetry.SourceName);
        _warnings = meter.CreateCounter<long>("mep.support.sla_warnings", "{warning}", "SLA warnings announced (75 % of a target used).");
        _breaches = meter.CreateCounter<long>("mep.support.sla_breaches", "{breach}", "SLA breaches announced (a target's due time passed).");
    }

    public void Announced(bool isBreach, string target) =>
        (isBreach ? _breaches : _warnings).Add(1, new KeyValuePair<string, object?>("target", target));
}
