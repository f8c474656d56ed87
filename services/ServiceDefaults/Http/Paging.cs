using Mep.ServiceDefaults.Validation;

namespace Mep.ServiceDefaults.Http;

/// <summary>One page of a list endpoint's result, with what a client needs to fetch the rest.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalItems)
{
    public int TotalPages => TotalItems == 0 ? 0 : (TotalItems + PageSize - 1) / PageSize;
}

/// <summary>Page parameters every list endpoint shares: page (from 1) and pageSize (1 to <see cref="MaxPageSize"/>).</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static void Validate(ValidationErrors errors, int? page, int? pageSize)
    {
        errors.Range("page", page, 1, 1_000_000);
        errors.Range("pageSize", pageSize, 1, MaxPageSize);
    }

    public static (int Skip, int Take, int Page, int PageSize) Resolve(int? page, int? pageSize)
    {
        var size = pageSize ?? DefaultPageSize;
        var number = page ?? 1;
        return ((number - 1) * size, size, number, size);
    }
}
