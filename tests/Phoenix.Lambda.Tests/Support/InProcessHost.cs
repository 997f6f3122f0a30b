using System.Text;
using System.Text.Json.Nodes;
using Phoenix.Lambda.Handlers;

namespace Phoenix.Lambda.Tests.Support;

/// <summary>Runs the real <see cref="LambdaHost"/> loop in this process against a <see cref="FakeRuntimeApi"/>.</summary>
public sealed class InProcessHost : IAsyncDisposable
{
    private readonly MemoryStream _log = new();
    private readonly Task<int> _run;

    private InProcessHost(FakeRuntimeApi api, Task<int> run, MemoryStream log)
    {
        Api = api;
        _run = run;
        _log = log;
    }

    public FakeRuntimeApi Api { get; }

    public static InProcessHost Start(string? handlerKey, Func<HandlerTable> table, TimeProvider? time = null)
    {
        var api = FakeRuntimeApi.Start();
        var log = new MemoryStream();
        var environment = new Dictionary<string, string?>
        {
            ["_HANDLER"] = handlerKey,
            ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
        };
        var run = Task.Run(() => LambdaHost.RunAsync(
            name => environment.GetValueOrDefault(name), table, log, time ?? TimeProvider.System, CancellationToken.None));
        return new InProcessHost(api, run, log);
    }

    /// <summary>Waits for the loop to end (after an init error, or once the API is gone) and returns its exit code
    /// and log lines.</summary>
    public async Task<(int ExitCode, IReadOnlyList<JsonObject> Log)> StopAsync()
    {
        await Api.DisposeAsync();
        var exitCode = await _run.WaitAsync(TimeSpan.FromSeconds(30));
        var lines = Encoding.UTF8.GetString(_log.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (exitCode, lines.Select(line => JsonNode.Parse(line)!.AsObject()).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await _log.DisposeAsync();
    }
}

/// <summary>A handler from a lambda, for tests of the host itself.</summary>
public sealed class DelegateHandler(Func<JsonNode?, LambdaContext, CancellationToken, ValueTask<JsonNode?>> handle) : ILambdaHandler
{
    public ValueTask<JsonNode?> HandleAsync(JsonNode? payload, LambdaContext context, CancellationToken cancellationToken) =>
        handle(payload, context, cancellationToken);
}
