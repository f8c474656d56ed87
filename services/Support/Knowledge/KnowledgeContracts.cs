using Mep.Support.Tickets;
using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Support.Knowledge;

public sealed record ArticleRequest(
    [Required, MaxLength(ArticleRequest.MaxTitle)] string? Title, [Required, MaxLength(ArticleRequest.MaxBody)] string? Body,
    [MaxLength(TicketFields.MaxCode)] string? Category) : IValidatableRequest
{
    public const int MaxTitle = TicketFields.MaxTitle;
    public const int MaxBody = 50_000;
}

/// <param name="Q">Words to search for in German (stemmed: "Drucker" finds "Druckers"); quotes and "or" work as on a web search.</param>
public sealed record ArticleSearch([MaxLength(200)] string? Q, [MaxLength(TicketFields.MaxCode)] string? Category, [PageNumber] int? Page,
    [PageSize] int? PageSize) : IValidatableRequest;

public sealed record ArticleResponse(
    Guid Id, [MaxLength(ArticleRequest.MaxTitle)] string Title, [MaxLength(ArticleRequest.MaxBody)] string Body,
    [MaxLength(TicketFields.MaxCode)] string? Category, [MaxLength(CallerClaims.MaxActorLength)] string Author, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, [Range(0, int.MaxValue)] int UsedOnTickets);
