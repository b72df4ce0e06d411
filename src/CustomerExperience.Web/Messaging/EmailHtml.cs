namespace CustomerExperience.Web.Messaging;

/// <summary>The frame every HTML email shares, so the look of the clinic's emails is set in one place.</summary>
public static class EmailHtml
{
    public const string Start = "<!DOCTYPE html><html lang=\"en\"><body style=\"font-family:system-ui,sans-serif;color:#1d2433;line-height:1.5\">";
    public const string End = "</body></html>";
}
