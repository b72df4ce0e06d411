namespace CustomerExperience.Web.Pages.Shared;

/// <summary>One labelled form input with its hint and error, rendered by _Field.</summary>
public sealed record FieldModel(
    string Name, string Label, string? Value, string? Error, string AutoComplete,
    string Type = "text", string? Hint = null, bool Required = true, int MaxLength = 254);
