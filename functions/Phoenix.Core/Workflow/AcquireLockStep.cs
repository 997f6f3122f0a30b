using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record AcquireLockInput(DeploymentRequest Request, ExecutionRef Execution);

public sealed record AcquireLockOutput(string Owner, string DeploymentId, DateTimeOffset ExpiresAt);

/// <summary>
/// Takes the application's deployment lock for this execution and opens its ledger entry (IN_PROGRESS). The lock
/// expires when the longest execution the request's strategy allows would end (<see cref="ExecutionBudget.WorstCase"/>,
/// counted from the execution's start), so a live deployment never loses it and a lock left behind by a dead one does
/// not block the application for longer than needed. A retry by the same execution finds its own lock and its own
/// entry and sets the same expiry, so it changes neither.
/// </summary>
public sealed class AcquireLockStep(WorkflowPorts ports)
{
    public async Task<AcquireLockOutput> ExecuteAsync(AcquireLockInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var application = input.Request.Application;
        var owner = input.Execution.Id;
        var request = input.Request;
        var expiresAt = input.Execution.StartedAt + ExecutionBudget.WorstCase(request.Strategy, bakes: request.ImageId is null);
        var attempt = await ports.Locks.TryAcquireAsync(application, owner, expiresAt, cancellationToken);
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
