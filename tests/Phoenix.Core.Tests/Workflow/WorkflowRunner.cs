using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Asl;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>One step invocation as the runner saw it: the call's number for that step (1-based), input, and output or error.</summary>
internal sealed record StepCall(string Step, int Number, JsonNode? Input, JsonNode? Output, string? Error);

/// <summary>
/// Runs statemachines/deploy.asl.json on Phoenix.Asl against a <see cref="RegionHarness"/>, with a hook before each step
/// invocation (to change the fleet from outside, or fail the step with an ASL error) and a record of every call.
/// </summary>
internal static partial class WorkflowRunner
{
    public const string ExecutionName = "deploy-1";

    /// <summary>
    /// <paramref name="before"/> runs before a step with its name and call number and may throw a
    /// <see cref="TaskFailedException"/> to fail that attempt without running the step; <paramref name="after"/> runs after
    /// it succeeded, and may throw too (the step's changes stay, as when a Lambda's response is lost).
    /// <paramref name="answerApproval"/> is called five virtual minutes after each approval request.
    /// </summary>
    public static async Task<(ExecutionResult Result, IReadOnlyList<StepCall> Calls)> RunAsync(
        RegionHarness harness,
        string input,
        Func<string, int, Task>? before = null,
        Func<string, int, JsonNode?, Task>? after = null,
        Action<AslExecution, string>? answerApproval = null)
    {
        var text = Placeholder().Replace(
            File.ReadAllText(Repository.DeployDefinitionPath), m => $"arn:aws:lambda:us-east-1:000000000000:function:phoenix-{m.Groups[1].Value}");
        var definition = StateMachineDefinition.Parse(text);
        var tasks = new TaskRegistry();
        var calls = new List<StepCall>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        // The answer's timer may fire on the clock's thread before Start has returned the execution to this one.
        var started = new TaskCompletionSource<AslExecution>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var step in harness.Catalog.Names)
        {
            tasks.Register($"phoenix-{step}", async (request, ct) =>
            {
                var number = counts[step] = counts.GetValueOrDefault(step) + 1;
                JsonNode? output = null;
                try
                {
                    if (before is not null)
                    {
                        await before(step, number);
                    }

                    output = await harness.Catalog.InvokeAsync(step, request.Input, ct);
                    if (after is not null)
                    {
                        await after(step, number, output);
                    }
                }
                catch (Exception e)
                {
                    calls.Add(new StepCall(step, number, request.Input?.DeepClone(), output?.DeepClone(), e is TaskFailedException f ? f.Error : e.GetType().Name));
                    throw;
                }

                calls.Add(new StepCall(step, number, request.Input?.DeepClone(), output?.DeepClone(), null));
                if (request.TaskToken is { } token && answerApproval is not null)
                {
                    harness.Clock.CreateTimer(_ => answerApproval(started.Task.GetAwaiter().GetResult(), token), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
                }

                return output;
            });
        }

        var execution = AslEngine.Start(definition, JsonNode.Parse(input), new ExecutionOptions
        {
            Time = harness.Clock,
            Tasks = tasks,
            ExecutionName = ExecutionName,
            StateMachineName = "phoenix-deploy",
        });
        started.SetResult(execution);
        var result = await execution.Completion.WaitAsync(TimeSpan.FromMinutes(1));
        return (result, calls);
    }

    /// <summary>The names of the states entered, in order.</summary>
    public static IReadOnlyList<string> Entered(ExecutionResult result) =>
        result.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName!).ToList();

    [GeneratedRegex(@"\$\{(\w+)FunctionArn\}")]
    private static partial Regex Placeholder();
}
