using System.Text;
using System.Text.Json.Nodes;
using Phoenix.Core.Drift;
using Phoenix.Lambda.Handlers;
using Phoenix.Lambda.Logging;
using Phoenix.Lambda.Runtime;
using Phoenix.Lambda.Tests.Support;

namespace Phoenix.Lambda.Tests;

/// <summary>The drift alarm's signal: every DriftHandler batch writes one Embedded Metric Format line.</summary>
public sealed class DriftMetricsTests
{
    [Fact]
    public void Metrics_Counts_OneEmbeddedMetricFormatLine()
    {
        using var output = new MemoryStream();
        var log = new JsonLog(output, TimeProvider.System, "DriftHandler");

        log.Metrics("Phoenix", ("Handler", "DriftHandler"), [("NonCompliantResources", 2), ("ResolvedResources", 0)]);

        var line = JsonNode.Parse(Encoding.UTF8.GetString(output.ToArray()).Trim())!;
        var directive = line["_aws"]!["CloudWatchMetrics"]!.AsArray().Single()!;
        Assert.True((long)line["_aws"]!["Timestamp"]! > 1_700_000_000_000);
        Assert.Equal("Phoenix", (string?)directive["Namespace"]);
        Assert.Equal(["Handler"], directive["Dimensions"]!.AsArray().Single()!.AsArray().Select(d => (string?)d));
        Assert.Equal(["NonCompliantResources", "ResolvedResources"], directive["Metrics"]!.AsArray().Select(m => (string?)m!["Name"]));
        Assert.All(directive["Metrics"]!.AsArray(), m => Assert.Equal("Count", (string?)m!["Unit"]));
        // The spec: each dimension and metric named in the directive is a member of the root object.
        Assert.Equal("DriftHandler", (string?)line["Handler"]);
        Assert.Equal(2, (int)line["NonCompliantResources"]!);
        Assert.Equal(0, (int)line["ResolvedResources"]!);
    }

    [Fact]
    public async Task DriftQueueHandler_Batch_WritesItsCountsAsMetrics()
    {
        using var output = new MemoryStream();
        var log = new JsonLog(output, TimeProvider.System, "DriftHandler");
        // A malformed body fails before any port is used.
        var drift = new DriftHandler(new DriftPorts(null!, null!, null!, null!, null!, null!, null!, null!), new DriftOptions("arn:aws:sns:eu-west-1:123456789012:drift"), TimeProvider.System);
        var context = new LambdaContext(new Invocation("req-1", DateTimeOffset.UtcNow.AddMinutes(1), FakeRuntimeApi.FunctionArn, null, ReadOnlyMemory<byte>.Empty), log);

        await new DriftQueueHandler(drift).HandleAsync(
            JsonNode.Parse("""{"Records":[{"messageId":"m1","body":"not json"}]}"""), context, CancellationToken.None);

        var metrics = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).Single(l => l["_aws"] is not null);
        Assert.Equal(DriftMetrics.Namespace, (string?)metrics["_aws"]!["CloudWatchMetrics"]![0]!["Namespace"]);
        Assert.Equal(Composition.DriftHandlerKey, (string?)metrics[DriftMetrics.DimensionName]);
        Assert.Equal(1, (int)metrics[DriftMetrics.FailedName]!);
        Assert.Equal(0, (int)metrics[DriftMetrics.NonCompliantName]!);
    }
}
