using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Drift;

/// <summary>
/// Released: the stale lock was this execution's and is gone. Otherwise Reason says why it was left. <see cref="Cleanup"/>
/// is what the cleanup of the stopped deployment did to the fleet and the ledger (null when the event named no application).
/// </summary>
public sealed record LockCleanupResult(string ExecutionArn, string Status, string? Application, bool Released, string Reason, CleanupReport? Cleanup = null);

/// <summary>
/// Cleans up after an execution that FAILED, TIMED_OUT or was ABORTED (Lambda handler key <c>LockCleanup</c>, and the drift
/// handler for the same event): <see cref="DeploymentCleanup"/> puts the fleet back as it was before the deployment (or
/// finishes one that had reached DEPLOYED), closes its ledger entry ABORTED and releases its lock. The lock owner is the
/// execution ARN and the application comes from the execution's input, so only that execution's own lock and fleet work
/// are ever undone. Normally the workflow's own ending already did it; a timeout or abort skips it, which is what this is
/// for. Alerts go through the drift path (deduped per execution, which also keeps the two event consumers from both acting).
/// </summary>
public sealed class LockCleanup(DriftPorts ports, DriftOptions options, TimeProvider time)
{
    /// <summary>Entry point for the Lambda host: one "Step Functions Execution Status Change" event (JSON). Throws
    /// <see cref="MalformedDriftEvent"/> for any other event, and the port's exception when it could not finish,
    /// so the invocation is retried.</summary>
    public async Task<LockCleanupResult?> HandleAsync(string eventJson, CancellationToken cancellationToken)
    {
        var signal = new DriftEventParser(options.ImmutableInstanceRuleName).Parse(eventJson);
        if (signal is null)
        {
            return null;
        }

        if (signal.Kind != DriftKind.DeploymentStopped)
        {
            throw new MalformedDriftEvent($"LockCleanup handles '{DriftEventParser.ExecutionDetailType}' events, not {signal.ResourceType} {signal.ResourceId}.");
        }

        var handler = new DriftHandler(ports, options, time);
        var outcome = await handler.HandleSignalAsync(signal, cancellationToken);
        return outcome.LockCleanup;
    }

    internal static async Task<LockCleanupResult> CleanUpAsync(DriftPorts ports, DriftSignal signal, TimeProvider time, CancellationToken cancellationToken)
    {
        var executionArn = signal.ResourceId;
        if (signal.Application is null)
        {
            return new LockCleanupResult(executionArn, signal.State, null, false,
                "The execution's input names no application (or was too large to be included in the event); check the lock by hand.");
        }

        var cleanup = new DeploymentCleanup(
            ports.Topology, ports.AutoScaling, ports.LoadBalancer ?? new MissingLoadBalancer(), ports.Lock, ports.Ledger, time);
        var report = await cleanup.CleanupAsync(
            new ExecutionEnding(executionArn, signal.Application, signal.State, signal.Error, signal.Cause), cancellationToken);
        return new LockCleanupResult(executionArn, signal.State, signal.Application, report.LockReleased, report.Summary, report);
    }

    /// <summary>Stands in for a composition that wired no load balancer: cleanup that needs the listener says so.</summary>
    private sealed class MissingLoadBalancer : ILoadBalancer
    {
        private const string Message = "DriftPorts.LoadBalancer is not set: the cleanup of a stopped deployment needs the listener.";

        public Task<IReadOnlyList<ListenerAction>> DescribeListenerActionsAsync(string listenerArn, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task ModifyListenerActionsAsync(string listenerArn, IReadOnlyList<ListenerAction> defaultActions, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task ModifyRuleActionsAsync(string ruleArn, IReadOnlyList<ListenerAction> actions, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<ListenerDescription?> DescribeListenerAsync(string listenerArn, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<TargetGroupDescription?> DescribeTargetGroupAsync(string arnOrName, bool byName, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<string> CreateTargetGroupAsync(TargetGroupSettings settings, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Message);
    }
}
