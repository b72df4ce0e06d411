namespace CustomerExperience.Web.FrontDesk;

public static class FrontDeskSetup
{
    /// <summary>The front desk's day: schedule, check-in, completion and booking next year's visit at checkout.</summary>
    public static void AddFrontDesk(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<VisitActions>();
        builder.Services.AddScoped<CareTeam>();
        builder.Services.AddScoped<VisitCodes>();
        builder.Services.AddScoped<NextVisitCheckout>();
    }
}
