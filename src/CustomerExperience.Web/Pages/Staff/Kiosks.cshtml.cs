using System.Globalization;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Kiosks;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using QRCoder;

namespace CustomerExperience.Web.Pages.Staff;

/// <summary>
/// The exit kiosks: which tablets are enrolled where, revoking one, and enrolling a device, either this one (the manager
/// is signed out here and the tablet becomes the kiosk) or another one through a short-lived single-use link.
/// </summary>
[Authorize(Policy = StaffPolicies.Manager)]
public class KiosksModel(AppDbContext db, KioskDevices devices, StaffSignInManager signIn, Audit audit, IOptions<AppOptions> app) : PageModel
{
    public sealed record Row(Kiosk Kiosk, string EnrolledBy, string? RevokedBy);

    [BindProperty] public Guid? LocationId { get; set; }
    [BindProperty] public string? Name { get; set; }

    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    /// <summary>Shown once, right after it was made; never stored.</summary>
    public string? Link { get; private set; }
    public string? LinkQrSvg { get; private set; }
    public TimeSpan LinkLifetime => devices.LinkLifetime;
    [TempData] public string? Done { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostEnrolAsync(CancellationToken ct)
    {
        var outcome = await devices.EnrolAsync(Guid.CreateVersion7(), LocationId ?? Guid.Empty, Name, audit.CurrentStaff(), "on the device itself", ct);
        if (outcome is EnrolOutcome.Enrolled enrolled)
        {
            // The tablet now belongs to the customers: nobody's staff session may stay open on it.
            await signIn.SignOutAsync();
            devices.WriteCookie(HttpContext, enrolled.Secret);
            return Redirect($"/kiosk/{enrolled.Slug}");
        }
        return await InvalidAsync((EnrolOutcome.Invalid)outcome, ct);
    }

    public async Task<IActionResult> OnPostLinkAsync(CancellationToken ct)
    {
        if (await devices.CreateLinkAsync(LocationId ?? Guid.Empty, Name, ct) is not { } token)
        {
            var invalid = LocationId is null || !await db.Locations.AnyAsync(l => l.Id == LocationId, ct)
                ? new EnrolOutcome.Invalid("location", "Choose the location the kiosk stands in.")
                : new EnrolOutcome.Invalid("name", $"Give the kiosk a name of at most {KioskDevices.MaxNameLength} characters.");
            return await InvalidAsync(invalid, ct);
        }
        Link = $"{app.Value.PublicBaseUrl.TrimEnd('/')}/kiosk-setup/{token}";
        LinkQrSvg = QrCode(Link);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        if (!await devices.RevokeAsync(id, ct))
            return NotFound();
        Done = "Kiosk revoked: that device shows \"This screen is not set up\" from its next tap.";
        return RedirectToPage();
    }

    private async Task<IActionResult> InvalidAsync(EnrolOutcome.Invalid invalid, CancellationToken ct)
    {
        Errors = new Dictionary<string, string> { [invalid.Field] = invalid.Message };
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        var kiosks = await db.Kiosks.AsNoTracking().Include(k => k.Location)
            .OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Location!.Name).ThenBy(k => k.Name).ToListAsync(ct);
        var staffIds = kiosks.Select(k => k.EnrolledById).Concat(kiosks.Select(k => k.RevokedById)).OfType<string>().Distinct().ToList();
        var names = await db.Users.Where(u => staffIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        Rows = kiosks.Select(k => new Row(k, names.GetValueOrDefault(k.EnrolledById) ?? "—",
            k.RevokedById is null ? null : names.GetValueOrDefault(k.RevokedById))).ToList();
    }

    public static string Local(DateTimeOffset instant, Location location) =>
        TimeZoneInfo.ConvertTime(instant, location.TimeZone).ToString("ddd d MMM yyyy, h:mm tt", CultureInfo.InvariantCulture);

    private static string QrCode(string link)
    {
        using var data = QRCodeGenerator.GenerateQrCode(link, QRCodeGenerator.ECCLevel.L);
        var svg = new SvgQRCode(data).GetGraphic(1, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
        return svg.Replace("<svg ", """<svg id="enrolment-qr" class="qr-code" role="img" aria-label="QR code of the enrolment link: scan it with the tablet's camera" """);
    }
}
