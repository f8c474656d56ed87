using System.Globalization;

namespace Mep.BenchKit;

/// <summary>Latencies of one kind of transaction; percentiles by nearest rank. Thread-safe to add to: the clients record concurrently.</summary>
public sealed class Latencies
{
    private readonly List<double> _milliseconds = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Add(TimeSpan elapsed) => Add(elapsed.TotalMilliseconds);

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _milliseconds.Add(milliseconds);
        }
    }

    public double Mean
    {
        get
        {
            lock (_gate)
            {
                return _milliseconds.Average();
            }
        }
    }

    public double Percentile(double p)
    {
        double[] sorted;
        lock (_gate)
        {
            sorted = [.. _milliseconds.Order()];
        }

        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public double Max
    {
        get
        {
            lock (_gate)
            {
                return _milliseconds.Max();
            }
        }
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} p50={Percentile(0.50):0.0} ms p95={Percentile(0.95):0.0} ms p99={Percentile(0.99):0.0} ms max={Max:0.0} ms");
}
