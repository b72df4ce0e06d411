using CustomerExperience.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace CustomerExperience.Web.Scheduling;

/// <summary>The manage link of a visit, for a token from <see cref="ManageToken.Issue"/>.</summary>
public class ManageLinks(IOptions<AppOptions> app)
{
    public string Url(string token) => $"{app.Value.PublicBaseUrl.TrimEnd('/')}/manage/{token}";
}
