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

/// <summary>Result: IN_PROGRESS, SUCCEEDED, ROLLED_BACK, FAILED, DRY_RUN; also drift REPLACED actions.</summary>
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
    string? Cause = null);
