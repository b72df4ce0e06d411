namespace CustomerExperience.Web.Messaging;

public static class MessagingSetup
{
    public static void AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations();
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddSingleton<SmtpEmailSender>();
        builder.Services.AddSingleton<OutboxDispatcher>();
    }
}
