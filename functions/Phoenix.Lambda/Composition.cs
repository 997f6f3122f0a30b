using Phoenix.Core.Drift;
using Phoenix.Core.Workflow;
using Phoenix.Lambda.Handlers;

namespace Phoenix.Lambda;

/// <summary>The composition root: every <c>_HANDLER</c> key this binary serves, in one place.</summary>
public static class Composition
{
    /// <summary>The workflow steps, one function each (the ASL's <c>${Name}FunctionArn</c>).</summary>
    public static IReadOnlyList<string> WorkflowSteps { get; } =
    [
        "Validate", "AcquireLock", "ResolveFleet", "StartBake", "CheckBake", "UpdateLaunchTemplate", "ScaleUpGreen",
        "CheckHealth", "SwapTraffic", "CheckAlarms", "RequestApproval", "Finalize", "ScaleDownPrevious", "Rollback", "RecordRollbackFailure",
        "ReleaseLock", "Notify",
    ];

    public const string DriftHandlerKey = "DriftHandler";
    public const string ImmutableInstanceKey = "ImmutableInstance";
    public const string LockCleanupKey = "LockCleanup";

    public static HandlerTable CreateHandlerTable(Func<string, string?> environment, TimeProvider time, IPortsFactory ports)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(ports);
        var settings = new WorkflowSettings(
            DeploymentTopicArn: environment("PHOENIX_DEPLOY_TOPIC_ARN"),
            BakeProject: environment("PHOENIX_BAKE_PROJECT"));
        var catalog = new Lazy<StepCatalog>(() => new StepCatalog(ports.Workflow(), time, settings));
        DriftOptions DriftOptions() => new(environment("PHOENIX_DRIFT_TOPIC_ARN") ?? "");

        var entries = WorkflowSteps
            .Select(step => new KeyValuePair<string, Func<ILambdaHandler>>(step, () => new StepHandler(catalog.Value, step)))
            .Append(new(DriftHandlerKey, () => new DriftQueueHandler(new DriftHandler(ports.Drift(), DriftOptions(), time))))
            .Append(new(LockCleanupKey, () => new LockCleanupHandler(new LockCleanup(ports.Drift(), DriftOptions(), time))))
            .Append(new(ImmutableInstanceKey, () =>
            {
                var drift = ports.Drift();
                return new ImmutableInstanceHandler(new ImmutableInstanceRule(drift.Ec2, drift.AutoScaling, drift.Topology, ports.ConfigEvaluations(), time));
            }));
        return new HandlerTable(entries);
    }
}
