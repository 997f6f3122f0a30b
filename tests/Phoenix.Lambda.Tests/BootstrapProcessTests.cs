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
