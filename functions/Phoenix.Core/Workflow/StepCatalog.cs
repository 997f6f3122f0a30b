using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Phoenix.Core.Serialization;

namespace Phoenix.Core.Workflow;

/// <summary>
/// Every workflow step by its one name (the ASL placeholder <c>${Name}FunctionArn</c>, the Lambda <c>_HANDLER</c> key,
/// the class prefix), invoked with and returning JSON. Hosts (the Lambda bootstrap, the simulation's task registry) go
/// through this, so the JSON contract is the same everywhere.
/// </summary>
public sealed class StepCatalog
{
    private delegate ValueTask<JsonNode?> StepInvoker(JsonNode? input, CancellationToken cancellationToken);

    // Each step (and its JSON metadata) is built on its first call: a Lambda function runs one step, and building
    // all seventeen was a measurable part of its cold start.
    private readonly Dictionary<string, Lazy<StepInvoker>> _steps;

    public StepCatalog(WorkflowPorts ports, TimeProvider time, WorkflowSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(time);
        settings ??= WorkflowSettings.Default;
        var json = CoreJsonContext.Default;
        _steps = new Dictionary<string, Lazy<StepInvoker>>(StringComparer.Ordinal)
        {
            ["Validate"] = new(() => Bind(new ValidateStep(ports, settings).ExecuteAsync, json.ValidateInput, json.ValidateOutput)),
            ["AcquireLock"] = new(() => Bind(new AcquireLockStep(ports, time).ExecuteAsync, json.AcquireLockInput, json.AcquireLockOutput)),
            ["ResolveFleet"] = new(() => Bind(new ResolveFleetStep(ports, time).ExecuteAsync, json.ResolveFleetInput, json.ResolveFleetOutput)),
            ["StartBake"] = new(() => Bind(new StartBakeStep(ports, time, settings).ExecuteAsync, json.StartBakeInput, json.StartBakeOutput)),
            ["CheckBake"] = new(() => Bind(new CheckBakeStep(ports, time).ExecuteAsync, json.CheckBakeInput, json.CheckBakeOutput)),
            ["UpdateLaunchTemplate"] = new(() => Bind(new UpdateLaunchTemplateStep(ports).ExecuteAsync, json.UpdateLaunchTemplateInput, json.UpdateLaunchTemplateOutput)),
            ["ScaleUpGreen"] = new(() => Bind(new ScaleUpGreenStep(ports, time).ExecuteAsync, json.ScaleUpGreenInput, json.ScaleUpGreenOutput)),
            ["CheckHealth"] = new(() => Bind(new CheckHealthStep(ports, time).ExecuteAsync, json.CheckHealthInput, json.CheckHealthOutput)),
            ["SwapTraffic"] = new(() => Bind(new SwapTrafficStep(ports, time).ExecuteAsync, json.SwapTrafficInput, json.SwapTrafficOutput)),
            ["CheckAlarms"] = new(() => Bind(new CheckAlarmsStep(ports, time).ExecuteAsync, json.CheckAlarmsInput, json.CheckAlarmsOutput)),
            ["RequestApproval"] = new(() => Bind(new RequestApprovalStep(ports, settings).ExecuteAsync, json.RequestApprovalInput, json.RequestApprovalOutput)),
            ["Finalize"] = new(() => Bind(new FinalizeStep(ports, time).ExecuteAsync, json.FinalizeInput, json.FinalizeOutput)),
            ["ScaleDownPrevious"] = new(() => Bind(new ScaleDownPreviousStep(ports).ExecuteAsync, json.ScaleDownPreviousInput, json.ScaleDownPreviousOutput)),
            ["Rollback"] = new(() => Bind(new RollbackStep(ports, time).ExecuteAsync, json.RollbackInput, json.RollbackOutput)),
            ["RecordRollbackFailure"] = new(() => Bind(new RecordRollbackFailureStep(ports, time).ExecuteAsync, json.RecordRollbackFailureInput, json.RecordRollbackFailureOutput)),
            ["ReleaseLock"] = new(() => Bind(new ReleaseLockStep(ports, time).ExecuteAsync, json.ReleaseLockInput, json.ReleaseLockOutput)),
            ["Notify"] = new(() => Bind(new NotifyStep(ports, settings).ExecuteAsync, json.NotifyInput, json.NotifyOutput)),
        };
        Names = _steps.Keys.ToArray();
    }

    /// <summary>The workflow step names, in workflow order.</summary>
    public IReadOnlyCollection<string> Names { get; }

    /// <summary>Runs one step. Unknown name: ArgumentException. Input that does not fit the step's record: InvalidStepInput.</summary>
    public ValueTask<JsonNode?> InvokeAsync(string step, JsonNode? input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (!_steps.TryGetValue(step, out var invoke))
        {
            throw new ArgumentException($"Unknown workflow step '{step}'. Known steps: {string.Join(", ", Names)}.", nameof(step));
        }

        return invoke.Value(input, cancellationToken);
    }

    private static StepInvoker Bind<TInput, TOutput>(
        Func<TInput, CancellationToken, Task<TOutput>> execute, JsonTypeInfo<TInput> inputInfo, JsonTypeInfo<TOutput> outputInfo)
        where TInput : class =>
        async (node, cancellationToken) =>
        {
            TInput? input;
            try
            {
                input = node?.Deserialize(inputInfo);
            }
            catch (JsonException e)
            {
                throw new InvalidStepInput($"Input for {typeof(TInput).Name} does not match the step's record: {e.Message}", e);
            }

            if (input is null)
            {
                throw new InvalidStepInput($"Input for {typeof(TInput).Name} is missing (null).");
            }

            var output = await execute(input, cancellationToken);
            return JsonSerializer.SerializeToNode(output, outputInfo);
        };
}
