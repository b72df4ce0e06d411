using System.ComponentModel.DataAnnotations;

namespace CustomerExperience.Web.Kiosks;

public class KioskOptions
{
    public const string Section = "Kiosk";

    /// <summary>Seconds without a touch mid-survey before the kiosk saves what was answered and starts over.</summary>
    [Range(1, 3600, ErrorMessage = "Kiosk:IdleSeconds must be from 1 to 3600.")]
    public int IdleSeconds { get; set; } = 30;

    /// <summary>Seconds the thank-you screen shows before the welcome screen comes back.</summary>
    [Range(1, 600, ErrorMessage = "Kiosk:ThanksSeconds must be from 1 to 600.")]
    public int ThanksSeconds { get; set; } = 5;

    /// <summary>How long an enrolment link made on /staff/kiosks opens.</summary>
    [Range(1, 1440, ErrorMessage = "Kiosk:EnrolmentLinkMinutes must be from 1 to 1440.")]
    public int EnrolmentLinkMinutes { get; set; } = 30;

    /// <summary>
    /// Demo only (honoured while App:SeedDemoData is on): a secret run.sh makes at each start, so the link it prints,
    /// <c>/kiosk-setup/demo-{code}</c>, enrols the browser that opens it as the demo location's kiosk.
    /// </summary>
    [MinLength(16, ErrorMessage = "Kiosk:DemoEnrolmentCode must be at least 16 characters.")]
    public string? DemoEnrolmentCode { get; set; }

    /// <summary>The location the demo link enrols (its slug).</summary>
    public string DemoLocation { get; set; } = "riverside";
}
