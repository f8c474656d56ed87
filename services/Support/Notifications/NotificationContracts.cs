using System.ComponentModel.DataAnnotations;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Validation;
using Mep.Support.People;

namespace Mep.Support.Notifications;

/// <summary>Which mails a person wants; every field is required, so nothing is switched by omission.</summary>
/// <param name="TicketAssigned">A ticket was assigned to you by someone else.</param>
/// <param name="TicketEscalated">A ticket moved to a group you are a member of (escalated or handed back).</param>
/// <param name="SlaWarning">75 % of an SLA target of your group's (or your) ticket is used.</param>
/// <param name="SlaBreach">An SLA target of your group's (or your) ticket was missed.</param>
/// <param name="DailyDigest">One mail a day (07:00) with everything chosen above, instead of a mail each time.</param>
public sealed record NotificationPreferencesRequest(
    [Required] bool? TicketAssigned, [Required] bool? TicketEscalated, [Required] bool? SlaWarning, [Required] bool? SlaBreach,
    [Required] bool? DailyDigest) : IValidatableRequest;

/// <summary>A person's choice of mails, and the address they go to (the people directory's; admins correct it there).</summary>
/// <param name="Email">Where the mails go; null when the directory has no address for the person, who then gets none.</param>
/// <param name="UpdatedAt">When the person (or an admin) last chose; null while the defaults apply (every kind, single mails).</param>
public sealed record NotificationPreferencesResponse(
    [MaxLength(CallerClaims.MaxActorLength)] string Subject, [MaxLength(Person.MaxEmail)] string? Email,
    bool TicketAssigned, bool TicketEscalated, bool SlaWarning, bool SlaBreach, bool DailyDigest,
    DateTimeOffset? UpdatedAt, [MaxLength(CallerClaims.MaxActorLength)] string? UpdatedBy)
{
    public static NotificationPreferencesResponse From(NotificationPreferences preferences, string? email, bool stored) => new(
        preferences.Subject, email, preferences.TicketAssigned, preferences.TicketEscalated, preferences.SlaWarning, preferences.SlaBreach,
        preferences.DailyDigest, stored ? preferences.UpdatedAt : null, stored ? preferences.UpdatedBy : null);
}
