using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Pages.Staff.Admin;

/// <summary>What _AffectedVisits shows: the visits, what the change is called, and where "Don't save" leads.</summary>
public sealed record AffectedVisitsPanel(IReadOnlyList<Appointment> Visits, bool ListChanged, string Intro, string Verb, string CancelUrl);
