namespace CustomerExperience.Web.Customers;

public static class CustomersSetup
{
    /// <summary>Customer search, possible duplicates and merging, and the customer timeline with its sources (survey answers and service-recovery cases included).</summary>
    public static void AddCustomers(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CustomerSearch>();
        builder.Services.AddScoped<CustomerDuplicates>();
        builder.Services.AddScoped<CustomerMerge>();
        builder.Services.AddScoped<CustomerTimeline>();
        builder.Services.AddScoped<ITimelineSource, VisitTimeline>();
        builder.Services.AddScoped<ITimelineSource, EmailTimeline>();
        builder.Services.AddScoped<ITimelineSource, NoteTimeline>();
        builder.Services.AddScoped<ITimelineSource, PastVisitTimeline>();
        builder.Services.AddScoped<ITimelineSource, Recovery.SurveyTimeline>();
        builder.Services.AddScoped<ITimelineSource, Recovery.CaseTimeline>();
    }
}
