using Mep.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Mep.ServiceDefaults.Data;

public static class MessagingTableNames
{
    /// <summary>
    /// Call after <see cref="MessagingTables.AddMessagingTables"/>. The snake_case convention (EFCore.NamingConventions,
    /// set in <see cref="ServiceDatabase"/>) leaves explicitly configured names alone, and MessagingTables names the outbox
    /// and inbox in PascalCase, which the hand-written mapper used to rewrite. These two names belong in MessagingTables;
    /// they live here only while the messaging code is being reworked in parallel (issue 22), and move there with it.
    /// </summary>
    public static ModelBuilder NameMessagingTablesInSnakeCase(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>().ToTable("outbox_messages");
        modelBuilder.Entity<InboxMessage>().ToTable("inbox_messages");
        return modelBuilder;
    }
}
