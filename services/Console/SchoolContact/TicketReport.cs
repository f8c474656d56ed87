using System.Security.Claims;

namespace Mep.Console.SchoolContact;

/// <summary>The ticket form as posted; the reporter is prefilled with the signed-in person's name and address.</summary>
public sealed class TicketReport
{
    public string? IdempotencyKey { get; set; }
    public string? Category { get; set; }
    public Guid? RoomId { get; set; }
    public string? DeviceSerial { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Impact { get; set; }
    public string? Urgency { get; set; }
    public string? ReporterName { get; set; }
    public string? ReporterEmail { get; set; }
    public string? ReporterPhone { get; set; }

    public static TicketReport For(ClaimsPrincipal? person) => new()
    {
        IdempotencyKey = Guid.NewGuid().ToString(),
        Category = "other",
        Impact = "medium",
        Urgency = "medium",
        ReporterName = person?.FindFirst("name")?.Value,
        ReporterEmail = person?.FindFirst("email")?.Value,
    };
}
