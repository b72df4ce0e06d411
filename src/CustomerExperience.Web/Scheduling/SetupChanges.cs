using Microsoft.Extensions.Primitives;

namespace CustomerExperience.Web.Scheduling;

/// <summary>
/// Set-up pages say here that a location, service, room or hours changed: this node's availability cache then reads the
/// set-up afresh at once (other nodes within Booking:SetupCacheSeconds).
/// </summary>
public sealed class SetupChanges
{
    private CancellationTokenSource source = new();

    public IChangeToken Token => new CancellationChangeToken(Volatile.Read(ref source).Token);

    public void Changed() => Interlocked.Exchange(ref source, new CancellationTokenSource()).Cancel();
}
