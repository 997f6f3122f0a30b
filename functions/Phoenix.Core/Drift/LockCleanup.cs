using Phoenix.Core.Ports;

namespace Phoenix.Core.Drift;

/// <summary>Released: the stale lock was this execution's and is gone. Otherwise Reason says why it was left.</summary>
public sealed record LockCleanupResult(string ExecutionArn, string Status, string? Application, bool Released, string Reason);

/// <summary>
/// Releases the deployment lock of an execution that FAILED, TIMED_OUT or was ABORTED (Lambda handler key
/// <c>LockCleanup</c>). The lock owner is the execution ARN and the application comes from the execution's input,
/// so only that execution's own lock is ever released. Normally the workflow's ReleaseLock already did it; a timeout
/// or abort skips ReleaseLock, which is what this is for. Alerts go through the drift path (deduped per execution).
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

    internal static async Task<LockCleanupResult> ReleaseAsync(IDeploymentLock deploymentLock, DriftSignal signal, CancellationToken cancellationToken)
    {
        var executionArn = signal.ResourceId;
        if (signal.Application is null)
        {
            return new LockCleanupResult(executionArn, signal.State, null, false,
                "The execution's input names no application (or was too large to be included in the event); check the lock by hand.");
        }

        var holder = await deploymentLock.GetAsync(signal.Application, cancellationToken);
        if (holder is null)
        {
            return new LockCleanupResult(executionArn, signal.State, signal.Application, false, $"{signal.Application} is not locked: the workflow already released it.");
        }

        if (holder.Owner != executionArn)
        {
            return new LockCleanupResult(executionArn, signal.State, signal.Application, false, $"{signal.Application} is locked by {holder.Owner}, not this execution; left alone.");
        }

        var released = await deploymentLock.ReleaseAsync(signal.Application, executionArn, cancellationToken);
        return released
            ? new LockCleanupResult(executionArn, signal.State, signal.Application, true, $"Released the stale lock on {signal.Application} held by this execution.")
            : new LockCleanupResult(executionArn, signal.State, signal.Application, false, $"{signal.Application}'s lock changed hands while releasing; left alone.");
    }
}
