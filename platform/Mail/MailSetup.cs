using MassTransit;
using Mep.Contracts.Mail;
using Mep.Messaging;
using Mep.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mep.Mail;

public static class MailSetup
{
    /// <summary>The delivery records' table, in every service's database (as the outbox is), whether it sends mail yet or not.</summary>
    public static MigrationModule Migrations { get; } = new("mail", typeof(MailSetup).Assembly);

    /// <summary>The receive queue of a service's mail delivery: "support-mail-delivery".</summary>
    public static string QueueOf(string endpointPrefix) => $"{endpointPrefix}-mail-delivery";

    /// <summary>
    /// The service sends the mails of its <typeparamref name="TMessage"/> events (written to its outbox with the change that decided
    /// them) through the SMTP server of <see cref="MailOptions"/>, on a queue of its own with retries for minutes. Add the
    /// <see cref="MailUpkeepJob{TContext}"/> to the service's jobs, which puts back mails that waited longer than that.
    /// </summary>
    public static IBusRegistrationConfigurator AddMailDelivery<TMessage, TContext>(this IBusRegistrationConfigurator bus)
        where TMessage : class, IQueuedMail
        where TContext : DbContext
    {
        bus.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateOnStart();
        bus.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidation>();
        bus.AddSingleton<SmtpMailSender>();
        bus.AddSingleton<IQueueRetryPolicy, MailRetryPolicy>();
        bus.AddConsumer<MailDeliveryConsumer<TMessage, TContext>, MailDeliveryDefinition<TMessage, TContext>>();
        return bus;
    }
}

/// <summary>Puts the mail delivery on its own queue, <see cref="MailSetup.QueueOf"/>, whose retries <see cref="MailRetryPolicy"/> sets.</summary>
public sealed class MailDeliveryDefinition<TMessage, TContext> : ConsumerDefinition<MailDeliveryConsumer<TMessage, TContext>>
    where TMessage : class, IQueuedMail
    where TContext : DbContext
{
    public MailDeliveryDefinition(IOptions<MessagingOptions> messaging) => EndpointName = MailSetup.QueueOf(messaging.Value.EndpointPrefix);
}

/// <summary>
/// The mail queue retries for <see cref="MailOptions.RetryFor"/> (20 minutes), at most <see cref="MailOptions.MaxRetryInterval"/> apart:
/// an SMTP server's outage (a restart, maintenance) passes within that and every mail goes out soon after its return, instead of
/// landing in the error queue after the platform's seconds of retries. A longer outage parks the mail there, where the upkeep job
/// finds it.
/// </summary>
public sealed class MailRetryPolicy(IOptions<MessagingOptions> messaging, IOptions<MailOptions> mail) : IQueueRetryPolicy
{
    public bool Covers(string queue) => queue == MailSetup.QueueOf(messaging.Value.EndpointPrefix);

    public void Configure(IRetryConfigurator retry) => retry.Intervals([.. mail.Value.RetryIntervals()]);
}
