using Mep.Support.Tickets;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace Mep.Support.Knowledge;

/// <summary>A knowledge-base article: how level 1 (and schools themselves, at level 0) solve a recurring fault.</summary>
public sealed class KnowledgeArticle
{
    private KnowledgeArticle()
    {
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = string.Empty;
    public string Body { get; private set; } = string.Empty;

    /// <summary>The support category it helps with (a ticket category code), or null for general articles.</summary>
    public string? Category { get; private set; }

    public string Author { get; private set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    /// <summary>Title and body under PostgreSQL's German text search configuration (stemming, German stop words); kept by PostgreSQL.</summary>
    public NpgsqlTsVector SearchVector { get; private set; } = null!;

    /// <summary>A new article by <paramref name="author"/>; the category (a known ticket category, or null) is the caller's to check.</summary>
    public static KnowledgeArticle Write(string title, string body, string? category, string author, DateTimeOffset now)
    {
        var article = new KnowledgeArticle { Id = Guid.CreateVersion7(now), Author = author, CreatedAt = now };
        article.Revise(title, body, category, now);
        return article;
    }

    /// <summary>Replaces the text and category; the article keeps its author and when it was first written.</summary>
    public void Revise(string title, string body, string? category, DateTimeOffset now) =>
        (Title, Body, Category, UpdatedAt) = (title.Trim(), body.Trim(), category, now);
}

/// <summary>An article used on a ticket; a ticket solved with an article at first contact is what the knowledge base is for.</summary>
public sealed class TicketArticle
{
    public Guid TicketId { get; internal set; }
    public Guid ArticleId { get; internal set; }
    public DateTimeOffset LinkedAt { get; internal set; }
    public string LinkedBy { get; internal set; } = string.Empty;
}

internal sealed class KnowledgeArticleConfiguration : IEntityTypeConfiguration<KnowledgeArticle>
{
    public void Configure(EntityTypeBuilder<KnowledgeArticle> article)
    {
        article.ToTable("knowledge_articles");
        article.HasKey(a => a.Id);
        article.HasGeneratedTsVectorColumn(a => a.SearchVector, "german", a => new { a.Title, a.Body })
            .HasIndex(a => a.SearchVector).HasMethod("gin");
        article.HasIndex(a => a.Category);
    }
}

internal sealed class TicketArticleConfiguration : IEntityTypeConfiguration<TicketArticle>
{
    public void Configure(EntityTypeBuilder<TicketArticle> link)
    {
        link.ToTable("ticket_articles");
        link.HasKey(l => new { l.TicketId, l.ArticleId });
        link.HasIndex(l => l.ArticleId);
        link.HasOne<Ticket>().WithMany().HasForeignKey(l => l.TicketId);
        link.HasOne<KnowledgeArticle>().WithMany().HasForeignKey(l => l.ArticleId);
    }
}
