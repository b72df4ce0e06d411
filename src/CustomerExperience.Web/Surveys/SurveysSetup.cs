namespace CustomerExperience.Web.Surveys;

public static class SurveysSetup
{
    /// <summary>The survey (kiosk and email), and its email invitation (the cases unhappy answers open are Recovery's).</summary>
    public static void AddSurveys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SurveyOptions>().BindConfiguration(SurveyOptions.Section).ValidateDataAnnotations();
        builder.Services.AddScoped<SurveyResponses>();
        builder.Services.AddSingleton<SurveyLinks>();
        builder.Services.AddScoped<SurveyInvitations>();
    }
}
