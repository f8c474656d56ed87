using System.Security.Claims;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Support.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.Knowledge;

public static class KnowledgeEndpoints
{
    public static RouteGroupBuilder MapKnowledgeEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/knowledge/articles", SearchArticles).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(SearchArticles))
            .WithSummary("Search the knowledge base (PostgreSQL full text, German): best matches first; without q, newest first.");
        group.MapGet("/knowledge/articles/{id:guid}", GetArticle).RequireAuthorization(SupportAccess.ReadTickets)
            .WithName(nameof(GetArticle)).WithSummary("One article, with its ETag and how many tickets used it.");
        group.MapPost("/knowledge/articles", CreateArticle).RequireAuthorization(SupportAccess.WriteKnowledge)
            .WithName(nameof(CreateArticle)).WithSummary("Write an article.");
        group.MapPut("/knowledge/articles/{id:guid}", UpdateArticle).RequireAuthorization(SupportAccess.WriteKnowledge)
            .WithName(nameof(UpdateArticle)).WithSummary("Replace an article's text (If-Match required).");
        return group;
    }

    public static async Task<Ok<Page<ArticleResponse>>> SearchArticles([AsParameters] ArticleSearch search, SupportDbContext db,
        CancellationToken cancellationToken)
    {
        var articles = db.KnowledgeArticles.AsNoTracking();
        if (search.Category is not null)
        {
            articles = articles.Where(a => a.Category == search.Category);
        }

        var (skip, take, page, pageSize) = Paging.Resolve(search.Page, search.PageSize);
        IQueryable<KnowledgeArticle> ordered;
        if (string.IsNullOrWhiteSpace(search.Q))
        {
            ordered = articles.OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id);
        }
        else
        {
            var q = search.Q.Trim();
            ordered = articles.Where(a => a.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("german", q)))
                .OrderByDescending(a => a.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("german", q))).ThenBy(a => a.Id);
        }

        var total = await ordered.CountAsync(cancellationToken);
        var items = await ordered.Page(skip, take)
            .Select(a => new ArticleResponse(a.Id, a.Title, a.Body, a.Category, a.Author, a.CreatedAt, a.UpdatedAt,
                db.TicketArticles.Count(t => t.ArticleId == a.Id)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ArticleResponse>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<ArticleResponse>, ProblemHttpResult>> GetArticle(Guid id, SupportDbContext db, HttpResponse response,
        CancellationToken cancellationToken)
    {
        var article = await db.KnowledgeArticles.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (article is null)
        {
            return ApiProblems.NotFound("article");
        }

        ETags.Set(response, article.Version);
        return TypedResults.Ok(await ResponseAsync(db, article, cancellationToken));
    }

    public static async Task<Results<Created<ArticleResponse>, ValidationProblem>> CreateArticle(ArticleRequest request, ClaimsPrincipal user,
        SupportDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        if (request.Category is { } category && !await db.TicketCategories.AnyAsync(c => c.Code == category, cancellationToken))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["category"] = ["Unknown category."] });
        }

        var article = KnowledgeArticle.Write(request.Title!, request.Body!, request.Category, user.Actor(), clock.GetUtcNow());
        db.KnowledgeArticles.Add(article);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(response, article.Version);
        return TypedResults.Created($"{SupportService.PathPrefix}/knowledge/articles/{article.Id}", await ResponseAsync(db, article, cancellationToken));
    }

    public static async Task<Results<Ok<ArticleResponse>, ValidationProblem, ProblemHttpResult>> UpdateArticle(Guid id, ArticleRequest request,
        SupportDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForReplacementAsync(db.KnowledgeArticles.AsTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken),
            "article", http.Request, a => a.Version);
        if (!found.TryGet(out var article, out var refusal))
        {
            return refusal;
        }

        if (request.Category is { } category && !await db.TicketCategories.AnyAsync(c => c.Code == category, cancellationToken))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["category"] = ["Unknown category."] });
        }

        article.Revise(request.Title!, request.Body!, request.Category, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, article.Version);
        return TypedResults.Ok(await ResponseAsync(db, article, cancellationToken));
    }

    private static async Task<ArticleResponse> ResponseAsync(SupportDbContext db, KnowledgeArticle a, CancellationToken cancellationToken) =>
        new(a.Id, a.Title, a.Body, a.Category, a.Author, a.CreatedAt, a.UpdatedAt,
            await db.TicketArticles.CountAsync(t => t.ArticleId == a.Id, cancellationToken));
}
