using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Phoenix.Lambda.Tests.Support;

/// <summary>
/// A loopback stand-in for SSM Parameter Store (awsJson 1.1 GetParameter), where AWS_ENDPOINT_URL points the
/// bootstrap: serves the parameters it was given, answers ParameterNotFound for others, and never answers for
/// parameters under <c>/phoenix/apps/slow/</c> (to run a handler into its deadline). It also answers the fleet reads
/// Validate makes (AWS Query: DescribeAutoScalingGroups, DescribeListeners, DescribeRules, DescribeAlarms) for the
/// topologies it serves: no groups, blue live on the listener with only its default rule, every alarm OK; and CodeBuild's
/// BatchGetProjects (awsJson 1.1), for which every project builds from a GitHub repository.
/// </summary>
public sealed class FakeSsmEndpoint : IAsyncDisposable
{
    private const string ElbNamespace = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

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
            var body = await reader.ReadToEndAsync();
            if (context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true)
            {
                await WriteQueryAsync(context, Form(body));
                return;
            }

            var request = JsonNode.Parse(body);
            var target = context.Request.Headers["X-Amz-Target"];
            var name = (string?)request?["Name"] ?? "";
            if (target == "CodeBuild_20161006.BatchGetProjects")
            {
                var projects = new JsonArray();
                foreach (var project in request?["names"]?.AsArray() ?? [])
                {
                    projects.Add(new JsonObject { ["name"] = (string?)project, ["source"] = new JsonObject { ["type"] = "GITHUB" } });
                }

                await WriteAsync(context, 200, new JsonObject { ["projects"] = projects, ["projectsNotFound"] = new JsonArray() });
            }
            else if (target != "AmazonSSM.GetParameter")
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

    private static Dictionary<string, string> Form(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(
                pair => Uri.UnescapeDataString(pair[0].Replace('+', ' ')),
                pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "",
                StringComparer.Ordinal);

    private async Task WriteQueryAsync(HttpListenerContext context, Dictionary<string, string> form)
    {
        var action = form.GetValueOrDefault("Action") ?? "";
        var topology = _parameters.Where(p => p.Key.EndsWith("/topology", StringComparison.Ordinal))
            .Select(p => JsonNode.Parse(p.Value)!)
            .FirstOrDefault();
        string? xml = action switch
        {
            "DescribeAutoScalingGroups" => Response(action, "http://autoscaling.amazonaws.com/doc/2011-01-01/", "<AutoScalingGroups/>"),
            "DescribeListeners" when topology is not null => Response(action, ElbNamespace,
                $"<Listeners><member><ListenerArn>{topology["listenerArn"]}</ListenerArn><Port>443</Port><Protocol>HTTPS</Protocol><DefaultActions>{Forward(topology)}</DefaultActions></member></Listeners>"),
            "DescribeRules" when topology is not null => Response(action, ElbNamespace,
                $"<Rules><member><RuleArn>{topology["listenerArn"]}/default</RuleArn><Priority>default</Priority><IsDefault>true</IsDefault><Conditions/><Actions>{Forward(topology)}</Actions></member></Rules>"),
            "DescribeAlarms" => Response(action, "http://monitoring.amazonaws.com/doc/2010-08-01/",
                "<MetricAlarms>" + string.Concat(form.Where(f => f.Key.StartsWith("AlarmNames.member.", StringComparison.Ordinal)).Select(f =>
                    $"<member><AlarmName>{f.Value}</AlarmName><StateValue>OK</StateValue><StateReason>Threshold Crossed</StateReason><StateUpdatedTimestamp>2026-11-26T12:00:00.000Z</StateUpdatedTimestamp></member>"))
                + "</MetricAlarms><CompositeAlarms/>"),
            _ => null,
        };
        var bytes = Encoding.UTF8.GetBytes(xml
            ?? $"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Not faked: {action}</Message></Error><RequestId>fake</RequestId></ErrorResponse>");
        context.Response.StatusCode = xml is null ? 400 : 200;
        context.Response.ContentType = "text/xml";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static string Response(string action, string ns, string result) =>
        $"<{action}Response xmlns=\"{ns}\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></{action}Response>";

    private static string Forward(JsonNode topology) =>
        "<member><Type>forward</Type><Order>1</Order><ForwardConfig><TargetGroups>"
        + $"<member><TargetGroupArn>{topology["blue"]!["targetGroupArn"]}</TargetGroupArn><Weight>100</Weight></member>"
        + $"<member><TargetGroupArn>{topology["green"]!["targetGroupArn"]}</TargetGroupArn><Weight>0</Weight></member>"
        + "</TargetGroups><TargetGroupStickinessConfig><Enabled>false</Enabled></TargetGroupStickinessConfig></ForwardConfig></member>";

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
