using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Phoenix.Lambda.Handlers;
using Phoenix.Lambda.Runtime;
using Phoenix.Lambda.Tests.Support;

namespace Phoenix.Lambda.Tests;

// The trace id lives in the process environment, so hosts in this process must not overlap.
[Collection(nameof(ProcessEnvironment))]
public sealed class LambdaRuntimeTests
{
    private static HandlerTable Table(string key, ILambdaHandler handler) => new([new(key, () => handler)]);

    [Fact]
    public async Task RunAsync_HandlerReturns_PostsResponseWithInvocationHeadersApplied()
    {
        var handler = new DelegateHandler((payload, context, _) => ValueTask.FromResult<JsonNode?>(new JsonObject
        {
            ["echo"] = payload?.DeepClone(),
            ["requestId"] = context.RequestId,
            ["functionArn"] = context.Invocation.InvokedFunctionArn,
            ["traceId"] = Environment.GetEnvironmentVariable(LambdaRuntime.TraceIdVariable),
        }));
        var host = InProcessHost.Start("Echo", () => Table("Echo", handler));
        host.Api.Enqueue("req-1", """{"application":"web"}""", TimeSpan.FromMinutes(1), "Root=1-abc;Parent=def;Sampled=1");

        var result = await host.Api.ResultAsync("req-1");
        var (exitCode, log) = await host.StopAsync();

        Assert.False(result.IsError);
        var body = JsonNode.Parse(result.Body)!;
        Assert.Equal("web", (string?)body["echo"]!["application"]);
        Assert.Equal("req-1", (string?)body["requestId"]);
        Assert.Equal(FakeRuntimeApi.FunctionArn, (string?)body["functionArn"]);
        Assert.Equal("Root=1-abc;Parent=def;Sampled=1", (string?)body["traceId"]);
        Assert.Equal(1, exitCode);
        var done = Assert.Single(log, line => (string?)line["message"] == "Invocation succeeded.");
        Assert.Equal("req-1", (string?)done["requestId"]);
        Assert.Equal("Echo", (string?)done["handler"]);
        Assert.Equal("INFO", (string?)done["level"]);
        Assert.True(DateTimeOffset.TryParse((string?)done["timestamp"], out _));
    }

    [Fact]
    public async Task RunAsync_HandlerThrowsPhoenixException_PostsErrorNamedByShortClassName()
    {
        var handler = new DelegateHandler((_, _, _) => throw new FleetNotFound("No topology for application 'web'."));
        var host = InProcessHost.Start("Fail", () => Table("Fail", handler));
        host.Api.Enqueue("req-err", "{}", TimeSpan.FromMinutes(1));

        var result = await host.Api.ResultAsync("req-err");
        await host.StopAsync();

        Assert.True(result.IsError);
        Assert.Equal("FleetNotFound", result.ErrorType);
        var body = JsonNode.Parse(result.Body)!;
        Assert.Equal("FleetNotFound", (string?)body["errorType"]);
        Assert.Equal("No topology for application 'web'.", (string?)body["errorMessage"]);
        Assert.NotEmpty(body["stackTrace"]!.AsArray());
    }

    [Fact]
    public async Task RunAsync_SeveralInvocations_BuildsHandlerOnceAndServesEach()
    {
        var builds = 0;
        var handler = new DelegateHandler((payload, _, _) => ValueTask.FromResult<JsonNode?>(payload?.DeepClone()));
        var host = InProcessHost.Start("Echo", () => new HandlerTable([new("Echo", () =>
        {
            Interlocked.Increment(ref builds);
            return handler;
        })]));
        for (var i = 0; i < 3; i++)
        {
            host.Api.Enqueue($"req-{i}", $$"""{"n":{{i}}}""", TimeSpan.FromMinutes(1));
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => host.Api.ResultAsync($"req-{i}")));
        await host.StopAsync();

