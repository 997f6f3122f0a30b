using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;

namespace Phoenix.Cli.Tests.Aws;

/// <summary>
/// A loopback stand-in for the services the CLI calls: awsJson (Step Functions, DynamoDB) keyed by X-Amz-Target, and
/// AWS Query (STS) keyed by the form's Action. Each is answered from a queue of scripted replies (the last one
/// repeats), and every request is kept for assertions (a Query form as an object of its parameters).
/// GetCallerIdentity answers <see cref="CallerArn"/> unless a test scripts it, as any valid credentials get an answer.
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
        On(
            "GetCallerIdentity",
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>" +
            $"<Arn>{CallerArn}</Arn><UserId>AIDAEXAMPLEALICE</UserId><Account>123456789012</Account></GetCallerIdentityResult>" +
            "<ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
    }

    public const string CallerArn = "arn:aws:iam::123456789012:user/alice";

    public string Url { get; }

    public ConcurrentQueue<(string Target, JsonObject Body)> Calls { get; } = new();

    /// <summary>The Authorization header of every request, in order (its credential scope names the signing region).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Scripts the replies to one operation, e.g. "AWSStepFunctions.DescribeExecution", or a Query Action such as "GetCallerIdentity".</summary>
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
            var text = await reader.ReadToEndAsync();
            var target = context.Request.Headers["X-Amz-Target"];
            JsonObject body;
            string contentType;
            if (target is null && context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true)
            {
                var form = HttpUtility.ParseQueryString(text);
                target = form["Action"] ?? string.Empty;
                body = new JsonObject(form.AllKeys.Where(k => k is not null).Select(k => KeyValuePair.Create(k!, (JsonNode?)form[k])));
                contentType = "text/xml";
            }
            else
            {
                target ??= string.Empty;
                body = JsonNode.Parse(text) as JsonObject ?? [];
                contentType = context.Request.ContentType ?? "application/x-amz-json-1.0";
            }

            Calls.Enqueue((target, body));
            Authorizations.Enqueue(context.Request.Headers["Authorization"] ?? string.Empty);
            var (status, reply) = Next(target);
            var bytes = Encoding.UTF8.GetBytes(reply);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
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
