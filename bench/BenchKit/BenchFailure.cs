using System.Diagnostics.CodeAnalysis;

namespace Mep.BenchKit;

/// <summary>The bench cannot go on (a refused request, a wrong count, a tool failing); the message says what happened.</summary>
[SuppressMessage("Naming", "CA1710", Justification = "Benches catch it by this name and print 'broke off'; it is never a library's exception.")]
public sealed class BenchFailure(string message) : Exception(message);
