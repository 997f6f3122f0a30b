using System.Net;
using System.Net.Sockets;

namespace Phoenix.Aws.Tests.Support;

/// <summary>
/// A loopback port that accepts connections (the kernel completes the handshake for the listen backlog) and never
/// answers: every request sent there waits until the client's timeout or the caller's cancellation ends it.
/// </summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public SilentServer()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
    }

    public string Url { get; }

    public void Dispose() => _listener.Stop();
}
