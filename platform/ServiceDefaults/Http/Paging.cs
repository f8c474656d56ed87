using System.ComponentModel.DataAnnotations;

namespace Mep.ServiceDefaults.Http;

/// <summary>One page of a list endpoint's result, with what a client needs to fetch the rest.</summary>
public sealed record Page<T>(
    [MaxLength(Paging.MaxPageSize)] IReadOnlyList<T> Items,
    [Range(1, Paging.MaxPage)] int PageNumber,
    [Range(1, Paging.MaxPageSize)] int PageSize,
    [Range(0, int.MaxValue)] int TotalItems)
{
    [Range(0, int.MaxValue)]
    public int TotalPages => TotalItems == 0 ? 0 : (TotalItems + PageSize - 1) / PageSize;
}

/// <summary>Page parameters every list endpoint shares: page (from 1) and pageSize (1 to <see cref="MaxPageSize"/>).</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 1_000_000;

    public static (int Skip, int Take, int Page, int PageSize) Resolve(int? page, int? pageSize)
    {
        var size = pageSize ?? DefaultPageSize;
        var number = page ?? 1;
        return ((number - 1) * size, size, number, size);
    }
}

/// <summary>A list's page number: 1 to <see cref="Paging.MaxPage"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PageNumberAttribute() : RangeAttribute(1, Paging.MaxPage);

/// <summary>A list's page size: 1 to <see cref="Paging.MaxPageSize"/> (default <see cref="Paging.DefaultPageSize"/>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PageSizeAttribute() : RangeAttribute(1, Paging.MaxPageSize);
