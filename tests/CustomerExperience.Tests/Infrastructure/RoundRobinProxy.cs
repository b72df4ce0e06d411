using System.Net;
using System.Net.Sockets;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>
/// A loopback load balancer: each new TCP connection goes to the next backend in turn, as a round-robin proxy sends
/// them. With one request per connection (Connection: close) consecutive requests alternate between the backends.
/// <see cref="Routed"/> records which backend each connection went to.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private readonly IReadOnlyList<int> backends;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource running = new();
    private readonly List<int> routed = [];
    private int next = -1;

    public RoundRobinProxy(params int[] backendPorts)
    {
        backends = backendPorts;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The backend (index into the ports given) of each connection, in order.</summary>
    public IReadOnlyList<int> Routed
    {
        get { lock (routed) return [.. routed]; }
    }

    private async Task AcceptLoopAsync()
    {
        while (!running.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(running.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var backend = (int)((uint)Interlocked.Increment(ref next) % (uint)backends.Count);
            lock (routed) routed.Add(backend);
            _ = PipeAsync(client, backends[backend]);
        }
    }

    private async Task PipeAsync(TcpClient client, int port)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, port, running.Token);
                var down = client.GetStream();
                var up = upstream.GetStream();
                await Task.WhenAny(down.CopyToAsync(up, running.Token), up.CopyToAsync(down, running.Token));
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A backend that is down or a connection cut: the client sees the connection close.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await running.CancelAsync();
        listener.Stop();
        running.Dispose();
    }
}
