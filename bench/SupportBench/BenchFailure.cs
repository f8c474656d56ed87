namespace Mep.Bench.Support;

/// <summary>The bench cannot go on (a refused request, a wrong count, pgbench failing); the message says what happened.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
