namespace CustomerExperience.Web.Setup;

public static class TextsSetup
{
    /// <summary>The texts page's editing and previews (the words emails are sent with are Messaging's <c>MessageTexts</c>).</summary>
    public static void AddTexts(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TextsEditor>();
        builder.Services.AddScoped<TextsPreview>();
        builder.Services.AddSingleton<TextsPreviewDrafts>();
    }
}
