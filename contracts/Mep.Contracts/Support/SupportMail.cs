using Mep.Contracts.Mail;

namespace Mep.Contracts.Support;

/// <summary>A mail Support decided to send (a notification of a ticket change, an SLA threshold, a digest); Support's own mail delivery sends it.</summary>
public sealed record SupportMailQueued(OutgoingMail Mail, DateTimeOffset OccurredAt) : IQueuedMail;
