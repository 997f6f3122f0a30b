using Phoenix.Core.Domain;

namespace Phoenix.Core.Workflow;

/// <summary>
/// <see cref="Error"/> is set on the failure path: an entry still IN_PROGRESS is closed as FAILED with it.
/// <see cref="Warning"/> is set after a good deployment whose clean-up failed (ScaleDownPrevious): the entry stays
/// DEPLOYED and records it as a warning.
/// </summary>
public sealed record ReleaseLockInput(string Application, ExecutionRef Execution, StepError? Error = null, StepError? Warning = null);

/// <summary><see cref="Released"/> is false when this execution did not hold the lock (already released, or never taken).</summary>
public sealed record ReleaseLockOutput(bool Released, string? LedgerResult);

/// <summary>
/// Closes the execution's ledger entry if nothing else did (a failure before any change leaves it IN_PROGRESS) and then
/// releases the lock, or releases the lock and then records a warning on a DEPLOYED entry — only this execution's own
/// lock, so a retry or a late call never frees another deployment's.
/// </summary>
public sealed class ReleaseLockStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<ReleaseLockOutput> ExecuteAsync(ReleaseLockInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var record = await ports.Ledger.GetAsync(input.Application, input.Execution.DeploymentId, cancellationToken);
        if (input.Warning is { } warning && record is { Result: DeploymentResults.Deployed } deployed)
        {
            // The entry already says DEPLOYED: the lock goes first, so a ledger that refuses writes for a while costs the
            // warning's annotation (chat still carries it), not hours of a lock that blocks the next deployment.
            var releasedFirst = await ports.Locks.ReleaseAsync(input.Application, input.Execution.Id, cancellationToken);
            var text = ScaleDownWarning(warning);
            if (deployed.Warning != text)
            {
                await ports.Ledger.PutAsync(deployed with { Warning = text }, cancellationToken);
            }

            return new ReleaseLockOutput(releasedFirst, deployed.Result);
        }

        if (record is { Result: DeploymentResults.InProgress })
        {
            record = record with
            {
                Result = DeploymentResults.Failed,
                FinishedAt = time.GetUtcNow(),
                Error = input.Error?.Error ?? "Unknown",
                Cause = input.Error?.Cause ?? "The lock was released while the deployment was still in progress.",
            };
            await ports.Ledger.PutAsync(record, cancellationToken);
        }

        var released = await ports.Locks.ReleaseAsync(input.Application, input.Execution.Id, cancellationToken);
        return new ReleaseLockOutput(released, record?.Result);
    }

    /// <summary>The ledger's words for a previous colour that could not be scaled down; Notify says the same in chat.</summary>
    public static string ScaleDownWarning(StepError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"The new image is live, but scaling the previous colour to 0 failed after its retries ({error.Error}: {error.Cause ?? "no cause given"}). "
            + $"It still runs and is still pinned: set its group to min = max = desired = 0 and resume its suspended processes ({string.Join(", ", FleetRestore.SuspendedDuringDeployment)}).";
    }
}
