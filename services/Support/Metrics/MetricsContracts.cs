using Mep.Support.Tickets;
using Mep.Support.Sla;
using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;

namespace Mep.Support.Metrics;

public sealed record QueueLine([MaxLength(TicketFields.MaxCode)] string Group, [MaxLength(TicketFields.MaxName)] string GroupName, [Range(0, 3)] int Level, int Open, int New, int InProgress, int WaitingForSchool, int WaitingForVendor,
    int Unassigned, int Breached, DateTimeOffset? OldestOpenSince);

/// <summary>SLA outcomes of tickets opened in a month (Berlin), per clock: a target counts once it was met or breached.</summary>
public sealed record SlaComplianceLine(
    [MaxLength(MetricsEndpoints.MonthLength)] string Month, [MaxLength(SlaClocks.MaxName)] string Clock, [MaxLength(SlaClocks.MaxName)] string Target, int Decided, int Kept, int Breached, decimal? CompliancePercent);

public sealed record TicketsPerDevicesLine(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string SchoolNumber, [MaxLength(SchoolFields.MaxName)] string SchoolName, int Tickets, int Devices, decimal? TicketsPerThousandDevices);

/// <summary>Of the tickets resolved in a month by people (not solved by the school itself), how many at first contact.</summary>
public sealed record FirstContactLine([MaxLength(MetricsEndpoints.MonthLength)] string Month, int Resolved, int FirstContact, decimal? RatePercent, int SolvedBySchool);
