using CustomerExperience.Web.Staff;
using Hangfire.Dashboard;

namespace CustomerExperience.Web.Jobs;

/// <summary>
/// The dashboard's own check, behind the endpoint's Admin policy (which turns anonymous visitors to the sign-in
/// page and other roles into a 403): the staff cookie's user must be an Admin. Hangfire's default would let any
/// local request in. POST actions also need the antiforgery token Hangfire adds to its pages.
/// </summary>
public class StaffDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(StaffRoles.Admin);
    }
}
