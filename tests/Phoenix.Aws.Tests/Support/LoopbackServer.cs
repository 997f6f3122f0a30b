using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Phoenix.Aws.Tests.Support;

public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

public sealed record CannedResponse(int Status, string ContentType, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static CannedResponse Xml(string body, int status = 200) => new(status, "text/xml", body);

    public static CannedResponse Json(string body, int status = 200, string? errorType = null) =>
        new(status, "application/x-amz-json-1.0", body, errorType is null ? null : new Dictionary<string, string> { ["x-amzn-ErrorType"] = errorType });
}

/// <summary>An HTTP listener on 127.0.0.1 that records every request and answers from a script.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, CannedResponse> _respond;
    private readonly Task _loop;

    public LoopbackServer(Func<RecordedRequest, CannedResponse> respond)
    {
        _respond = respond;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under the pending accept; nothing is left to record.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var recorded = new RecordedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "/", headers, body);
            Requests.Enqueue(recorded);
            var response = _respond(recorded);
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            context.Response.Headers["x-amzn-RequestId"] = "req-1";
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
