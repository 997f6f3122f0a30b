using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Phoenix.Cli.Tests.Aws;

/// <summary>
/// A loopback stand-in for the awsJson services the CLI calls (Step Functions, DynamoDB): each X-Amz-Target is
/// answered from a queue of scripted replies (the last one repeats), and every request is kept for assertions.
/// </summary>
public sealed class FakeAwsEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Body)>> _replies = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public FakeAwsEndpoint()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        }

        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<(string Target, JsonObject Body)> Calls { get; } = new();

    /// <summary>The Authorization header of every request, in order (its credential scope names the signing region).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Scripts the replies to one operation, e.g. "AWSStepFunctions.DescribeExecution".</summary>
    public FakeAwsEndpoint On(string target, params (int Status, string Body)[] replies)
    {
        _replies[target] = new ConcurrentQueue<(int, string)>(replies);
        return this;
    }

    public FakeAwsEndpoint On(string target, string okBody) => On(target, (200, okBody));

    public IReadOnlyList<JsonObject> CallsTo(string target) => Calls.Where(c => c.Target == target).Select(c => c.Body).ToList();

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
            // Closed under a pending accept: nothing more to serve.
        }
    }

    private async Task ServeAsync()
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
            var target = context.Request.Headers["X-Amz-Target"] ?? string.Empty;
            var body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject ?? [];
            Calls.Enqueue((target, body));
            Authorizations.Enqueue(context.Request.Headers["Authorization"] ?? string.Empty);
            var (status, reply) = Next(target);
            var bytes = Encoding.UTF8.GetBytes(reply);
            context.Response.StatusCode = status;
            context.Response.ContentType = context.Request.ContentType ?? "application/x-amz-json-1.0";
            context.Response.Headers["x-amzn-RequestId"] = "fake-request";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int Status, string Body) Next(string target)
    {
        if (!_replies.TryGetValue(target, out var queue))
        {
            return (400, $"{{\"__type\":\"UnknownOperationException\",\"message\":\"the fake has no reply for '{target}'\"}}");
        }

        if (queue.Count > 1 && queue.TryDequeue(out var next))
        {
            return next;
        }

        return queue.TryPeek(out var last) ? last : (500, "{}");
    }
}
