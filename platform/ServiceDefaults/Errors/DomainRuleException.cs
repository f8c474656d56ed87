namespace Mep.ServiceDefaults.Errors;

/// <summary>
/// Thrown by a domain type when an operation would break one of its rules (an invalid transition, a
/// date before a programme starts). Answered as 422 with the rule's name; never a silent no-op.
/// </summary>
public sealed class DomainRuleException : Exception
{
    public DomainRuleException(string rule, string message) : base(message) => Rule = rule;

    public DomainRuleException() : this("unspecified", "A domain rule was violated.") { }

    public DomainRuleException(string message) : this("unspecified", message) { }

    public DomainRuleException(string message, Exception innerException) : base(message, innerException) => Rule = "unspecified";

    /// <summary>Stable, kebab-case name of the rule, e.g. "api-key-already-revoked".</summary>
    public string Rule { get; }

    /// <summary>Whether the rule is about the resource's current state (409) rather than the request's content (422).</summary>
    public bool IsStateConflict { get; init; }

    /// <summary>The request field (its JSON path) the rule refused, e.g. "assignee"; answered under <c>errors</c> like a validation error.</summary>
    public string? Field { get; init; }

    /// <summary>
    /// The facts the refusal rests on that a client acts on (the deadline, what remains of an amount), answered as members of the
    /// problem beside <c>rule</c>.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;
}
