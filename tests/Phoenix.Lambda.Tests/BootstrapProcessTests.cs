using System.Text.Json.Nodes;
using Phoenix.Lambda.Tests.Support;

namespace Phoenix.Lambda.Tests;

/// <summary>The real bootstrap as a process (JIT build and Native AOT binary) against a fake Runtime API.</summary>
public sealed class BootstrapProcessTests
{
    [Theory]
    [InlineData(BootstrapKind.Jit)]
    [InlineData(BootstrapKind.Aot)]
    public async Task Bootstrap_UnknownHandler_PostsInitErrorAndExitsNonZero(BootstrapKind kind)
    {
        await using var api = FakeRuntimeApi.Start();
        using var process = await BootstrapProcess.StartAsync(kind, new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
            ["_HANDLER"] = "NoSuchStep",
        });

        var init = await api.InitErrorAsync();
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        Assert.Equal("HandlerNotFound", init.ErrorType);
        var body = JsonNode.Parse(init.Body)!;
        Assert.Equal("HandlerNotFound", (string?)body["errorType"]);
        Assert.Contains("'NoSuchStep'", (string?)body["errorMessage"], StringComparison.Ordinal);
        Assert.Equal(0, api.NextCalls);
        var logged = Assert.Single(process.LogLines(), line => (string?)line["level"] == "ERROR");
        Assert.Equal("NoSuchStep", (string?)logged["handler"]);
        Assert.Equal("HandlerNotFound", (string?)logged["errorType"]);
    }

    [Theory]
    [InlineData(BootstrapKind.Jit)]
    [InlineData(BootstrapKind.Aot)]
    public async Task Bootstrap_NoRuntimeApi_LogsWhyAndExitsNonZero(BootstrapKind kind)
    {
        using var process = await BootstrapProcess.StartAsync(kind, new Dictionary<string, string?> { ["_HANDLER"] = "Validate" });

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains("AWS_LAMBDA_RUNTIME_API", (string?)Assert.Single(process.LogLines())["message"], StringComparison.Ordinal);
    }
}

/// <summary>The real handlers in the real bootstrap, with AWS pointed at a loopback SSM (AWS_ENDPOINT_URL).</summary>
public sealed class BootstrapHandlerTests
{
    private const string BadMessageId = "2e1424d4-f796-459a-8184-9c92662be6da";

    private static Dictionary<string, string?> Environment(FakeRuntimeApi api, FakeSsmEndpoint ssm, string handler) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
        ["_HANDLER"] = handler,
        ["PHOENIX_TABLE"] = "phoenix-test",
        ["PHOENIX_DRIFT_TOPIC_ARN"] = "arn:aws:sns:eu-west-1:123456789012:phoenix-drift",
        ["AWS_REGION"] = "eu-west-1",
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ["AWS_ENDPOINT_URL"] = ssm.Url,
    };

    private static FakeSsmEndpoint StartSsm() => FakeSsmEndpoint.Start(new Dictionary<string, string>
    {
        ["/phoenix/apps/web/topology"] = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "topology-web.json")),
    });

    [Theory]
    [InlineData(BootstrapKind.Jit)]
    [InlineData(BootstrapKind.Aot)]
    public async Task Bootstrap_ValidateInvocations_PostsResponseThenTypedErrorFromOneProcess(BootstrapKind kind)
    {
        await using var ssm = StartSsm();
        var api = FakeRuntimeApi.Start();
        using var process = await BootstrapProcess.StartAsync(kind, Environment(api, ssm, "Validate"));
        const string executionArn = "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:run-7";
        api.Enqueue("req-ok", $$$"""{"request":{"application":"web"},"execution":{"id":"{{{executionArn}}}","startedAt":"2026-11-26T12:00:00Z"}}""", TimeSpan.FromMinutes(1));
        api.Enqueue("req-bad", """{"request":{"application":"web","colour":"red"}}""", TimeSpan.FromMinutes(1));

        var ok = await api.ResultAsync("req-ok");
        var bad = await api.ResultAsync("req-bad");
        await api.DisposeAsync();
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.False(ok.IsError, ok.Body);
        Assert.Equal("web", (string?)JsonNode.Parse(ok.Body)!["request"]!["application"]);
        Assert.True(bad.IsError);
        Assert.Equal("InvalidDeploymentRequest", bad.ErrorType);
        var error = JsonNode.Parse(bad.Body)!;
        Assert.Equal("InvalidDeploymentRequest", (string?)error["errorType"]);
        Assert.Contains("colour", (string?)error["errorMessage"], StringComparison.Ordinal);
        Assert.Equal(1, exitCode);
        var log = process.LogLines();
        var succeeded = Assert.Single(log, line => (string?)line["message"] == "Invocation succeeded.");
        Assert.Equal("req-ok", (string?)succeeded["requestId"]);
        Assert.Equal(executionArn, (string?)succeeded["executionArn"]);
        Assert.Equal("Validate", (string?)succeeded["handler"]);
        Assert.Contains(log, line => (string?)line["requestId"] == "req-bad" && (string?)line["errorType"] == "InvalidDeploymentRequest");
    }

    [Theory]
    [InlineData(BootstrapKind.Jit)]
    [InlineData(BootstrapKind.Aot)]
    public async Task Bootstrap_AwsCallOutlivesDeadline_PostsTransientFailure(BootstrapKind kind)
    {
        await using var ssm = StartSsm();
        await using var api = FakeRuntimeApi.Start();
        using var process = await BootstrapProcess.StartAsync(kind, Environment(api, ssm, "Validate"));
        api.Enqueue("req-slow", """{"request":{"application":"slow"}}""", TimeSpan.FromSeconds(3));

        var result = await api.ResultAsync("req-slow");

        Assert.Equal("TransientFailure", result.ErrorType);
        Assert.Contains("before its deadline", (string?)JsonNode.Parse(result.Body)!["errorMessage"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BootstrapKind.Jit)]
    [InlineData(BootstrapKind.Aot)]
    public async Task Bootstrap_DriftBatchWithOneBadRecord_ReportsOnlyThatRecordInBatchItemFailures(BootstrapKind kind)
    {
        await using var ssm = StartSsm();
        await using var api = FakeRuntimeApi.Start();
        using var process = await BootstrapProcess.StartAsync(kind, Environment(api, ssm, "DriftHandler"));
        api.Enqueue("req-sqs", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sqs-drift-batch.json")), TimeSpan.FromMinutes(1));

        var result = await api.ResultAsync("req-sqs");

        Assert.False(result.IsError, result.Body);
        var failures = JsonNode.Parse(result.Body)!["batchItemFailures"]!.AsArray();
        var failure = Assert.Single(failures);
        Assert.Equal(BadMessageId, (string?)failure!["itemIdentifier"]);
    }
}
