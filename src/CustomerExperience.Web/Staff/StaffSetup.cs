using CustomerExperience.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Staff;

public static class StaffSetup
{
    public const string SignInPath = "/signin";

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
                // Staff:MaxFailedSignIns failed sign-ins lock the account for 15 minutes.
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
            // Secure whenever the request is https (behind TLS); run.sh serves plain http on 127.0.0.1.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = SignInPath;
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
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
    }

    /// <summary>Every page under /Staff needs a signed-in staff member; pages that need more say so with [Authorize(Policy = …)].</summary>
    public static void AddStaffPageRules(this Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions options) =>
        options.Conventions.AuthorizeFolder("/Staff", StaffPolicies.Staff);
}

/// <summary>Identity's sign-in manager, plus: a disabled account cannot sign in.</summary>
public class StaffSignInManager(
    UserManager<StaffUser> users, IHttpContextAccessor context, IUserClaimsPrincipalFactory<StaffUser> claims,
    IOptions<IdentityOptions> options, ILogger<SignInManager<StaffUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes, IUserConfirmation<StaffUser> confirmation)
    : SignInManager<StaffUser>(users, context, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(StaffUser user) =>
        user.DisabledAt is null && await base.CanSignInAsync(user);
}
