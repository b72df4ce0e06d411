using System.Net;
using System.Net.Sockets;

namespace CustomerExperience.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder the test can switch off and on: "Postgres stopped" or "SMTP down" for the app
/// behind it, while the real server keeps serving the other tests.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly List<TcpClient> connections = [];
    private TcpListener? listener;
    private CancellationTokenSource? running;

    public TcpProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public void Start()
    {
        running = new CancellationTokenSource();
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _ = AcceptLoopAsync(listener, running.Token);
    }

    /// <summary>Stops listening and cuts every open connection, as a crashed server would.</summary>
    public async Task StopAsync()
    {
        if (running is null)
            return;
        await running.CancelAsync();
        listener!.Stop();
        lock (connections)
        {
            foreach (var connection in connections)
                connection.Dispose();
            connections.Clear();
        }
        running = null;
    }

    private async Task AcceptLoopAsync(TcpListener server, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await server.AcceptTcpClientAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = PipeAsync(client, ct);
        }
    }

    private async Task PipeAsync(TcpClient client, CancellationToken ct)
    {
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(targetHost, targetPort, ct);
            lock (connections)
            {
                connections.Add(client);
                connections.Add(upstream);
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var a = client.GetStream().CopyToAsync(upstream.GetStream(), linked.Token);
            var b = upstream.GetStream().CopyToAsync(client.GetStream(), linked.Token);
            await Task.WhenAny(a, b);
            await linked.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ends either way; what matters to the app is that it is gone.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
