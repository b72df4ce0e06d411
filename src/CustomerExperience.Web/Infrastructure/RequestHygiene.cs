using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Net.Http.Headers;

namespace CustomerExperience.Web.Infrastructure;

/// <summary>Requests the framework would otherwise answer with a 500: refused up front with a 4xx that says why.</summary>
public static class RequestHygiene
{
    /// <summary>
    /// A body in a character set .NET cannot decode ("charset=utf-7", a typo) is a 415 before anything reads it; the
    /// form and JSON readers would throw.
    /// </summary>
    public static void UseKnownCharsets(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentType is { } contentType
            && MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && mediaType.Charset.HasValue
            && !Decodable(mediaType.Charset.Value!))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await Results.Problem(title: "Unsupported character set", detail: "Send the request body as UTF-8.",
                statusCode: StatusCodes.Status415UnsupportedMediaType).ExecuteAsync(context);
            return;
        }
        await next();
    });

    private static bool Decodable(string charset)
    {
        try
        {
            return Encoding.GetEncoding(charset.Trim('"')) is not null;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            // Unknown names, and UTF-7 (known, but disabled in .NET as unsafe).
            return false;
        }
    }

    /// <summary>
    /// "?handler=Delete" on a page that has no such handler, or a POST to a page without one: Razor Pages would render
    /// the page without running any handler, with nothing loaded; a 404 instead.
    /// </summary>
    public sealed class UnknownHandlerFilter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var request = context.HttpContext.Request;
            var named = context.RouteData.Values.ContainsKey("handler") || request.Query.ContainsKey("handler");
            // A page with only POST handlers may still show its form on GET.
            var read = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
            if (context.HandlerMethod is null && context.ActionDescriptor.HandlerMethods.Count > 0 && (named || !read))
            {
                context.Result = new NotFoundResult();
                return;
            }
            await next();
        }
    }
}
