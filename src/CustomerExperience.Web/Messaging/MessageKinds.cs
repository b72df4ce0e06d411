namespace CustomerExperience.Web.Messaging;

/// <summary>
/// A kind of customer email whose words the clinic may change: its default subject and body (what a new clinic sends),
/// and the placeholders it offers. The facts an email must carry whatever the words (the unsubscribe link, the calendar
/// invite) are added by its builder.
/// </summary>
public sealed record MessageKind(string Key, string Title, string WhenSent, string DefaultSubject, string DefaultBody,
    IReadOnlyList<Placeholder> Placeholders)
{
    public MessageTemplate Default => new(DefaultSubject, DefaultBody);
}

public static class MessageKinds
{
    private static readonly Placeholder FirstName = new("FirstName", "the customer's preferred name (else their full name)");
    private static readonly Placeholder ClinicName = new("ClinicName", "the clinic's name");
    private static readonly Placeholder LocationName = new("LocationName", "the location's name");
    private static readonly Placeholder LocationPhone = new("LocationPhone", "the location's phone number", PlaceholderUse.Phone, InSubject: false);
    private static readonly Placeholder CalendarTitle = new("CalendarTitle", "the service's calendar title (no diagnosis)");
    private static readonly Placeholder ServiceName = new("ServiceName", "the service's name (not in subjects: it may name a diagnosis)", InSubject: false);
    private static readonly Placeholder When = new("When", "the visit's day and time in the location's zone");
    private static readonly Placeholder VisitDetails = new("VisitDetails",
        "what, when (with the time zone), where, and the directions, arrival and preparation notes", PlaceholderUse.Block, Required: true);
    private static readonly Placeholder ManageLink = new("ManageLink",
        "the customer's link to reschedule or cancel", PlaceholderUse.Link, Required: true);

    private static Placeholder[] Visit(params Placeholder[] more) =>
        [FirstName, CalendarTitle, ServiceName, When, LocationName, LocationPhone, VisitDetails, .. more, ClinicName];

    private const string VisitEnd = """

        {ManageLink}

        Questions? Call {LocationName} on {LocationPhone}.

        {ClinicName}
        """;

    public static readonly MessageKind Booked = new("confirmation", "Booking confirmation", "When a visit is booked online or at the desk.",
        "Booked: {CalendarTitle}, {When}",
        """
        Hello {FirstName},

        Your visit is booked.

        {VisitDetails}

        """ + VisitEnd, Visit(ManageLink));

    public static readonly MessageKind Rebooked = new("rebooked", "Next visit booked for the customer",
        "When the clinic books next year's visit itself (at checkout or automatically).",
        "We booked your next visit: {CalendarTitle}, {When}",
        """
        Hello {FirstName},

        To keep you on schedule, we booked your next visit for you. If the time does not suit you, change or cancel it in one click: {ManageLink}

        {VisitDetails}

        Questions? Call {LocationName} on {LocationPhone}.

        {ClinicName}
        """, Visit(ManageLink));

    public static readonly MessageKind Rescheduled = new("rescheduled", "New time", "When a visit moves to another time.",
        "New time: {CalendarTitle}, {When}",
        """
        Hello {FirstName},

        Your visit has moved to a new time.

        {VisitDetails}

        """ + VisitEnd, Visit(ManageLink));

    public static readonly MessageKind Cancelled = new("cancelled", "Cancellation", "When a visit is cancelled.",
        "Cancelled: {CalendarTitle}, {When}",
        """
        Hello {FirstName},

        Your visit is cancelled. We hope to see you another time.

        {VisitDetails}

        Book again: {BookLink}

        Questions? Call {LocationName} on {LocationPhone}.

        {ClinicName}
        """, Visit(new Placeholder("BookLink", "the booking page", PlaceholderUse.Link)));

    public static readonly MessageKind Reminder = new("reminder", "Reminder", "Before a booked visit, at the service's reminder offsets.",
        "Reminder: {CalendarTitle}, {When}",
        """
        Hello {FirstName},

        A reminder of your visit:

        {VisitDetails}

        """ + VisitEnd, Visit(ManageLink));

