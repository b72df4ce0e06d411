using CustomerExperience.Web.Setup;
using Hangfire;

namespace CustomerExperience.Web.Jobs;

/// <summary>
/// Runs one CSV import. Retried: each retry continues after the rows already committed. One run per import at a time,
/// across nodes: a second run started meanwhile leaves it to the first.
/// </summary>
[AutomaticRetry(Attempts = 5)]
public class ImportCustomersJob(ImportRunner runner, OneAtATime guard)
{
    public Task RunAsync(Guid importId, CancellationToken cancellationToken) =>
        guard.RunAsync($"import:{importId}", ct => runner.RunAsync(importId, ct), cancellationToken);
}
