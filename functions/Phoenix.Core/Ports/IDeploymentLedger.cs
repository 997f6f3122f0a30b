namespace Phoenix.Core.Ports;

/// <summary>The deployment ledger (DynamoDB): who deployed what, when, and how it ended.</summary>
public interface IDeploymentLedger
{
    /// <summary>Writes the record, replacing any with the same application and deployment id (idempotent).</summary>
    Task PutAsync(DeploymentRecord record, CancellationToken cancellationToken);

    Task<DeploymentRecord?> GetAsync(string application, string deploymentId, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<DeploymentRecord>> ListAsync(string application, int limit, CancellationToken cancellationToken);
}

/// <summary>
/// Result: one of <see cref="Domain.DeploymentResults"/>; also drift REPLACED actions. <see cref="Restore"/> is what the
/// deployment changed that a cleanup must put back (written before the first change to a group); <see cref="Warning"/> says
/// what is left to do after an outcome that still holds (e.g. DEPLOYED but the previous colour could not be scaled down);
/// <see cref="ApprovalToken"/> is the task token of the approval the execution currently waits for, so an approval message
/// that names the execution stays valid when Step Functions retries RequestApproval with a new token.
/// </summary>
public sealed record DeploymentRecord(
    string Application,
    string DeploymentId,
    string Result,
    string? ImageId,
    string? PreviousImageId,
    string? Colour,
    string? Commit,
    string? Repository,
    string? Trigger,
    string? StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error = null,
    string? Cause = null,
    RestorePoint? Restore = null,
    string? Warning = null,
    string? ApprovalToken = null);

/// <summary>
/// What a cleanup needs to undo a deployment it did not see finish (an aborted or timed-out execution, `phoenix abort`):
/// the colour that carried traffic and its sizes before it was pinned, the idle colour being deployed, and the scaling
/// processes Phoenix suspended per group (only those are resumed: a process someone else suspended stays suspended).
/// <see cref="TrafficMoved"/> is written by SwapTraffic before its first listener change: from then on the idle colour may
/// carry traffic whatever a listener describe answers (a describe can lag a change made seconds before), so Rollback and
/// cleanup treat it as serving.
/// </summary>
public sealed record RestorePoint(
    string? PreviousColour,
    Domain.Capacity? PreviousCapacity,
    string TargetColour,
    IReadOnlyDictionary<string, IReadOnlyList<string>> SuspendedProcesses,
    bool TrafficMoved = false);
