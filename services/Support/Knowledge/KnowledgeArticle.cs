using NpgsqlTypes;

namespace Mep.Support.Knowledge;

/// <summary>A knowledge-base article: how level 1 (and schools themselves, at level 0) solve a recurring fault.</summary>
public sealed class KnowledgeArticle
{
    public Guid Id { get; internal set; }
    public string Title { get; internal set; } = string.Empty;
    public string Body { get; internal set; } = string.Empty;

    /// <summary>The support category it helps with (a ticket category code), or null for general articles.</summary>
    public string? Category { get; internal set; }

    public string Author { get; internal set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; internal set; }
    public DateTimeOffset UpdatedAt { get; internal set; }
    public uint Version { get; internal set; }

    /// <summary>Title and body under PostgreSQL's German text search configuration (stemming, German stop words); kept by PostgreSQL.</summary>
    public NpgsqlTsVector SearchVector { get; internal set; } = null!;
}

/// <summary>An article used on a ticket; a ticket solved with an article at first contact is what the knowledge base is for.</summary>
public sealed class TicketArticle
{
    public Guid TicketId { get; internal set; }
    public Guid ArticleId { get; internal set; }
    public DateTimeOffset LinkedAt { get; internal set; }
    public string LinkedBy { get; internal set; } = string.Empty;
}
