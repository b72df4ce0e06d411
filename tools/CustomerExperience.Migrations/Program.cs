// Nothing runs here: this project exists so `dotnet ef` has a startup project with the design-time references.
Console.WriteLine("Use: dotnet ef migrations add NAME --project src/CustomerExperience.Web --startup-project tools/CustomerExperience.Migrations --output-dir Data/Migrations");
