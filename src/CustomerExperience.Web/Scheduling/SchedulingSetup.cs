using CustomerExperience.Web.Messaging;

namespace CustomerExperience.Web.Scheduling;

public static class SchedulingSetup
{
    public static void AddScheduling(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BookingRules>().BindConfiguration(BookingRules.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SlotCache>();
        builder.Services.AddScoped<AvailabilityService>();
        builder.Services.AddScoped<Eligibility>();
        builder.Services.AddScoped<BookingService>();
        builder.Services.AddSingleton<ManageLinks>();
        builder.Services.AddScoped<Journeys.AppointmentReminders>();
        builder.Services.AddOptions<Journeys.RecallOptions>().BindConfiguration(Journeys.RecallOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<Journeys.EligibilityRecalls>();
        builder.Services.AddSingleton<Journeys.Unsubscribe>();
        builder.Services.AddScoped<Journeys.PostVisitMessages>();
        builder.Services.AddScoped<Journeys.NextVisitRebooking>();
        builder.Services.AddScoped<AppointmentEmails>();
    }
}
