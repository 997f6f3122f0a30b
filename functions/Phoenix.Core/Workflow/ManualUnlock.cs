using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary><see cref="By"/> is who asks (the caller's AWS identity); <see cref="Reason"/> goes into the ledger.</summary>
public sealed record UnlockRequest(string Application, string By, string? Reason = null, bool DryRun = false);

/// <summary>
/// What <see cref="ManualUnlock"/> found and did. <see cref="Holder"/> is the lock as it was read (null: there was none);
/// <see cref="LedgerEntryId"/> the UNLOCKED entry written (null: nothing was released). <see cref="Lines"/> say it in words.
/// </summary>
public sealed record UnlockReport(string Application, DeploymentLockRecord? Holder, bool Released, string? LedgerEntryId, IReadOnlyList<string> Lines);

/// <summary>
/// <c>phoenix unlock --app NAME</c>: releases an application's deployment lock whose holder no longer runs. Locks are normally
/// released by the workflow's own ending or by the cleanup after a stopped execution; one outlives its deployment when
/// the rollback failed (RecordRollbackFailure keeps it on purpose, for 30 days, until someone has repaired the fleet), when
/// a cleanup needed manual action, or when ReleaseLock's writes all failed. This is the by-hand release those cases ask for.
/// <para>
/// It refuses, changing nothing, while the holder may still act on the fleet: an execution that Step Functions reports
/// RUNNING (or PENDING_REDRIVE, which is about to run again under the same ARN), or a holder that is not an execution
/// (<c>phoenix rollback</c>, a drift replacement: nothing can be asked about them) and has not expired. It also refuses
/// when the holder's ledger entry is still IN_PROGRESS: that deployment's cleanup never ran, and releasing its lock would
/// also stop the next deployment from cleaning up after it first (AcquireLock does that for an expired holder), so the
/// fleet would keep its leftovers; <c>phoenix abort</c> is the tool then.
/// </para>
/// The release is DynamoDB's conditional delete on the holder read here, so a lock taken meanwhile by a new deployment is
/// never deleted; then an UNLOCKED ledger entry says who released whose lock and why.
/// </summary>
public sealed class ManualUnlock(IDeploymentLock locks, IDeploymentLedger ledger, IExecutionStatuses executions, TimeProvider time)
{
    public const string Trigger = "manual-unlock";

    /// <summary>The entry's Error, so <c>phoenix history</c> prints its cause (whose lock, why) under the table.</summary>
    public const string EntryError = "ManualUnlock";

    public async Task<UnlockReport> RunAsync(UnlockRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var application = request.Application;
        var holder = await locks.GetAsync(application, cancellationToken);
        if (holder is null)
        {
            return new UnlockReport(application, null, false, null, [$"{application} is not locked: nothing to release."]);
        }

        var now = time.GetUtcNow();
        var lines = new List<string>
        {
            $"Lock on {application}: held by {holder.Owner} since {holder.AcquiredAt:u}, {(holder.ExpiresAt > now ? "expires" : "expired")} {holder.ExpiresAt:u}.",
        };
        var finding = await CheckHolderAsync(application, holder, now, cancellationToken);
        lines.Add(finding);
        if (request.DryRun)
        {
            lines.Add($"Dry run: the lock would be released and an {DeploymentResults.Unlocked} entry written; nothing was changed.");
            return new UnlockReport(application, holder, false, null, lines);
        }

        if (!await locks.ReleaseAsync(application, holder.Owner, cancellationToken))
        {
            var current = await locks.GetAsync(application, cancellationToken);
            if (current is not null)
            {
                throw new UnlockRefused(
                    $"The lock on {application} changed hands while it was checked: it is now held by {current.Owner}. Nothing was released.");
            }

            lines.Add($"Someone else released the lock on {application} meanwhile: nothing left to release, no entry written.");
            return new UnlockReport(application, holder, false, null, lines);
        }

        lines.Add($"Released the lock on {application}.");
        var finished = time.GetUtcNow();
        var entryId = $"unlock-{finished:yyyyMMddTHHmmssfffZ}";
        await ledger.PutAsync(
            new DeploymentRecord(
                application,
                entryId,
                DeploymentResults.Unlocked,
                ImageId: null,
                PreviousImageId: null,
                Colour: null,
                Commit: null,
                Repository: null,
                Trigger,
                request.By,
                now,
                finished,
                EntryError,
                Cause: $"{request.By} released the lock held by {holder.Owner}. {finding} Reason: {request.Reason?.TrimEnd('.') ?? "none given"}."),
            cancellationToken);
        lines.Add($"Ledger entry {entryId}: {DeploymentResults.Unlocked} by {request.By}.");
        return new UnlockReport(application, holder, true, entryId, lines);
    }

    /// <summary>One line on the holder when it may be released; <see cref="UnlockRefused"/> when it may not.</summary>
    private async Task<string> CheckHolderAsync(string application, DeploymentLockRecord holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var owner = holder.Owner;
        if (!IsExecutionArn(owner))
        {
            return holder.ExpiresAt <= now
                ? $"{owner} is not a Step Functions execution, and its lock has expired."
                : throw new UnlockRefused(
                    $"The lock on {application} is held by {owner} until {holder.ExpiresAt:u}. It is not a Step Functions execution, so whether it "
                    + "still runs cannot be asked (phoenix rollback and drift replacements hold the lock for minutes and release it themselves): "
                    + "wait until it expires. Nothing was changed.");
        }

        var status = await executions.DescribeStatusAsync(owner, cancellationToken);
        if (status is "RUNNING" or "PENDING_REDRIVE")
        {
            throw new UnlockRefused(
                $"The lock on {application} is held by {owner}, which is {status}: a running deployment keeps its lock. "
                + $"To stop it and clean up after it, run `phoenix abort {owner}`. Nothing was changed.");
        }

        var deploymentId = owner[(owner.LastIndexOf(':') + 1)..];
        var entry = await ledger.GetAsync(application, deploymentId, cancellationToken);
        var statusText = status ?? "no longer known to Step Functions";
        if (entry is { Result: DeploymentResults.InProgress })
        {
            throw new UnlockRefused(
                $"{owner} is {statusText}, but its ledger entry {deploymentId} still says {DeploymentResults.InProgress}: its cleanup has not run, so the fleet "
                + $"may still carry its changes. Run `phoenix abort {owner}` (it puts the fleet back and releases the lock), or leave the lock: "
                + $"once it expires ({holder.ExpiresAt:u}) the next deployment cleans up after it first. Nothing was changed.");
        }

        return $"Execution {deploymentId} is {statusText}; its ledger entry {(entry is null ? "does not exist" : $"says {entry.Result}")}.";
    }

    /// <summary>Deployments lock in their execution's name; everything else (a manual rollback, a drift replacement) does not.</summary>
    private static bool IsExecutionArn(string owner) =>
        owner.StartsWith("arn:", StringComparison.Ordinal) && owner.Contains(":states:", StringComparison.Ordinal) && owner.Contains(":execution:", StringComparison.Ordinal);
}
