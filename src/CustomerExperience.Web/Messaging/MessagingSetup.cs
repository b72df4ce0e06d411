using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Messaging;

public static class MessagingSetup
{
    public static void AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations()
            .Validate<IOptions<SmtpOptions>>(
                (outbox, smtp) => outbox.Lease > 3 * TimeSpan.FromSeconds(smtp.Value.TimeoutSeconds),
                "Outbox:Lease must be longer than three times Smtp:TimeoutSeconds, the longest one send may take.");
        builder.Services.AddScoped<MessageTexts>();
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddScoped<OutboxCommitHook>();
        builder.Services.AddSingleton<SmtpEmailSender>();
        builder.Services.AddSingleton<OutboxDispatcher>();
    }
}
