using CustomerExperience.Web.Customers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CustomerExperience.Web.Pages.Staff.Customers;

/// <summary>Find a customer by name, email, phone or date of birth. No query, no list: the page asks for one.</summary>
public class IndexModel(CustomerSearch search) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }

    public CustomerQuery Parsed { get; private set; } = new CustomerQuery.None();
    public CustomerSearchResult? Result { get; private set; }
    public string? Problem => Parsed is CustomerQuery.Invalid invalid ? invalid.Message : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Parsed = CustomerQuery.Parse(Query);
        if (Parsed is CustomerQuery.Invalid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (Parsed is not CustomerQuery.None)
            Result = await search.SearchAsync(Parsed, ct);
        return Page();
    }

    /// <summary>"3 customers with names containing “smith”": how many, and what the search understood the query as.</summary>
    public string Heading
    {
        get
        {
            var count = Result!.Matches.Count;
            var found = count == 0 ? "No customers" : Result.More ? $"First {count} customers" : count == 1 ? "1 customer" : $"{count} customers";
            var what = Parsed switch
            {
                CustomerQuery.DateOfBirth dob => $"date of birth {dob.Date:yyyy-MM-dd}",
                CustomerQuery.Phone phone => $"a phone number ending in {phone.Digits}",
                CustomerQuery.Email => $"emails containing “{Query!.Trim()}”",
                _ => $"names containing “{Query!.Trim()}”",
            };
            return $"{found} with {what}";
        }
    }
}
