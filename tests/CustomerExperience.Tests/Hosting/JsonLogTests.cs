using System.Net;
using System.Text.Json;
using CustomerExperience.Tests.Infrastructure;

namespace CustomerExperience.Tests.Hosting;

/// <summary>
/// In production the console log is JSON, one object a line, and each request's lines carry its request id and trace
/// id in their scopes, so a collector can put one request's lines together. The app runs as a process of its own, as
/// in production, with ASP.NET Core's request lines switched on to have lines inside a request.
/// </summary>
public class JsonLogTests
{
    [Fact]
    public async Task Production_logs_one_json_object_a_line_and_a_requests_lines_share_its_request_and_trace_ids()
    {
        var database = await TestDatabases.CreateAsync(nameof(JsonLogTests));
        await using var app = await AppProcess.StartAsync(database, new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        });
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live")).StatusCode);
        List<JsonElement> request = [];
        await Eventually.TrueAsync(() =>
        {
            request = Lines(app.Output).Where(l => l.GetProperty("Category").GetString() == "Microsoft.AspNetCore.Hosting.Diagnostics"
                && Scope(l, "RequestPath") == "/healthz/live").ToList();
            return Task.FromResult(request.Count >= 2);
        }, TimeSpan.FromSeconds(10), "the request's start and finish lines");

        var output = app.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var notJson = output.Where(line => !IsJsonObject(line)).ToList();
        Assert.True(notJson.Count == 0, "lines that are not JSON objects:\n" + string.Join('\n', notJson.Take(5)));
        var requestIds = request.Select(l => Scope(l, "RequestId")).Distinct().ToList();
        var traceIds = request.Select(l => Scope(l, "TraceId")).Distinct().ToList();
        Assert.NotNull(Assert.Single(requestIds));
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(traceIds));
        Assert.All(request, l => Assert.False(string.IsNullOrEmpty(l.GetProperty("Timestamp").GetString())));
    }

    private static IEnumerable<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(IsJsonObject).Select(line => JsonDocument.Parse(line).RootElement.Clone());

    private static bool IsJsonObject(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A value from the line's scopes (the JSON formatter writes each scope as an object of its values).</summary>
    private static string? Scope(JsonElement line, string name) =>
        line.TryGetProperty("Scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array
            ? scopes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty(name, out _))
                .Select(s => s.GetProperty(name).ToString()).FirstOrDefault()
            : null;
}
