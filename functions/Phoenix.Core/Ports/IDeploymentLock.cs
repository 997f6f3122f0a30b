namespace Phoenix.Core.Ports;

/// <summary>
/// One deployment per application at a time (DynamoDB conditional write). Acquire succeeds when no lock exists,
/// the lock has expired, or the same owner holds it (so a retried AcquireLock is idempotent).
/// </summary>
public interface IDeploymentLock
{
    Task<LockAttempt> TryAcquireAsync(string application, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Releases only when held by <paramref name="owner"/>; returns false when it was not (already released or someone else's).</summary>
    Task<bool> ReleaseAsync(string application, string owner, CancellationToken cancellationToken);

    Task<DeploymentLockRecord?> GetAsync(string application, CancellationToken cancellationToken);
}

public sealed record DeploymentLockRecord(string Application, string Owner, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

/// <summary>Acquired, or the record of whoever holds it.</summary>
public sealed record LockAttempt(bool Acquired, DeploymentLockRecord Holder);
