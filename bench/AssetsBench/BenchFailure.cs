namespace Mep.Bench.Assets;

/// <summary>The bench cannot go on (a refused request, a wrong count); the message says what happened.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
