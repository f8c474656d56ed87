using Mep.Contracts.Mail;

namespace Mep.Contracts.Funding;

/// <summary>A mail Funding decided to send (deadline warnings to finance); Funding's own mail delivery sends it.</summary>
public sealed record FundingMailQueued(OutgoingMail Mail, DateTimeOffset OccurredAt) : IQueuedMail;
