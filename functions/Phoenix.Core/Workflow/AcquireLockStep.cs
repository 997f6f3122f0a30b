using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record AcquireLockInput(DeploymentRequest Request, ExecutionRef Execution);

public sealed record AcquireLockOutput(string Owner, string DeploymentId, DateTimeOffset ExpiresAt);

/// <summary>
/// Takes the application's deployment lock for this execution and opens its ledger entry (IN_PROGRESS). A retry by
/// the same execution finds its own lock and its own entry, so it succeeds without changing either.
/// </summary>
public sealed class AcquireLockStep(WorkflowPorts ports, TimeProvider time, WorkflowSettings settings)
{
    public async Task<AcquireLockOutput> ExecuteAsync(AcquireLockInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var application = input.Request.Application;
        var owner = input.Execution.Id;
        var attempt = await ports.Locks.TryAcquireAsync(
            application, owner, time.GetUtcNow().AddSeconds(settings.LockSeconds), cancellationToken);
        if (!attempt.Acquired)
        {
            var holder = attempt.Holder;
            throw new DeploymentLocked(
                $"Application '{application}' is locked by another deployment: {holder.Owner} (since {holder.AcquiredAt:O}, expires {holder.ExpiresAt:O}).");
        }

        var deploymentId = input.Execution.DeploymentId;
        var existing = await ports.Ledger.GetAsync(application, deploymentId, cancellationToken);
        if (existing is null)
        {
            var source = input.Request.Source;
            await ports.Ledger.PutAsync(
                new DeploymentRecord(
                    application,
                    deploymentId,
                    DeploymentResults.InProgress,
                    input.Request.ImageId,
                    PreviousImageId: null,
                    Colour: null,
                    source.Commit,
                    source.Repository,
                    source.Trigger,
                    StartedBy: owner,
                    input.Execution.StartedAt,
                    FinishedAt: null),
                cancellationToken);
        }

        return new AcquireLockOutput(owner, deploymentId, attempt.Holder.ExpiresAt);
    }
}
