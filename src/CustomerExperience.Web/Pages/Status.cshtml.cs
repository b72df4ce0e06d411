using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages;

/// <summary>Re-executed for error statuses, whatever the original method was (a rejected POST lands here as a POST).</summary>
[IgnoreAntiforgeryToken]
public class StatusModel : PageModel
{
    public string Heading { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnPost(int code) => OnGet(code);

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
