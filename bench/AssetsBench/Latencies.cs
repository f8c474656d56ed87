using System.Globalization;

namespace Mep.Bench.Assets;

/// <summary>Round trips of one kind of request; percentiles by nearest rank.</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = [];

    public int Count => _milliseconds.Count;

    public void Add(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} p50={Percentile(0.50):0.0} ms p95={Percentile(0.95):0.0} ms p99={Percentile(0.99):0.0} ms max={_milliseconds.Max():0.0} ms");
}
