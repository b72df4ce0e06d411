using CustomerExperience.Web.Messaging;
using CustomerExperience.Web.Setup;

namespace CustomerExperience.Web.Pages.Staff.Admin;

/// <summary>The sentence staff read after a change and what was done for its visits.</summary>
public static class SetupResults
{
    public static string Describe(string saved, RebookingResult? result, bool moved)
    {
        if (result is null) return saved;
        var done = result.Done == 0 ? ""
            : moved ? $" Moved {Visits(result.Done)}; each customer gets an updated invite."
            : $" Asked {result.Done} {(result.Done == 1 ? "customer" : "customers")} to choose a new time.";
        var notDone = result.NotDone.Count == 0 ? ""
            : $" Not done for {Visits(result.NotDone.Count)} ({string.Join("; ", result.NotDone.Select(n => $"{AppointmentEmails.FormatWhen(n.Visit.Start, n.Visit.Location!)}: {n.Why}"))}): see Visits needing attention.";
        return saved + done + notDone;
    }

    private static string Visits(int count) => count == 1 ? "1 visit" : $"{count} visits";
}
