namespace Mep.ServiceDefaults.OData;

/// <summary>A standard OData feature this server does not implement: answered with 501, naming the feature.</summary>
public sealed class UnsupportedQueryException(string feature) : Exception($"This feed does not support {feature}.")
{
    public string Feature { get; } = feature;
}

/// <summary>A query that asks for more than a limit allows: answered with 400, naming the limit and its maximum.</summary>
public sealed class QueryLimitException(string limit, long maximum, string detail) : Exception(detail)
{
    public string Limit { get; } = limit;

    public long Maximum { get; } = maximum;
}
