using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Phoenix.Lambda.Tests.Support;

/// <summary>What the runtime posted for one request (or for init).</summary>
public sealed record PostedResult(string Path, string Body, string? ErrorType)
{
    public bool IsError => Path.EndsWith("/error", StringComparison.Ordinal);
}

/// <summary>
/// A Lambda Runtime API on 127.0.0.1 (random port): hands out queued invocations on the long-polled <c>next</c>,
/// records every response, error and init error. Disposing it aborts pending polls, which ends the runtime.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    public const string FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:phoenix-test";

    private readonly HttpListener _listener;
    private readonly Channel<(string RequestId, string Payload, DateTimeOffset Deadline, string? TraceId)> _queue =
        Channel.CreateUnbounded<(string, string, DateTimeOffset, string?)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PostedResult>> _results = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<PostedResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serve;
    private int _nextCalls;

    private FakeRuntimeApi(HttpListener listener, int port)
    {
        _listener = listener;
        Address = $"127.0.0.1:{port}";
        _serve = ServeAsync();
    }

    /// <summary>host:port, the form AWS_LAMBDA_RUNTIME_API takes.</summary>
    public string Address { get; }

    public int NextCalls => Volatile.Read(ref _nextCalls);

    public static FakeRuntimeApi Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeRuntimeApi(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another test took the port between probing and binding; probe again.
                listener.Close();
            }
        }
    }

    public void Enqueue(string requestId, string payload, TimeSpan timeout, string? traceId = null) =>
        Enqueue(requestId, payload, DateTimeOffset.UtcNow + timeout, traceId);

    public void Enqueue(string requestId, string payload, DateTimeOffset deadline, string? traceId = null) =>
        _queue.Writer.TryWrite((requestId, payload, deadline, traceId));

    public Task<PostedResult> ResultAsync(string requestId) =>
        _results.GetOrAdd(requestId, _ => new TaskCompletionSource<PostedResult>(TaskCreationOptions.RunContinuationsAsynchronously))
            .Task.WaitAsync(TimeSpan.FromSeconds(60));

    public Task<PostedResult> InitErrorAsync() => _initError.Task.WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _serve;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        var inFlight = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            inFlight.Add(HandleAsync(context));
        }

        await Task.WhenAll(inFlight);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        try
        {
            if (context.Request.HttpMethod == "GET" && path == "/2018-06-01/runtime/invocation/next")
            {
                Interlocked.Increment(ref _nextCalls);
                var (requestId, payload, deadline, traceId) = await _queue.Reader.ReadAsync(_stop.Token);
                context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = requestId;
                context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
                if (traceId is not null)
                {
                    context.Response.Headers["Lambda-Runtime-Trace-Id"] = traceId;
                }

                await WriteAsync(context, 200, payload);
                return;
            }

            if (context.Request.HttpMethod != "POST")
            {
                await WriteAsync(context, 404, "{}");
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var posted = new PostedResult(path, body, context.Request.Headers["Lambda-Runtime-Function-Error-Type"]);
            if (path == "/2018-06-01/runtime/init/error")
            {
                _initError.TrySetResult(posted);
                await WriteAsync(context, 202, "{\"status\":\"OK\"}");
                return;
            }

            const string prefix = "/2018-06-01/runtime/invocation/";
            if (path.StartsWith(prefix, StringComparison.Ordinal) && (path.EndsWith("/response", StringComparison.Ordinal) || path.EndsWith("/error", StringComparison.Ordinal)))
            {
                var requestId = Uri.UnescapeDataString(path[prefix.Length..path.LastIndexOf('/')]);
                _results.GetOrAdd(requestId, _ => new TaskCompletionSource<PostedResult>(TaskCreationOptions.RunContinuationsAsynchronously))
                    .TrySetResult(posted);
                await WriteAsync(context, 202, "{\"status\":\"OK\"}");
                return;
            }

            await WriteAsync(context, 404, "{}");
        }
        catch (OperationCanceledException)
        {
            // Shutting down: drop the long poll so the runtime sees its API go away.
            context.Response.Abort();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private static async Task WriteAsync(HttpListenerContext context, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
