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
public class TwoFactorModel(UserManager<StaffUser> users, StaffSignInManager signIn, StaffAccounts accounts, SignInThrottle throttle, IOptions<AppOptions> app) : PageModel
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
    /// <summary>To turn two-factor off: the password or a current code, so an unattended open session is not enough.</summary>
    [BindProperty] public string? Confirmation { get; set; }

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
            return await RefuseAsync(user, "That code is not valid. Enter the current 6-digit code from the app.");
        RecoveryCodes = await accounts.TurnOnTwoFactorAsync(user);
        await signIn.RefreshSignInAsync(user);
        Done = "Two-factor sign-in is on. Keep these recovery codes somewhere safe; each works once.";
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        Response.Headers.CacheControl = "no-cache, no-store";
        var user = await CurrentUserAsync();
        var proof = (Confirmation ?? "").Trim();
        if (proof.Length == 0)
            return await RefuseAsync(user, "Enter your password or the current code from your authenticator app.");
        // Counted like sign-in, so this form is no way to guess the password of a session left open.
        var client = SignInThrottle.ClientOf(HttpContext);
        if (!await throttle.TryAttemptAsync(user.Id, client, HttpContext.RequestAborted))
            return await RefuseAsync(user, "Too many wrong tries from this device. Wait 15 minutes, or ask an admin to unlock your account.");
        var code = proof.Replace(" ", "").Replace("-", "");
        var isCode = code.Length == 6 && code.All(char.IsAsciiDigit);
        var proven = isCode
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : await users.CheckPasswordAsync(user, proof);
        if (!proven)
            return await RefuseAsync(user, "That is neither your password nor the current code from the app.");
        await throttle.SucceededAsync(user.Id, client, HttpContext.RequestAborted);

        await accounts.TurnOffTwoFactorAsync(user, isCode ? "a code from the app" : "the password");
        await signIn.RefreshSignInAsync(user);
        Done = "Two-factor sign-in is off.";
        await LoadAsync(await CurrentUserAsync());
        return Page();
    }

    private async Task<PageResult> RefuseAsync(StaffUser user, string error)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(user);
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
