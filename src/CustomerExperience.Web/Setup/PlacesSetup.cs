namespace CustomerExperience.Web.Setup;

public static class PlacesSetup
{
    /// <summary>The location and service set-up pages' services.</summary>
    public static void AddPlacesSetup(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<LocationSettings>();
        builder.Services.AddScoped<ServiceSettings>();
    }
}
