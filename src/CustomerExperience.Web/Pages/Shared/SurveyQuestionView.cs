using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Pages.Shared;

/// <summary>One survey question as the email survey shows it (and the texts page previews it), rendered by _SurveyQuestion.</summary>
public sealed record SurveyQuestionView(SurveyQuestion Question, string? Chosen, string? Error);
