using System.Net;
using System.Text.RegularExpressions;
using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Pages.Staff.Account;
using CustomerExperience.Web.Staff;
using QRCoder;

namespace CustomerExperience.Tests.Staff;

/// <summary>The two-factor set-up page draws the authenticator link as a QR code inside the page itself.</summary>
public partial class TwoFactorSetupTests : IAsyncLifetime
{
    private AppFactory app = null!;

    public async Task InitializeAsync()
    {
        app = new AppFactory(await TestDatabases.CreateAsync(nameof(TwoFactorSetupTests)));
        app.With("RateLimits:PublicWritePerMinute", "1000");
        app.With("App:ClinicName", "Northside Imaging & Co");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task The_qr_code_encodes_the_setup_link_with_the_shown_key_and_the_clinic_as_issuer()
    {
        var email = await StaffSignIn.CreateAccountAsync(app.Services, StaffRoles.FrontDesk);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        await StaffSignIn.SignInAsync(client, email, StaffSignIn.Password);
        var response = await client.GetAsync("/staff/account/two-factor");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.Equal(32, key.Length);
        var issuer = Uri.EscapeDataString("Northside Imaging & Co");
        var uri = $"otpauth://totp/{issuer}:{Uri.EscapeDataString(email)}?secret={key}&issuer={issuer}&digits=6";
        Assert.Equal(uri, WebUtility.HtmlDecode(SetupLink().Match(page).Groups[1].Value));

        var svg = Svg().Match(page);
        Assert.True(svg.Success, "no inline SVG QR code on the page");
        Assert.Contains("role=\"img\"", svg.Value);
        Assert.Matches("aria-label=\"[^\"]*QR code[^\"]*\"", svg.Value);
        using var expected = QRCodeGenerator.GenerateQrCode(uri, TwoFactorModel.QrErrorCorrection);
        Assert.Equal(Render(expected.ModuleMatrix.Select(row => row.Cast<bool>().ToArray()).ToArray()), Render(Modules(svg.Value)));

        // Nothing is fetched from elsewhere: no image source on the page, and the policy allows none.
        Assert.DoesNotContain("<img", page);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self' data:;", policy);
        Assert.Contains("default-src 'self';", policy);
    }

    /// <summary>The dark modules the SVG draws: its path is rows of runs, <c>M{x} {y}h{width}v1h-{width}z</c>, one unit per module.</summary>
    private static bool[][] Modules(string svg)
    {
        var size = int.Parse(Regex.Match(svg, "viewBox=\"0 0 (\\d+) \\1\"").Groups[1].Value);
        var matrix = Enumerable.Range(0, size).Select(_ => new bool[size]).ToArray();
        var path = Regex.Match(svg, "<path [^>]*d=\"([^\"]+)\"").Groups[1].Value;
        var runs = Regex.Matches(path, "M(\\d+) (\\d+)h(\\d+)v1h-\\3z");
        Assert.Equal(path.Length, runs.Sum(r => r.Length));
        foreach (Match run in runs)
        {
            int x = int.Parse(run.Groups[1].Value), y = int.Parse(run.Groups[2].Value), width = int.Parse(run.Groups[3].Value);
            for (var i = 0; i < width; i++)
                matrix[y][x + i] = true;
        }
        return matrix;
    }

    private static string Render(bool[][] matrix) => string.Join('\n', matrix.Select(row => string.Concat(row.Select(dark => dark ? '#' : '.'))));

    [GeneratedRegex("id=\"shared-key\">([a-z0-9 ]+)<")]
    private static partial Regex SharedKey();

    [GeneratedRegex("href=\"([^\"]+)\" id=\"authenticator-uri\"")]
    private static partial Regex SetupLink();

    [GeneratedRegex("<svg [^>]*id=\"authenticator-qr\"[\\s\\S]*?</svg>")]
    private static partial Regex Svg();
}
