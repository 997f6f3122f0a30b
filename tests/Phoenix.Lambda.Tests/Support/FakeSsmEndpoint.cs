using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Phoenix.Lambda.Tests.Support;

/// <summary>
/// A loopback stand-in for SSM Parameter Store (awsJson 1.1 GetParameter), where AWS_ENDPOINT_URL points the
/// bootstrap: serves the parameters it was given, answers ParameterNotFound for others, and never answers for
/// parameters under <c>/phoenix/apps/slow/</c> (to run a handler into its deadline).
/// </summary>
public sealed class FakeSsmEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly IReadOnlyDictionary<string, string> _parameters;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;

    private FakeSsmEndpoint(HttpListener listener, int port, IReadOnlyDictionary<string, string> parameters)
    {
        _listener = listener;
        _parameters = parameters;
        Url = $"http://127.0.0.1:{port}";
        _serve = ServeAsync();
    }

    public string Url { get; }

    public static FakeSsmEndpoint Start(IReadOnlyDictionary<string, string> parameters)
    {
        for (var attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeSsmEndpoint(listener, port, parameters);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        await _serve;
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        var inFlight = new List<Task>();
        while (true)
        {
            try
            {
                inFlight.Add(HandleAsync(await _listener.GetContextAsync()));
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = JsonNode.Parse(await reader.ReadToEndAsync());
            var target = context.Request.Headers["X-Amz-Target"];
            var name = (string?)request?["Name"] ?? "";
            if (target != "AmazonSSM.GetParameter")
            {
                await WriteAsync(context, 400, new JsonObject { ["__type"] = "UnknownOperationException", ["message"] = $"Not faked: {target}" });
            }
            else if (name.StartsWith("/phoenix/apps/slow/", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _stop.Token);
            }
            else if (_parameters.TryGetValue(name, out var value))
            {
                await WriteAsync(context, 200, new JsonObject
                {
                    ["Parameter"] = new JsonObject { ["Name"] = name, ["Type"] = "String", ["Value"] = value, ["Version"] = 1 },
                });
            }
            else
            {
                await WriteAsync(context, 400, new JsonObject { ["__type"] = "ParameterNotFound", ["message"] = $"Parameter {name} not found." });
            }
        }
        catch (OperationCanceledException)
        {
            context.Response.Abort();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private static async Task WriteAsync(HttpListenerContext context, int status, JsonObject body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
