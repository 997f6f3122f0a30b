using System.Globalization;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Phoenix.Asl;

namespace Phoenix.Benchmarks;

/// <summary>
/// Phoenix.Asl throughput on a <see cref="VirtualClock"/>, per state transition (a state entered): each benchmark
/// declares its transitions as OperationsPerInvoke, so Mean is the time and Allocated the bytes per transition; the
/// Transitions/s column is 1 / Mean. History: with it kept (the default for library hosts) and without (what
/// <c>phoenix asl run</c> does unless --history asks for it).
/// (a) CounterLoop: a Pass (States.MathAdd) / Choice loop of 1,000 iterations = 2,001 transitions.
/// (b) MapOverTask: an inline Map over 1,000 items, each calling a Lambda Task = 1,001 transitions.
/// Run: dotnet run -c Release --project tests/Phoenix.Benchmarks -- --filter '*AslBenchmarks*'
/// </summary>
[Config(typeof(AslBenchmarkConfig))]
[MemoryDiagnoser]
public class AslBenchmarks
{
    public const int CounterTransitions = 2 * 1_000 + 1;
    public const int MapTransitions = 1 + 1_000;

    private const string Function = "arn:aws:lambda:us-east-1:123456789012:function:work";

    private static readonly StateMachineDefinition Counter = StateMachineDefinition.Parse("""
        {"StartAt":"Inc","States":{
          "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":1000,"Next":"Inc"}],"Default":"Done"},
          "Done":{"Type":"Succeed"}}}
        """);

    private static readonly StateMachineDefinition Map = StateMachineDefinition.Parse("""
        {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,
          "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"FUNCTION","End":true}}}}}}
        """.Replace("FUNCTION", Function, StringComparison.Ordinal));

    private static readonly JsonObject MapInput = new() { ["items"] = new JsonArray([.. Enumerable.Range(0, 1_000).Select(i => (JsonNode)new JsonObject { ["id"] = i })]) };

    private static readonly TaskRegistry Tasks = CreateTasks();

    [Params(true, false)]
    public bool History { get; set; }

    /// <summary>Returns the final count, so the work cannot be optimised away.</summary>
    [Benchmark(OperationsPerInvoke = CounterTransitions)]
    public Task<ExecutionResult> CounterLoop() => RunAsync(Counter, new JsonObject { ["n"] = 0 }, History);

    [Benchmark(OperationsPerInvoke = MapTransitions)]
    public Task<ExecutionResult> MapOverTask() => RunAsync(Map, MapInput, History);

    public static async Task<ExecutionResult> RunAsync(StateMachineDefinition definition, JsonNode input, bool history = true)
    {
        var execution = AslEngine.Start(definition, input, new ExecutionOptions
        {
            Time = new VirtualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Tasks = Tasks,
            RecordHistory = history,
        });
        var result = await execution.Completion;
        return result.Status == ExecutionStatus.Succeeded ? result : throw new InvalidOperationException($"{result.Error}: {result.Cause}");
    }

    private static TaskRegistry CreateTasks()
    {
        var tasks = new TaskRegistry();
        tasks.Register(Function, (request, _) => ValueTask.FromResult(request.Input));
        return tasks;
    }
}

public sealed class AslBenchmarkConfig() : InProcessShortRunConfig(new TransitionsPerSecondColumn());

/// <summary>State transitions per second: the reciprocal of the per-transition Mean.</summary>
public sealed class TransitionsPerSecondColumn() : FigureColumn("Transitions/s", "State transitions per second (1 / Mean per transition)")
{
    public override string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return nanoseconds is > 0 ? (1e9 / nanoseconds.Value).ToString("N0", CultureInfo.InvariantCulture) : "-";
    }
}
