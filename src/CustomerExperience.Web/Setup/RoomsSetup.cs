namespace CustomerExperience.Web.Setup;

public static class RoomsSetup
{
    /// <summary>Rooms and machines, their hours and closures, and looking after the visits a change leaves out.</summary>
    public static void AddRoomsSetup(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RoomsAffectedVisits>();
        builder.Services.AddScoped<RoomsRebooking>();
        builder.Services.AddScoped<RoomsEditor>();
        builder.Services.AddScoped<ClosuresEditor>();
    }
}
