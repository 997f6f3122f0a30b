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
/// <para>
/// A lock that expired still in another execution's name means that execution is gone (the state machine's timeout
/// is shorter than any lock) without its ending having run: its pins, suspended processes, idle instances or split
/// traffic may still be on the fleet. Before taking such a lock it runs that execution's cleanup
/// (<see cref="DeploymentCleanup"/>, from the dead execution's ledger restore point), so a deployment never starts on
/// top of leftovers whose owner is gone; if that cleanup needs manual action (a failed rollback), it refuses instead.
/// </para>
/// </summary>
public sealed class AcquireLockStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<AcquireLockOutput> ExecuteAsync(AcquireLockInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var application = input.Request.Application;
        var owner = input.Execution.Id;
        var request = input.Request;
        var expiresAt = input.Execution.StartedAt + ExecutionBudget.WorstCase(request.Strategy, bakes: request.ImageId is null);
        await CleanUpAfterDeadHolderAsync(application, owner, cancellationToken);
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

    private async Task CleanUpAfterDeadHolderAsync(string application, string owner, CancellationToken cancellationToken)
    {
        var holder = await ports.Locks.GetAsync(application, cancellationToken);
        if (holder is null || holder.Owner == owner || holder.ExpiresAt > time.GetUtcNow())
        {
            return;
        }

        var report = await new DeploymentCleanup(ports, time).CleanupAsync(
            new ExecutionEnding(holder.Owner, application, "TIMED_OUT", LockExpiredError,
                $"Its lock on {application} expired at {holder.ExpiresAt:O}; {owner} cleaned up after it before deploying."),
            cancellationToken);
        if (report.ManualActionNeeded is { } manual)
        {
            throw new DeploymentLocked(
                $"Application '{application}' was locked by {holder.Owner}, whose lock expired at {holder.ExpiresAt:O}, but its leftovers cannot be "
                + $"cleaned up safely: {manual}");
        }
    }

    /// <summary>The error recorded for an execution whose expired lock a later deployment found and cleaned up after.</summary>
    public const string LockExpiredError = "PhoenixLockExpired";
}
