using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Net.Http.Headers;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>
/// A client that reaches an in-memory test host the way a browser reaches a production instance: it speaks to
/// <c>https://clinic.example</c> (cookies kept as a browser keeps them, Secure ones only over https, redirects not
/// followed), and a TLS-terminating proxy at <paramref name="proxyAddress"/> forwards each request to the app over plain http,
/// saying what it saw in X-Forwarded-For, -Proto and -Host. Needs <see cref="TestClientAddress"/> in the host.
/// </summary>
public sealed class ProxiedClient(string proxyAddress, string clientAddress) : DelegatingHandler
{
    public const string PublicHost = "clinic.example";
    /// <summary>Where the proxy sends requests: what the app sees without the forwarded headers.</summary>
    public const string Upstream = "http://app.internal:8080";

    /// <param name="proxy">The address the connection comes from, as the app sees it.</param>
    /// <param name="client">The client address the proxy reports in X-Forwarded-For.</param>
    public static HttpClient Create(AppFactory app, string proxy = "127.0.0.1", string client = "198.51.100.20", string scheme = "https") =>
        app.CreateDefaultClient(new Uri($"{scheme}://{PublicHost}"), new CookieContainerHandler(), new ProxiedClient(proxy, client));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri!;
        request.Headers.Add(TestClientAddress.Header, proxyAddress);
        request.Headers.Add("X-Forwarded-For", clientAddress);
        request.Headers.Add("X-Forwarded-Proto", original.Scheme);
        request.Headers.Add("X-Forwarded-Host", original.Authority);
        request.RequestUri = new Uri(new Uri(Upstream), original.PathAndQuery);
        var response = await base.SendAsync(request, cancellationToken);
        // The cookie handler stores what came back under the address the client spoke to.
        request.RequestUri = original;
        return response;
    }

    /// <summary>The Set-Cookie header of the response for <paramref name="name"/>, parsed.</summary>
    public static SetCookieHeaderValue SetCookie(HttpResponseMessage response, string name)
    {
        var all = response.Headers.TryGetValues(HeaderNames.SetCookie, out var values) ? values.ToList() : [];
        return SetCookieHeaderValue.ParseList(all).FirstOrDefault(c => c.Name == name)
            ?? throw new Xunit.Sdk.XunitException($"No Set-Cookie for {name} on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode}); got: {string.Join(" | ", all)}");
    }
}
