using CustomerExperience.Web.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerExperience.Web.Kiosks;

public static class KioskSetup
{
    /// <summary>Kiosk enrolment and devices, its settings, and the rate limit of its JSON endpoints.</summary>
    public static void AddKiosk(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KioskOptions>().BindConfiguration(KioskOptions.Section).ValidateDataAnnotations();
        builder.Services.AddScoped<KioskDevices>();
        // Per client address, not per cookie (a stranger could send a new cookie each time); a clinic's kiosks may share
        // one address, and each sends a few requests per customer.
        var perMinute = builder.Configuration.GetValue("RateLimits:KioskPerMinute", 120);
        builder.Services.Configure<RateLimiterOptions>(o => o.AddPolicy(KioskEndpoints.RateLimitPolicy,
            context => WebSecurity.PerClient(context, perMinute)));
    }
}
