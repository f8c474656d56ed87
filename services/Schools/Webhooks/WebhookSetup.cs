namespace Mep.Schools.Webhooks;

public static class WebhookSetup
{
    /// <summary>The settings ("Webhooks"), the delivery client and the sender that works the deliveries table in the background.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
