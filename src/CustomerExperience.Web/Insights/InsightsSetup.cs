namespace CustomerExperience.Web.Insights;

public static class InsightsSetup
{
    public static void AddInsights(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<InsightsOptions>().BindConfiguration(InsightsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<InsightsQueries>();
        builder.Services.AddScoped<Goals>();
        builder.Services.AddScoped<WeeklyDigest>();
    }
}
