namespace CustomerExperience.Web.Recovery;

public static class RecoverySetup
{
    /// <summary>Case work after a case opens: alerts and escalations (emails), and the managers' actions on a case.</summary>
    public static void AddRecovery(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecoveryOptions>().BindConfiguration(RecoveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<CaseEmails>();
        builder.Services.AddScoped<CaseActions>();
        builder.Services.AddScoped<CaseQueries>();
    }
}
