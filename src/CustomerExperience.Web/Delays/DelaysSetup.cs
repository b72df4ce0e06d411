using CustomerExperience.Web.Messaging;

namespace CustomerExperience.Web.Delays;

public static class DelaysSetup
{
    public static void AddDelays(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DelayService>();
        builder.Services.AddScoped<DelayNotifier>();
        builder.Services.AddScoped<DelayEmails>();
    }
}
