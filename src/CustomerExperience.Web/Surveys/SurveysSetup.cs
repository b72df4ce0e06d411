using CustomerExperience.Web.Recovery;

namespace CustomerExperience.Web.Surveys;

public static class SurveysSetup
{
    /// <summary>The survey (kiosk and email), and the service recovery its unhappy answers start.</summary>
    public static void AddSurveys(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SurveyResponses>();
        builder.Services.AddScoped<ServiceRecovery>();
    }
}
