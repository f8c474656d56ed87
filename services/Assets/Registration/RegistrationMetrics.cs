using System.Diagnostics.Metrics;
using Mep.ServiceDefaults.Telemetry;

namespace Mep.Assets.Registration;

/// <summary>Devices registered through the API, in the platform's metrics (docs/observability.md).</summary>
public sealed class RegistrationMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _registered = meters.Create(PlatformTelemetry.SourceName)
        .CreateCounter<long>("mep.assets.registrations", "{device}", "Devices registered (new serial numbers; updates are not counted).");

    public void Registered(int devices)
    {
        if (devices > 0)
        {
            _registered.Add(devices);
        }
    }
}
