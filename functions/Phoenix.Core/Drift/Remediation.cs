using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Drift;

public enum RemediationDecision
{
    /// <summary>The application's drift policy is off (the default).</summary>
    Disabled,

    /// <summary>Not replaceable through a group: unmanaged, outside a managed group, or no longer drifted.</summary>
    NotApplicable,

    /// <summary>The application's lock is held (a deployment, or another replacement).</summary>
    LockHeld,

    /// <summary>MaxPerHour replacements already happened in the last hour.</summary>
    RateLimited,

    /// <summary>Terminating would leave fewer InService+Healthy instances than the minimum healthy.</summary>
    BelowMinHealthy,

    /// <summary>The instance is not InService in its group (already leaving, or still starting).</summary>
    NotInService,

    /// <summary>All guardrails passed; dry-run announces instead of acting.</summary>
    DryRun,

    /// <summary>Terminated in its group without decrementing desired capacity; the group relaunches from its image.</summary>
    Replaced,
}

public sealed record RemediationResult(
    RemediationDecision Decision,
    string Reason,
    string InstanceId,
    string? Application = null,
    string? GroupName = null,
    Colour? Colour = null,
    string? RunningImage = null,
    string? ExpectedImage = null,
    string? LedgerId = null);

/// <summary>
/// Replaces a drifted instance by terminating it in its group without decrementing desired capacity, so the group
/// launches a fresh one from its image. Guardrails, in order: the application's policy is on; the instance is still
/// drifted and in a managed group; the application's deployment lock can be taken (so never during a deployment, and
/// never two replacements of one application at once); fewer than MaxPerHour replacements in the last hour (counted
/// from the ledger); the group keeps at least its minimum healthy instances. Every replacement is written to the
/// ledger (Result REPLACED) before the terminate call.
/// </summary>
public sealed class Remediation(DriftPorts ports, DriftOptions options, TimeProvider time)
{
    public const string ReplacedResult = "REPLACED";
    public const string LockOwnerPrefix = "drift:";
    private readonly InstanceImageCheck _check = new(ports.Ec2, ports.AutoScaling, ports.Topology);

    /// <summary>InService and Healthy: the only instances that count towards the minimum healthy.</summary>
    public static bool IsHealthy(AutoScalingInstance instance) => instance.LifecycleState == "InService" && instance.HealthStatus == "Healthy";

    /// <summary>ceil(desired × percentage / 100).</summary>
    public static int MinimumHealthy(int desiredCapacity, int minHealthyPercentage) => ((desiredCapacity * minHealthyPercentage) + 99) / 100;

    public async Task<RemediationResult> RemediateAsync(string instanceId, CancellationToken cancellationToken)
    {
        InstanceDescription? instance;
        try
        {
            var described = await ports.Ec2.DescribeInstancesAsync([instanceId], cancellationToken);
            instance = described.FirstOrDefault(i => i.InstanceId == instanceId);
        }
        catch (Exception ex) when (ex is not (TransientFailure or OperationCanceledException))
        {
            // EC2 answers InvalidInstanceID.NotFound for an instance long gone: the alert must still go out.
            return new RemediationResult(RemediationDecision.NotApplicable, $"Could not read the instance: {ex.Message}", instanceId);
        }

        if (instance is null)
        {
            return new RemediationResult(RemediationDecision.NotApplicable, "The instance no longer exists.", instanceId);
        }

        var check = await _check.CheckAsync(new InstanceFacts(instance.InstanceId, instance.ImageId, instance.Tags, instance.State), cancellationToken);
        if (check.Application is null)
        {
            return new RemediationResult(RemediationDecision.NotApplicable, check.Annotation, instanceId);
        }

        var policy = await ports.Policies.GetAsync(check.Application, cancellationToken) ?? DriftPolicy.Off;
        if (!policy.Enabled)
        {
            return Result(RemediationDecision.Disabled, $"Automatic replacement is off for {check.Application}.", check);
        }

        if (check.ComplianceType != Compliance.NonCompliant)
        {
            return Result(RemediationDecision.NotApplicable, $"Nothing to replace now: {check.Annotation}", check);
        }

        if (check.Group is null || check.Topology is null)
        {
            return Result(RemediationDecision.NotApplicable, $"Cannot be replaced through a group: {check.Annotation} Terminate it by hand.", check);
        }

        var now = time.GetUtcNow();
        var owner = LockOwnerPrefix + instanceId;
        if (policy.DryRun)
        {
            // A dry run only reads: it must never block a deployment by taking the lock.
            var holder = await ports.Lock.GetAsync(check.Application, cancellationToken);
            if (holder is not null && holder.ExpiresAt > now)
            {
                return LockHeld(check, holder);
            }

            return await DecideAsync(check, policy, now, cancellationToken);
        }

        var attempt = await ports.Lock.TryAcquireAsync(check.Application, owner, now + options.RemediationLockDuration, cancellationToken);
        if (!attempt.Acquired)
        {
            return LockHeld(check, attempt.Holder);
        }

        try
        {
            return await DecideAsync(check, policy, now, cancellationToken);
        }
        finally
        {
            await ports.Lock.ReleaseAsync(check.Application, owner, CancellationToken.None);
        }
    }