        Assert.Equal(1, builds);
        Assert.Equal([0, 1, 2], results.Select(r => (int)JsonNode.Parse(r.Body)!["n"]!));
    }

    [Fact]
    public async Task RunAsync_HandlerOutlivesDeadline_CancelsAtMarginBeforeDeadlineAndPostsTransientFailure()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (_, _, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return null;
        });
        var host = InProcessHost.Start("Slow", () => Table("Slow", handler), time);
        host.Api.Enqueue("req-slow", "{}", time.GetUtcNow() + TimeSpan.FromSeconds(10));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var result = host.Api.ResultAsync("req-slow");

        time.Advance(TimeSpan.FromSeconds(10) - LambdaRuntime.DefaultDeadlineMargin - TimeSpan.FromMilliseconds(1));
        await Task.Delay(200);
        var earlyResult = result.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(1));
        var posted = await result;
        await host.StopAsync();

        Assert.False(earlyResult, "The handler was cancelled before deadline minus margin.");
        Assert.Equal("TransientFailure", posted.ErrorType);
        Assert.Contains("req-slow", (string?)JsonNode.Parse(posted.Body)!["errorMessage"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PayloadNotJson_PostsInvalidPayloadAndServesTheNextInvocation()
    {
        var handler = new DelegateHandler((payload, _, _) => ValueTask.FromResult<JsonNode?>(payload?.DeepClone()));
        var host = InProcessHost.Start("Echo", () => Table("Echo", handler));
        host.Api.Enqueue("req-bad", "{not json", TimeSpan.FromMinutes(1));
        host.Api.Enqueue("req-good", "[1]", TimeSpan.FromMinutes(1));

        var bad = await host.Api.ResultAsync("req-bad");
        var good = await host.Api.ResultAsync("req-good");
        await host.StopAsync();

        Assert.Equal("InvalidPayload", bad.ErrorType);
        Assert.Contains("req-bad", bad.Body, StringComparison.Ordinal);
        Assert.Equal("[1]", good.Body);
    }

    [Fact]
    public async Task RunAsync_HandlerReturnsNull_PostsJsonNull()
    {
        var handler = new DelegateHandler((_, _, _) => ValueTask.FromResult<JsonNode?>(null));
        var host = InProcessHost.Start("Nothing", () => Table("Nothing", handler));
        host.Api.Enqueue("req-null", "{}", TimeSpan.FromMinutes(1));

        var result = await host.Api.ResultAsync("req-null");
        await host.StopAsync();

        Assert.Equal("null", result.Body);
    }

    [Fact]
    public async Task RunAsync_HandlerFactoryThrows_PostsInitErrorAndExitsNonZero()
    {
        var host = InProcessHost.Start("Broken", () => new HandlerTable([new("Broken", () => throw new InvalidOperationException("PHOENIX_TABLE is not set."))]));

        var init = await host.Api.InitErrorAsync();
        var (exitCode, log) = await host.StopAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal("InvalidOperationException", init.ErrorType);
        Assert.Equal("PHOENIX_TABLE is not set.", (string?)JsonNode.Parse(init.Body)!["errorMessage"]);
        Assert.Equal(0, host.Api.NextCalls);
        Assert.Contains(log, line => (string?)line["level"] == "ERROR" && (string?)line["errorType"] == "InvalidOperationException");
    }

    [Fact]
    public async Task RunAsync_UnknownHandlerKey_PostsHandlerNotFoundNamingTheKey()
    {
        var host = InProcessHost.Start("Valdate", () => new HandlerTable([new("Validate", () => throw new InvalidOperationException("not built"))]));

        var init = await host.Api.InitErrorAsync();
        var (exitCode, _) = await host.StopAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal("HandlerNotFound", init.ErrorType);
        var message = (string?)JsonNode.Parse(init.Body)!["errorMessage"];
        Assert.Contains("'Valdate'", message, StringComparison.Ordinal);
        Assert.Contains("Validate", message, StringComparison.Ordinal);
    }
}

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;
