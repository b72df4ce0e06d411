namespace CustomerExperience.Web.Insights;

public static class InsightsSetup
{
    public static void AddInsights(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<InsightsOptions>().BindConfiguration(InsightsOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.DigestTimeZone is null || TimeZoneInfo.TryFindSystemTimeZoneById(o.DigestTimeZone, out _),
                "Insights:DigestTimeZone is not a known time zone id (e.g. America/New_York).")
            .ValidateOnStart();
        builder.Services.AddScoped<InsightsQueries>();
        builder.Services.AddScoped<InsightsExport>();
        builder.Services.AddScoped<Goals>();
        builder.Services.AddScoped<WeeklyDigest>();
    }
}