    private async Task<RemediationResult> DecideAsync(ImageCheck check, DriftPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var application = check.Application!;
        var topology = check.Topology!;

        // Re-read the group under the lock: the check's snapshot may predate a scale-in or another replacement.
        var group = await ports.AutoScaling.DescribeAutoScalingGroupAsync(check.Group!.AutoScalingGroupName, cancellationToken);
        var member = group?.Instances.FirstOrDefault(i => i.InstanceId == check.InstanceId);
        if (group is null || member is null || member.LifecycleState != "InService")
        {
            var state = member?.LifecycleState ?? "not a member";
            return Result(RemediationDecision.NotInService, $"The instance is {state} in {check.Group.AutoScalingGroupName}; only InService instances are replaced.", check);
        }

        var recent = await CountRecentReplacementsAsync(application, policy.MaxPerHour, now, cancellationToken);
        if (recent >= policy.MaxPerHour)
        {
            return Result(RemediationDecision.RateLimited, $"{recent} replacement(s) in {application} in the last hour; the policy allows {policy.MaxPerHour} per hour.", check);
        }

        var healthy = group.Instances.Count(IsHealthy);
        var minimum = MinimumHealthy(group.DesiredCapacity, topology.MinHealthyPercentage);
        var after = healthy - (IsHealthy(member) ? 1 : 0);
        if (after < minimum)
        {
            return Result(
                RemediationDecision.BelowMinHealthy,
                $"Replacing it would leave {after} healthy instance(s) in {group.AutoScalingGroupName}; the minimum is {minimum} ({topology.MinHealthyPercentage}% of desired {group.DesiredCapacity}).",
                check);
        }

        var summary = $"{healthy} healthy of desired {group.DesiredCapacity}, minimum {minimum}; {recent + 1} of {policy.MaxPerHour} replacement(s) this hour";
        if (policy.DryRun)
        {
            return Result(RemediationDecision.DryRun, $"Dry run: would terminate it in {group.AutoScalingGroupName} without decrementing desired capacity ({summary}).", check);
        }

        var ledgerId = $"drift-{check.InstanceId}-{now:yyyyMMddTHHmmssZ}";
        await ports.Ledger.PutAsync(
            new DeploymentRecord(
                application,
                ledgerId,
                ReplacedResult,
                ImageId: check.ExpectedImage,
                PreviousImageId: check.RunningImage,
                Colour: check.Colour?.ToWire(),
                Commit: null,
                Repository: null,
                Trigger: "drift",
                StartedBy: "phoenix-drift",
                StartedAt: now,
                FinishedAt: now,
                Cause: $"{check.InstanceId}: {check.Annotation}"),
            cancellationToken);
        await ports.AutoScaling.TerminateInstanceInAutoScalingGroupAsync(check.InstanceId, shouldDecrementDesiredCapacity: false, cancellationToken);
        return Result(RemediationDecision.Replaced, $"Terminated in {group.AutoScalingGroupName} without decrementing desired capacity; the group launches a replacement from {check.ExpectedImage} ({summary}).", check) with { LedgerId = ledgerId };
    }

    /// <summary>Counts REPLACED ledger records of the last hour. The ledger lists newest first; if the page is full
    /// and still inside the hour the count may be short, so it is treated as the limit (never act on doubt).</summary>
    private async Task<int> CountRecentReplacementsAsync(string application, int maxPerHour, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limit = maxPerHour + 50;
        var records = await ports.Ledger.ListAsync(application, limit, cancellationToken);
        var since = now - TimeSpan.FromHours(1);
        var count = records.Count(r => r.Result == ReplacedResult && r.StartedAt > since);
        var truncated = records.Count >= limit && records.Min(r => r.StartedAt) > since;
        return truncated ? Math.Max(count, maxPerHour) : count;
    }

    private static RemediationResult LockHeld(ImageCheck check, DeploymentLockRecord holder)
    {
        var who = holder.Owner.StartsWith(LockOwnerPrefix, StringComparison.Ordinal) ? $"another replacement ({holder.Owner})" : $"deployment {holder.Owner}";
        return Result(RemediationDecision.LockHeld, $"{check.Application} is locked by {who} until {holder.ExpiresAt:u}; no replacement while it runs.", check);
    }

    private static RemediationResult Result(RemediationDecision decision, string reason, ImageCheck check) =>
        new(decision, reason, check.InstanceId, check.Application, check.Group?.AutoScalingGroupName, check.Colour, check.RunningImage, check.ExpectedImage);
}
