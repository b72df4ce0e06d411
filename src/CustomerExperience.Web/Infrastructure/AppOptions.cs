using System.ComponentModel.DataAnnotations;

namespace CustomerExperience.Web.Infrastructure;

public class AppOptions
{
    public const string Section = "App";

    /// <summary>Absolute base for links in emails, e.g. https://book.example-clinic.com.</summary>
    [Required(ErrorMessage = "App:PublicBaseUrl is not set.")]
    [Url(ErrorMessage = "App:PublicBaseUrl must be an absolute http(s) URL.")]
    public string PublicBaseUrl { get; set; } = "";

    public string ClinicName { get; set; } = "Northside Imaging";

    public bool SeedDemoData { get; set; }

    /// <summary>Off in tests that drive jobs by hand.</summary>
    public bool RunJobs { get; set; } = true;
}
