using System.Text;
using System.Text.Json.Nodes;
using Phoenix.Core;
using Phoenix.Core.Workflow;
using Phoenix.Lambda.Handlers;
using Phoenix.Lambda.Logging;
using Phoenix.Lambda.Runtime;
using Phoenix.Lambda.Tests.Support;

namespace Phoenix.Lambda.Tests;

public sealed class StepHandlerTests
{
    /// <summary>Validate rejects a request that is not an object before it touches a port, so no port is needed.</summary>
    private static StepHandler Validate() =>
        new(new StepCatalog(new WorkflowPorts(null!, null!, null!, null!, null!, null!, null!, null!, null!), TimeProvider.System), "Validate");

    [Theory]
    [InlineData("""{"request":1,"execution":{"id":"arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:run-1"}}""", "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:run-1")]
    [InlineData("""{"request":1,"execution":{"id":"arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:run-2","startedAt":"not a date"}}""", "arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:run-2")]
    [InlineData("""{"request":1,"execution":{"id":7}}""", null)]
    [InlineData("""{"request":1,"execution":"arn:aws:states:eu-west-1:123456789012:execution:phoenix-deploy:run-3"}""", null)]
    [InlineData("""{"request":1}""", null)]
    public async Task HandleAsync_Payload_LogsTheExecutionIdItCarries(string payload, string? expectedArn)
    {
        using var output = new MemoryStream();
        var log = new JsonLog(output, TimeProvider.System, "Validate");
        log.BeginInvocation("req-1");
        var context = new LambdaContext(
            new Invocation("req-1", DateTimeOffset.UtcNow.AddMinutes(1), FakeRuntimeApi.FunctionArn, null, ReadOnlyMemory<byte>.Empty), log);

        await Assert.ThrowsAsync<InvalidDeploymentRequest>(async () => await Validate().HandleAsync(JsonNode.Parse(payload), context, CancellationToken.None));
        log.Info("after");

        var line = JsonNode.Parse(Encoding.UTF8.GetString(output.ToArray()).Trim())!;
        Assert.Equal(expectedArn, (string?)line["executionArn"]);
    }
}
