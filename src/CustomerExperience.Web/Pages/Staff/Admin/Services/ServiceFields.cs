using CustomerExperience.Web.Setup;

namespace CustomerExperience.Web.Pages.Staff.Admin.Services;

/// <summary>What _ServiceFields renders: the values and their problems.</summary>
public sealed record ServiceFields(ServiceForm Form, IReadOnlyDictionary<string, string> Errors, bool IsNew);
