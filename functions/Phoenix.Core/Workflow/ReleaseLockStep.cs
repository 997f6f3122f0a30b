using Phoenix.Core.Domain;

namespace Phoenix.Core.Workflow;

/// <summary><see cref="Error"/> is set on the failure path: an entry still IN_PROGRESS is closed as FAILED with it.</summary>
public sealed record ReleaseLockInput(string Application, ExecutionRef Execution, StepError? Error = null);

/// <summary><see cref="Released"/> is false when this execution did not hold the lock (already released, or never taken).</summary>
public sealed record ReleaseLockOutput(bool Released, string? LedgerResult);

/// <summary>
/// Closes the execution's ledger entry if nothing else did (a failure before any change leaves it IN_PROGRESS) and
/// releases the lock — only this execution's own lock, so a retry or a late call never frees another deployment's.
/// </summary>
public sealed class ReleaseLockStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<ReleaseLockOutput> ExecuteAsync(ReleaseLockInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var record = await ports.Ledger.GetAsync(input.Application, input.Execution.DeploymentId, cancellationToken);
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
}
