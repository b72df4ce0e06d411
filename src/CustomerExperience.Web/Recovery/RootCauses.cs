using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Recovery;

/// <summary>How root causes read on the pages ("Wait time") and in a sentence ("unhappy about the wait").</summary>
public static class RootCauses
{
    public static string Label(RootCause cause) => cause switch
    {
        RootCause.WaitTime => "Wait time",
        RootCause.StaffCourtesy => "Staff courtesy",
        _ => cause.ToString(),
    };

    public static string About(RootCause cause) => cause switch
    {
        RootCause.WaitTime => "the wait",
        RootCause.Communication => "communication",
        RootCause.Scheduling => "scheduling",
        RootCause.Billing => "billing",
        RootCause.Facility => "the facility",
        RootCause.StaffCourtesy => "staff courtesy",
        RootCause.Clinical => "a clinical matter",
        _ => "something else",
    };
}