    public static readonly MessageKind Delay = new("delay", "Running late", "When the front desk posts a delay, to waiting and upcoming customers.",
        "Running late: {LocationName}, your visit now about {ExpectedTime}",
        """
        Hello {FirstName},

        {LocationName} is running about {Minutes} minutes late. Your visit booked for {BookedTime} is now expected to start at about {ExpectedTime}.

        From the clinic: {ClinicMessage}

        {Advice}

        The latest expected time is always on your visit page: {ManageLink}

        Sorry for the wait.
        {ClinicName}
        """,
        [FirstName, LocationName, new("Minutes", "how many minutes late"), new("BookedTime", "the booked time"),
         new("ExpectedTime", "the expected start time"),
         new("ClinicMessage", "the message posted with the delay", MayBeEmpty: true, InSubject: false),
         new("Advice", "\"please still come at your booked time\", or for a checked-in customer \"we will call you\"", InSubject: false),
         ManageLink, ClinicName]);

    private static readonly Placeholder[] RecallPlaceholders =
    [
        FirstName, new("ServiceName", "the service's name in lower case, e.g. screening mammogram (not in subjects)", InSubject: false),
        new("CoveredFrom", "the first covered day, e.g. Friday, December 18, 2026"),
        new("CoveredFromShort", "the first covered day, e.g. December 18"), LocationName, LocationPhone,
        new("BookLink", "the booking page offering covered times only", PlaceholderUse.Link, Required: true), ClinicName,
    ];

    public static readonly MessageKind Recall = new("recall", "Eligibility recall", "Weeks before the next visit is covered by insurance. An unsubscribe line is always added.",
        "Your next visit is covered from {CoveredFromShort}",
        """
        Hello {FirstName},

        Your next {ServiceName} is covered by your insurance from {CoveredFrom}.

        {BookLink}

        Questions? Call {LocationPhone}.

        {ClinicName}
        """, RecallPlaceholders);

    public static readonly MessageKind RecallFollowUp = new("recall-followup", "Eligibility recall, follow-up",
        "Two weeks after a recall, while nothing is booked. An unsubscribe line is always added.",
        "Your next visit is covered from {CoveredFromShort}",
        """
        Hello {FirstName},

        A friendly reminder: your next {ServiceName} is covered from {CoveredFrom}, and you have not booked it yet.

        {BookLink}

        Questions? Call {LocationPhone}.

        {ClinicName}
        """, RecallPlaceholders);

    public static readonly MessageKind PostVisit = new("postvisit", "After the visit", "When a visit is completed.",
        "Thank you for visiting {LocationName}",
        """
        Hello {FirstName},

        Thank you for visiting {LocationName} today.

        {Results} We will let you know how to see them; if anything needs a closer look, we will call you.

        Questions? Call {LocationPhone}.

        {ClinicName}
        """,
        [FirstName, LocationName, LocationPhone,
         new("Results", "when results will be ready, in business days (empty for services without results)", MayBeEmpty: true, InSubject: false),
         ClinicName]);

    public static readonly MessageKind Survey = new("survey", "Survey invitation", "Hours after a visit nobody answered the kiosk survey for. An unsubscribe line is always added.",
        "How was your visit to {LocationName}?",
        """
        Hello {FirstName},

        Thank you for visiting {LocationName} on {VisitDay}. How did we do? Seven quick questions, under a minute:

        {SurveyLink}

        Every answer is read by our team. The link works until {LinkEnds}.

        {ClinicName}
        """,
        [FirstName, LocationName, new("VisitDay", "the visit's day, e.g. Wednesday, November 25"),
         new("SurveyLink", "the customer's survey link", PlaceholderUse.Link, Required: true),
         new("LinkEnds", "the last day the link works, e.g. December 25"), ClinicName]);

    public static readonly IReadOnlyList<MessageKind> All =
        [Booked, Rebooked, Rescheduled, Cancelled, Reminder, Delay, Recall, RecallFollowUp, PostVisit, Survey];

    public static MessageKind? Find(string? key) => All.FirstOrDefault(k => k.Key == key);
}
