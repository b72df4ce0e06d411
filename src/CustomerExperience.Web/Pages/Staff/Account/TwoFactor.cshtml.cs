using System.Text;
using CustomerExperience.Web.Infrastructure;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QRCoder;

namespace CustomerExperience.Web.Pages.Staff.Account;

/// <summary>Optional authenticator-app (TOTP) two-factor sign-in for one's own account.</summary>
public class TwoFactorModel(UserManager<StaffUser> users, StaffSignInManager signIn, IOptions<AppOptions> app) : PageModel
{
    public bool Enabled { get; private set; }
    public string? SharedKey { get; private set; }
    public string? AuthenticatorUri { get; private set; }
    /// <summary>The setup link as an inline SVG QR code: drawn here, so the secret never goes to another server.</summary>
    public string? QrCodeSvg { get; private set; }
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Done { get; private set; }
    [BindProperty] public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        await LoadAsync(await CurrentUserAsync());
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        var user = await CurrentUserAsync();
        var code = (Code ?? "").Replace(" ", "").Replace("-", "");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Error = "That code is not valid. Enter the current 6-digit code from the app.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))?.ToList() ?? [];
        await signIn.RefreshSignInAsync(user);
        Done = "Two-factor sign-in is on. Keep these recovery codes somewhere safe; each works once.";
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        var user = await CurrentUserAsync();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        Done = "Two-factor sign-in is off.";
        await LoadAsync(await CurrentUserAsync());
        return Page();
    }

    private async Task<StaffUser> CurrentUserAsync() =>
        await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed in without an account.");

    private async Task LoadAsync(StaffUser user)
    {
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        if (Enabled)
            return;
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // A new key changes the security stamp: renew this session's cookie, or the stamp check would end it.
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        SharedKey = string.Join(' ', key!.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        var issuer = Uri.EscapeDataString(app.Value.ClinicName);
        AuthenticatorUri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={issuer}&digits=6";
        QrCodeSvg = QrCode(AuthenticatorUri);
    }

    public const QRCodeGenerator.ECCLevel QrErrorCorrection = QRCodeGenerator.ECCLevel.M;

    private static string QrCode(string uri)
    {
        using var data = QRCodeGenerator.GenerateQrCode(uri, QrErrorCorrection);
        var svg = new SvgQRCode(data).GetGraphic(1, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
        return svg.Replace("<svg ", """<svg id="authenticator-qr" class="qr-code" role="img" aria-label="QR code of the setup link: scan it with your authenticator app" """);
    }
}
