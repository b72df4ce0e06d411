using CustomerExperience.Web.Data;
using CustomerExperience.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Staff;

public static class StaffSetup
{
    public const string SignInPath = "/signin";
    public const string ChangePasswordPath = "/staff/account/password";

    /// <summary>Staff sign-in (ASP.NET Core Identity on the app's database), roles, and the /Staff page rules.</summary>
    public static void AddStaff(this WebApplicationBuilder builder)
    {
        builder.Services.AddIdentity<StaffUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                // Staff:MaxFailedSignIns wrong passwords lock the client that sent them out of the account for 15 minutes
                // (SignInThrottle); wrong two-factor codes, which only someone with the password can send, lock the account.
                o.Lockout.MaxFailedAccessAttempts = builder.Configuration.GetValue("Staff:MaxFailedSignIns", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager<StaffSignInManager>()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "cx.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Always Secure, except in Development and the test hosts, which serve plain http on 127.0.0.1.
            o.Cookie.SecurePolicy = WebSecurity.CookieSecurePolicyFor(builder.Environment);
            o.LoginPath = SignInPath;
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
            // A relative address: an absolute one is built from the Host header, which the client chooses ("Host:
            // evil.example" would send staff there). The browser resolves it against the address it asked for.
            o.Events.OnRedirectToLogin = context =>
            {
                var target = new Uri(context.RedirectUri, UriKind.RelativeOrAbsolute);
                context.Response.Redirect(target.IsAbsoluteUri ? target.PathAndQuery : context.RedirectUri);
                return Task.CompletedTask;
            };
            // A signed-in user without the role gets a 403 at the same address (rendered by the status page), not a redirect.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        // A disabled account or a changed password ends open sessions within Staff:SessionCheckSeconds (a minute).
        builder.Services.Configure<SecurityStampValidatorOptions>(o =>
            o.ValidationInterval = TimeSpan.FromSeconds(builder.Configuration.GetValue("Staff:SessionCheckSeconds", 60)));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicies.Staff, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.All))
            .AddPolicy(StaffPolicies.Manager, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin, StaffRoles.Manager))
            .AddPolicy(StaffPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin));

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<Audit>();
        builder.Services.AddScoped<StaffAccounts>();
        builder.Services.AddScoped<SignInThrottle>();
    }

    /// <summary>
    /// While someone signs in with a temporary password (<see cref="StaffClaims.MustChangePassword"/>), every /staff
    /// address, the job dashboard included, sends them to the change-password page.
    /// </summary>
    public static void UseTemporaryPasswordGate(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.User.HasClaim(c => c.Type == StaffClaims.MustChangePassword)
            && context.Request.Path.StartsWithSegments("/staff")
            && !context.Request.Path.Equals(ChangePasswordPath, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(ChangePasswordPath);
            return;
        }
        await next();
    });

    /// <summary>Every page under /Staff needs a signed-in staff member; pages that need more say so with [Authorize(Policy = …)].</summary>
    public static void AddStaffPageRules(this Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions options) =>
        options.Conventions.AuthorizeFolder("/Staff", StaffPolicies.Staff);
}

/// <summary>Identity's sign-in manager, plus: a disabled account cannot sign in, and a refusal never says why.</summary>
public class StaffSignInManager(
    UserManager<StaffUser> users, IHttpContextAccessor context, IUserClaimsPrincipalFactory<StaffUser> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<StaffUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes, IUserConfirmation<StaffUser> confirmation,
    SignInThrottle throttle, IPasswordHasher<StaffUser> hasher)
    : SignInManager<StaffUser>(users, context, claims, options, logger, schemes, confirmation)
{
    private static readonly StaffUser Nobody = new() { DisplayName = "" };
    private static string? nobodysHash;

    public override async Task<bool> CanSignInAsync(StaffUser user) =>
        user.DisabledAt is null && await base.CanSignInAsync(user);

    /// <summary>
    /// An unknown email, a wrong password, a disabled account and a locked one all answer <see cref="SignInResult.Failed"/>,
    /// after the same password-hashing work, so neither the answer nor its timing tells a stranger which accounts exist.
    /// Wrong passwords count per account and <paramref name="client"/> (<see cref="SignInThrottle"/>).
    /// </summary>
    public async Task<SignInResult> SignInWithPasswordAsync(string email, string password, string client, CancellationToken cancellationToken)
    {
        var user = await UserManager.FindByNameAsync(email);
        if (user is null || !await CanSignInAsync(user) || await UserManager.IsLockedOutAsync(user)
            || !await throttle.TryAttemptAsync(user.Id, client, cancellationToken))
        {
            nobodysHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
            hasher.VerifyHashedPassword(Nobody, nobodysHash, password);
            return SignInResult.Failed;
        }
        var result = await PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (!result.Succeeded && !result.RequiresTwoFactor)
            return SignInResult.Failed;
        await throttle.SucceededAsync(user.Id, client, cancellationToken);
        return result;
    }
}
