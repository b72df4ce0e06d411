using CustomerExperience.Web.Recovery;

namespace CustomerExperience.Web.Surveys;

public static class SurveysSetup
{
    /// <summary>The survey (kiosk and email), its email invitation, and the service recovery its unhappy answers start.</summary>
    public static void AddSurveys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SurveyOptions>().BindConfiguration(SurveyOptions.Section).ValidateDataAnnotations();
        builder.Services.AddScoped<SurveyResponses>();
        builder.Services.AddSingleton<SurveyLinks>();
        builder.Services.AddScoped<SurveyInvitations>();
        builder.Services.AddScoped<ServiceRecovery>();
    }
}
