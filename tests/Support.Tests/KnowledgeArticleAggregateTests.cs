using Mep.Support.Knowledge;

namespace Mep.Support.Tests;

/// <summary>A knowledge-base article, on the domain type alone: no database, no HTTP (the API tests cover the way there).</summary>
public sealed class KnowledgeArticleAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static KnowledgeArticle Written() => KnowledgeArticle.Write(" WLAN neu verbinden ", " Gerät neu starten, dann ... ", "wlan", "agent-anna", Now);

    [Fact]
    public void An_article_keeps_its_title_and_body_without_surrounding_spaces()
    {
        var article = Written();

        Assert.Equal(("WLAN neu verbinden", "Gerät neu starten, dann ..."), (article.Title, article.Body));
    }

    [Fact]
    public void A_new_article_is_written_and_last_changed_at_the_same_time()
    {
        var article = Written();

        Assert.Equal(("agent-anna", Now, Now), (article.Author, article.CreatedAt, article.UpdatedAt));
    }

    [Fact]
    public void A_revision_replaces_text_and_category()
    {
        var article = Written();

        article.Revise(" WLAN: Profil neu laden ", " Profil löschen ", null, Now.AddDays(1));

        Assert.Equal(("WLAN: Profil neu laden", "Profil löschen", (string?)null, Now.AddDays(1)), (article.Title, article.Body, article.Category, article.UpdatedAt));
    }

    [Fact]
    public void A_revision_keeps_the_author_and_when_the_article_was_written()
    {
        var article = Written();

        article.Revise("WLAN", "Neu", "wlan", Now.AddDays(1));

        Assert.Equal(("agent-anna", Now), (article.Author, article.CreatedAt));
    }
}
