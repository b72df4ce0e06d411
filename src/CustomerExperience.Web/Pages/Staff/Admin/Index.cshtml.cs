using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff.Admin;

/// <summary>The clinic set-up hub: every set-up page. Managers see it to reach the lists they may read.</summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class IndexModel : PageModel
{
    /// <param name="ManagersRead">Managers may open it (read only); otherwise it is for admins.</param>
    public sealed record SetupPage(string Path, string Title, string Description, bool ManagersRead);

    public static readonly IReadOnlyList<SetupPage> Pages =
    [
        new("/staff/admin/locations", "Locations", "Name, address, time zone, phone, directions, arrival and parking notes, who owns service recovery, open or closed for booking.", true),
        new("/staff/admin/services", "Services", "What can be booked: duration, buffer, coverage and recall intervals, reminders, preparation notes, results turnaround, calendar title.", true),
        new("/staff/admin/rooms", "Rooms and machines", "Where each service is performed, and their weekly hours with breaks.", false),
        new("/staff/admin/closures", "Closures and holidays", "Days a location is closed, and the visits booked on them.", false),
        new("/staff/admin/texts", "Texts", "The subject and body of each email, and the survey questions.", true),
        new("/staff/admin/import", "Import customers", "Bring existing customers and their last visits from a CSV file.", false),
        new("/staff/accounts", "Staff accounts", "Names, roles and home locations of the staff.", false),
    ];

    public bool IsAdmin => User.IsInRole(StaffRoles.Admin);

    public IEnumerable<SetupPage> Visible => IsAdmin ? Pages : Pages.Where(p => p.ManagersRead);

    public void OnGet()
    {
    }
}
