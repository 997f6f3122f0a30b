using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Engine;

/// <summary>Runs small definitions on a virtual clock for the engine tests.</summary>
internal static class Asl
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<ExecutionResult> RunAsync(string definition, string input = "{}", TaskRegistry? tasks = null, VirtualClock? clock = null)
    {
        var execution = Begin(definition, input, tasks, clock);
        return await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));
    }

    public static AslExecution Begin(string definition, string input = "{}", TaskRegistry? tasks = null, VirtualClock? clock = null, Action<HistoryEvent>? onEvent = null) =>
        AslEngine.Start(
            StateMachineDefinition.Parse(definition.Replace("@FN", Fn, StringComparison.Ordinal)),
            JsonNode.Parse(input),
            new ExecutionOptions { Time = clock ?? new VirtualClock(Start), Tasks = tasks ?? new TaskRegistry(), OnEvent = onEvent });

    public static TaskRegistry Tasks(string name, TaskHandler handler)
    {
        var registry = new TaskRegistry();
        registry.Register(name, handler);
        return registry;
    }

    public static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    public static List<string> Types(ExecutionResult result) => [.. result.History.Select(e => e.Type)];

    /// <summary>The function ARN that <c>@FN</c> in a test definition stands for.</summary>
    public const string Fn = "arn:aws:lambda:us-east-1:123456789012:function:work";
}
