namespace CustomerExperience.Web.Recovery;

public static class RecoverySetup
{
    /// <summary>Service recovery: opening cases, alerts and escalations (emails), and the managers' actions on a case.</summary>
    public static void AddRecovery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecoveryOptions>().BindConfiguration(RecoveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<ServiceRecovery>();
        builder.Services.AddScoped<CaseEmails>();
        builder.Services.AddScoped<CaseActions>();
        builder.Services.AddScoped<CaseQueries>();
    }
}
