using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Phoenix.Cli.Simulation;
using Phoenix.Cli.Simulation.Drift;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;

namespace Phoenix.Benchmarks;

/// <summary>
/// Drift throughput: 1,000 EventBridge events through parse → dedupe → format → publish with in-memory ports, in SQS
/// batches as the event source mapping delivers them. Distinct: every event a new alert. Realistic: 60% new alerts,
/// 20% redeliveries (deduped), 10% recoveries, 5% stack drift, 5% events needing no message. The SnsCalls/1k column
/// is the number of SNS PublishBatch calls those 1,000 events cost.
/// Run: dotnet run -c Release --project tests/Phoenix.Benchmarks -- --filter '*DriftBenchmarks*'
/// </summary>
[Config(typeof(DriftBenchmarkConfig))]
[MemoryDiagnoser]
public class DriftBenchmarks
{
    public const int Events = 1_000;

    private IReadOnlyList<SqsMessage> _messages = [];

    [Params("Distinct", "Realistic")]
    public string Mix { get; set; } = "Distinct";

    [Params(10, 100)]
    public int SqsBatchSize { get; set; } = 10;

    [GlobalSetup]
    public void Setup() => _messages = CreateEvents(Mix);

    /// <summary>Returns the SNS PublishBatch calls made, so the work cannot be optimised away.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public Task<int> HandleThousandEvents() => RunAsync(_messages, SqsBatchSize);

    public static async Task<int> RunAsync(IReadOnlyList<SqsMessage> messages, int sqsBatchSize)
    {
        var region = new SimulatedRegion(TimeProvider.System);
        var notifier = new CountingNotifier();
        var ports = new DriftPorts(region.AutoScaling, region.Ec2, notifier, region.Locks, region.Ledger, region.Topology, new InMemoryDriftDedupeStore(), new InMemoryDriftPolicies());
        var handler = new DriftHandler(ports, new DriftOptions($"arn:aws:sns:{SimulatedRegion.RegionName}:{SimulatedRegion.AccountId}:phoenix-drift"), TimeProvider.System);
        var calls = 0;
        foreach (var batch in messages.Chunk(sqsBatchSize))
        {
            var result = await handler.HandleBatchAsync(batch, CancellationToken.None);
            calls += result.PublishCalls;
        }

        return calls;
    }

    public static IReadOnlyList<SqsMessage> CreateEvents(string mix)
    {
        var at = new DateTimeOffset(2026, 11, 26, 21, 0, 0, TimeSpan.Zero);
        string Alert(int i, string compliance, string? previous) => ConfigEvents.ComplianceChange(
            i, "ec2-managedinstance-inventory-blocked", SimulatedRegion.AccountId, SimulatedRegion.RegionName,
            new ConfigEvaluation("AWS::SSM::ManagedInstanceInventory", $"i-{i:x17}", compliance, "Inventory type AWS:Application is present.", at),
            previous is null ? null : new ConfigEvaluation("AWS::SSM::ManagedInstanceInventory", $"i-{i:x17}", previous, null, at.AddHours(-1)));
        const string StackTemplate = """{"version":"0","id":"stack-N","detail-type":"CloudFormation Drift Detection Status Change","source":"aws.cloudformation","account":"ACCOUNT","time":"2026-11-26T21:00:00Z","region":"REGION","resources":[],"detail":{"stack-id":"arn:aws:cloudformation:REGION:ACCOUNT:stack/fleet-N/8c2b3c50-cb9a-11ef-9a4c-0a1b2c3d4e5f","stack-drift-detection-id":"d-N","status-details":{"stack-drift-status":"DRIFTED","detection-status":"DETECTION_COMPLETE"},"drift-detection-details":{"drifted-stack-resource-count":1}}}""";
        string Stack(int i) => StackTemplate
            .Replace("ACCOUNT", SimulatedRegion.AccountId, StringComparison.Ordinal)
            .Replace("REGION", SimulatedRegion.RegionName, StringComparison.Ordinal)
            .Replace("-N", $"-{i}", StringComparison.Ordinal);

        var bodies = new List<string>(Events);
        for (var i = 0; i < Events; i++)
        {
            bodies.Add(mix == "Distinct" ? Alert(i, "NON_COMPLIANT", "COMPLIANT") : (i % 20) switch
            {
                < 12 => Alert(i, "NON_COMPLIANT", "COMPLIANT"),
                < 16 => Alert(i - (i % 20) + 1, "NON_COMPLIANT", "COMPLIANT"),
                < 18 => Alert(i - (i % 20) + 2, "COMPLIANT", "NON_COMPLIANT"),
                18 => Stack(i),
                _ => Alert(i, "INSUFFICIENT_DATA", null),
            });
        }

        return [.. bodies.Select((body, i) => new SqsMessage($"m{i}", body))];
    }

    private sealed class CountingNotifier : INotifier
    {
        public int Messages { get; private set; }

        public Task PublishAsync(string topicArn, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            Messages += messages.Count;
            return Task.CompletedTask;
        }
    }
}

public sealed class DriftBenchmarkConfig() : InProcessShortRunConfig(new SnsCallsColumn());

/// <summary>SNS PublishBatch calls per 1,000 events for the case's mix and SQS batch size (deterministic, so it is
/// counted once here rather than timed).</summary>
public sealed class SnsCallsColumn() : FigureColumn("SnsCalls/1k", "SNS PublishBatch calls made for the 1,000 events")
{
    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var mix = (string)benchmarkCase.Parameters["Mix"];
        var batch = (int)benchmarkCase.Parameters["SqsBatchSize"];
        var calls = DriftBenchmarks.RunAsync(DriftBenchmarks.CreateEvents(mix), batch).GetAwaiter().GetResult();
        return calls.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
