namespace Mep.Console.SchoolContact;

// What the school contact's pages read from the APIs (Schools, Support, Assets), and no more; every list is the school's own because
// the APIs scope the person's token to it, as they do a school's API key.

public sealed record OwnSchool(Guid Id, string Number, string Name);

public sealed record Building(Guid Id, string Name);

public sealed record Room(Guid Id, Guid BuildingId, string Number, string Kind, string? Description);

public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalItems)
{
    public int TotalPages => TotalItems == 0 ? 0 : (TotalItems + PageSize - 1) / PageSize;
}

public sealed record TicketCategory(string Code, string Name, bool RequiresDevice, bool RequiresRoom);

public sealed record TicketRow(Guid Id, long Number, string Category, string Title, string Status, string? Building, string? RoomNumber,
    string? DeviceSerial, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record TicketDetail(Guid Id, long Number, Guid SchoolId, string? SchoolNumber, string? SchoolName, string ReporterName,
    string Category, string? DeviceSerial, Guid? RoomId, string Title, string Description, string Status, string Priority,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt, IReadOnlyList<TicketComment> Comments);

public sealed record TicketComment(Guid Id, DateTimeOffset At, string Author, string AuthorRole, bool Internal, string Body);

/// <summary>The ticket as the school reports it; the school itself is the token's, so the request names none.</summary>
public sealed record OpenTicket(string ReporterName, string ReporterEmail, string? ReporterPhone, string Category, string? DeviceSerial,
    Guid? RoomId, string Title, string Description, string Impact, string Urgency);

public sealed record NewComment(string Body);

public sealed record NewStatus(string Status, string? Note);

public sealed record Created(Guid Id);

public sealed record Device(Guid Id, string SerialNumber, string Status, string Kind, string Manufacturer, string Model, Guid? RoomId,
    string? Ownership);

public sealed record Loan(Guid LoanId, Guid DeviceId, string SerialNumber, string BorrowerKind, string BorrowerReference, string? ClassName,
    DateOnly LentOn, DateOnly DueBack, string State, bool Overdue, DateOnly? ReturnedOn);
