using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages;

public class StatusModel : PageModel
{
    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int code)
    {
        (Heading, Explanation) = code switch
        {
            400 => ("That request was not valid", "Please go back and check what you entered."),
            403 => ("You do not have access to this page", "Ask a clinic manager if you need it."),
            404 => ("Page not found", "The link may be out of date, or the page has moved."),
            429 => ("Too many requests", "Please wait a minute and try again."),
            _ => ("Something went wrong", "Please try again in a moment."),
        };
    }
}
