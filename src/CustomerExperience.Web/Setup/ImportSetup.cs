namespace CustomerExperience.Web.Setup;

public static class ImportSetup
{
    public static void AddCustomerImport(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ImportFiles>();
        builder.Services.AddScoped<ImportRunner>();
    }
}
