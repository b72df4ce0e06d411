using System.Diagnostics;
using System.Text.Json;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>Runs tools/ics-check.mjs: ical.js parses the document, and we assert on what it understood.</summary>
public static class IcalJs
{
    public static async Task<JsonElement> ParseAsync(string ics)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(TestSettings.ToolsDir, "ics-check.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestSettings.ToolsDir,
        };
        using var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        await node.StandardInput.WriteAsync(ics);
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        if (node.ExitCode != 0)
            throw new InvalidOperationException($"ical.js rejected the document: {await error}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
