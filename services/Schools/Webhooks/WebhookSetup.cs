namespace Mep.Schools.Webhooks;

public static class WebhookSetup
{
    /// <summary>
    /// The key that stands in for <see cref="WebhookOptions.SecretKey"/> in Development and Testing only: known to everyone with the
    /// source, so it protects nothing, which is why every other environment refuses to start without a key of its own.
    /// </summary>
    private const string DevelopmentSecretKey = "bWVwLWRldmVsb3BtZW50LXdlYmhvb2stc2VjcmV0cyE=";

    /// <summary>
    /// The settings ("Webhooks"), the cipher of the signing secrets, the delivery client and the sender that works the deliveries table in
    /// the background.
    /// </summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                if (string.IsNullOrWhiteSpace(options.SecretKey) && (environment.IsDevelopment() || environment.IsEnvironment("Testing")))
                {
                    options.SecretKey = DevelopmentSecretKey;
                }
            })
            .Validate(options => WebhookSecretCipher.IsKey(options.SecretKey),
                "Webhooks:SecretKey must be set to the base64 of 32 random bytes (openssl rand -base64 32): it encrypts webhook signing secrets "
                + "in the database and must be kept outside it (e.g. the environment variable Webhooks__SecretKey from a secret store).")
            .Validate(options => options.RetiredSecretKeys.All(WebhookSecretCipher.IsKey),
                "Each of Webhooks:RetiredSecretKeys must be the base64 of 32 bytes, as Webhooks:SecretKey was.")
            .Validate(options => options.ConcurrentSubscriptions >= 1 && options.ConcurrentDeliveriesPerSchool >= 1,
                "Webhooks:ConcurrentSubscriptions and Webhooks:ConcurrentDeliveriesPerSchool must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookSecretCipher>();
        builder.Services.AddSingleton<WebhookSender>();
        // Before the sender: secrets are sealed under the current key before anything signs with them.
        builder.Services.AddHostedService<WebhookSecretsAtRest>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
