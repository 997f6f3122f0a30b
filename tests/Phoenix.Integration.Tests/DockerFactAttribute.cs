using System.Net.Sockets;
using System.Text;

namespace Phoenix.Integration.Tests;

/// <summary>
/// A fact that needs a Docker engine (LocalStack runs in a container). Where none answers — no DOCKER_HOST and no
/// /var/run/docker.sock that replies to /_ping — the test is skipped with the reason, instead of failing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (DockerEngine.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

internal static class DockerEngine
{
    private static readonly Lazy<string?> Probe = new(ProbeEngine);

    /// <summary>Null when an engine answered; otherwise why the LocalStack tests cannot run here.</summary>
    public static string? Unavailable => Probe.Value;

    private static string? ProbeEngine()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (host is not null && !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            // A TCP or SSH engine: let Testcontainers connect and report its own error if it cannot.
            return null;
        }

        var socket = host?["unix://".Length..] ?? "/var/run/docker.sock";
        if (!File.Exists(socket))
        {
            return $"No Docker engine: {socket} does not exist and DOCKER_HOST is not set, so LocalStack cannot be started.";
        }

        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.ReceiveTimeout = 2000;
            client.Connect(new UnixDomainSocketEndPoint(socket));
            client.Send(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
            var buffer = new byte[256];
            var read = client.Receive(buffer);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.Contains(" 200 ", StringComparison.Ordinal) ? null : $"The Docker engine at {socket} did not answer /_ping with 200: '{reply.Split('\n')[0].Trim()}'.";
        }
        catch (SocketException ex)
        {
            return $"The Docker engine at {socket} is not reachable: {ex.Message}.";
        }
    }
}
