using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CustomerExperience.BrowserTests.Infrastructure;

public static class Accessibility
{
    /// <summary>
    /// Runs axe on the page and fails with a readable list of every serious or critical violation. Not inside frames: the
    /// one frame is the texts page's email preview, sandboxed without scripts, where axe cannot be injected (the package
    /// would wait for its script forever); the frame element itself is still checked. Only violations come back in
    /// full: the passes of a page with a year of charts and tables are thousands of nodes nobody reads.
    /// </summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { Iframes = false, ResultTypes = [ResultType.Violations] });
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(serious.Count == 0, $"axe found on {page.Url}:\n" + string.Join("\n", serious));
    }
}
