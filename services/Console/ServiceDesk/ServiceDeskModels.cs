namespace Mep.Console.ServiceDesk;

// What the service desk's pages read from Support's and Schools' APIs: only the fields shown. Enums stay the APIs' camelCase strings
// (ServiceDeskTexts gives their German names), so a value the console does not know yet still shows instead of failing the page.

public sealed record TicketRow(
    Guid Id, long Number, Guid SchoolId, string? SchoolNumber, string? SchoolName, string Category, string Title, string Priority, string Status,
    int Level, string Group, string? Assignee, string? Building, string? RoomNumber, string? DeviceSerial, DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt);

public sealed record TicketListPage(IReadOnlyList<TicketRow> Items, int PageNumber, int PageSize, int TotalItems)
{
    public int Pages => Math.Max(1, (TotalItems + PageSize - 1) / PageSize);
}

public sealed record TicketCounts(int Total, int Open, int Breached, IReadOnlyList<StatusCount> ByStatus, IReadOnlyList<GroupCount> ByGroup);

public sealed record StatusCount(string Status, int Tickets, int Breached);

public sealed record GroupCount(string Group, int Open, int Breached);

public sealed record TicketDetail(
    Guid Id, long Number, Guid SchoolId, string? SchoolNumber, string? SchoolName, string ReporterName, string ReporterEmail, string? ReporterPhone,
    string Category, string? DeviceSerial, Guid? RoomId, string Title, string Description, string Priority, bool NeedsOnSite, string Status,
    int Level, string Group, string? Assignee, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt, IReadOnlyList<SlaTimer> Sla,
    IReadOnlyList<TicketComment> Comments, IReadOnlyList<Guid> ArticleIds)
{
    public bool IsOpen => Status is not ("resolved" or "closed");
}

public sealed record SlaTimer(string Clock, string Target, bool Active, DateTimeOffset? WarnAt, DateTimeOffset? DueAt, DateTimeOffset? MetAt, bool Breached);

public sealed record TicketComment(Guid Id, DateTimeOffset At, string Author, string AuthorRole, bool Internal, string Body);

public sealed record HistoryEntry(DateTimeOffset At, string Actor, string Change, string? Field, string? From, string? To, string? Note);

public sealed record SupportGroup(string Code, string Name, int Level, string? EscalatesTo, IReadOnlyList<string> Members);

public sealed record TicketCategory(string Code, string Name, bool RequiresDevice, bool RequiresRoom);

public sealed record Article(Guid Id, string Title, string Body, string? Category, int UsedOnTickets);

public sealed record ArticlePage(IReadOnlyList<Article> Items, int TotalItems);

public sealed record School(Guid Id, string Number, string Name);

public sealed record Building(Guid Id, string Name);

public sealed record Room(Guid Id, Guid BuildingId, string Number);

public sealed record RoomPage(IReadOnlyList<Room> Items, int TotalItems);
