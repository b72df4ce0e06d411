using CustomerExperience.Web.Setup;

namespace CustomerExperience.Web.Pages.Staff.Admin.Locations;

/// <summary>What _LocationFields renders: the values, their problems, and who may own service recovery there.</summary>
public sealed record LocationFields(LocationForm Form, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<(string Id, string Name)> Managers, bool IsNew);
