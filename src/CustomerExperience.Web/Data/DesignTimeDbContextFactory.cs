using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CustomerExperience.Web.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the app; no database is contacted to add a migration.</summary>
public class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Default") ?? "Host=127.0.0.1;Database=customer_experience",
                DatabaseSetup.ConfigureNpgsql)
            .UseSnakeCaseNamingConvention()
            .Options);
}
