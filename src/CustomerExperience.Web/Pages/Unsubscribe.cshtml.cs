using CustomerExperience.Web.Data;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Journeys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages;

/// <summary>
/// Unsubscribe from marketing-like emails. The POST also serves RFC 8058 one-click requests from mail clients,
/// which carry no antiforgery token: the secret is the link itself, and the worst a forged request can do is
/// what the link's owner asked for.
/// </summary>
[IgnoreAntiforgeryToken]
[EnableRateLimiting(WebSecurity.PublicWritePolicy)]
public class UnsubscribeModel(Unsubscribe unsubscribe, AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Token { get; set; } = "";
    public bool Done { get; private set; }

    public IActionResult OnGet()
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return unsubscribe.CustomerId(Token) is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Response.Headers["Referrer-Policy"] = "no-referrer";
        if (unsubscribe.CustomerId(Token) is not { } customerId) return NotFound();
        var changed = await db.Customers.Where(c => c.Id == customerId)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.EmailOptOut, true), ct);
        if (changed == 0) return NotFound();
        Done = true;
        return Page();
    }
}
