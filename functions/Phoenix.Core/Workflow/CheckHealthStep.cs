using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary><see cref="Since"/> is the execution's start: launch failures before it belong to someone else.</summary>
public sealed record CheckHealthInput(DeploymentPlan Plan, long LaunchTemplateVersion, DateTimeOffset Deadline, DateTimeOffset? Since = null);

/// <summary>
/// <see cref="Ready"/>: instances that are InService and Healthy in the group, on the new launch-template version, and
/// healthy in the target group. <see cref="RegisteredTargets"/> counts every target, whatever its state.
/// </summary>
public sealed record CheckHealthOutput(
    bool Healthy,
    int Desired,
    int Ready,
    int HealthyInstances,
    int HealthyTargets,
    int RegisteredTargets);

/// <summary>
/// One poll of the new colour's health (<see cref="GreenHealth"/>). Not yet healthy returns the counts for the wait loop,
/// unless green's latest failed launch since <see cref="CheckHealthInput.Since"/> is one Auto Scaling's retries cannot fix
/// (<see cref="LaunchFailures"/>: an unusable KMS key, an image that does not exist or is not shared, an invalid launch
/// template, a quota, no capacity in any of the group's zones): then it fails at once with LaunchFailed and AWS's own
/// message, instead of a generic timeout when the deadline passes. Past the deadline it fails. Reads only.
/// </summary>
public sealed class CheckHealthStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<CheckHealthOutput> ExecuteAsync(CheckHealthInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reading = await GreenHealth.ReadAsync(ports, input.Plan, input.LaunchTemplateVersion, cancellationToken);
        if (reading.Counts.Healthy)
        {
            return reading.Counts;
        }

        if (input.Since is { } since && reading.Counts.Ready < reading.Counts.Desired)
        {
            var failures = await LaunchFailures.FindAsync(ports.AutoScaling, reading.Group.AutoScalingGroupName, since, cancellationToken);
            if (failures.Count > 0 && failures[0].Permanent)
            {
                var latest = failures[0];
                throw new LaunchFailed(
                    $"Group '{reading.Group.AutoScalingGroupName}' cannot launch instances ({latest.Kind}, {failures.Count} failed launch(es) since {since:O}); "
                    + $"Auto Scaling's retries will not fix it. AWS says: {latest.StatusMessage}");
            }
        }

        if (time.GetUtcNow() >= input.Deadline)
        {
            throw new HealthCheckFailed($"Group '{reading.Group.AutoScalingGroupName}' was not healthy by {input.Deadline:O}: {reading.Describe()}.");
        }

        return reading.Counts;
    }
}

/// <summary>What <see cref="GreenHealth.ReadAsync"/> saw: the counts, the group as described, and every target's state.</summary>
internal sealed record GreenHealthReading(CheckHealthOutput Counts, AutoScalingGroup Group, IReadOnlyList<TargetHealthDescription> Targets, string Version)
{
    /// <summary>
    /// How many not-healthy targets <see cref="Describe"/> names; the rest are counted. SwapTraffic returns the text in
    /// its result, which Step Functions caps at 256 KB: naming all 10,000 targets of a large fleet exceeded it
    /// (States.DataLimitExceeded), failing a deployment that should have gone back to the health gate.
    /// </summary>
    public const int TargetsNamed = 10;

    public string Describe()
    {
        var notHealthy = Targets.Where(t => t.State != "healthy").ToList();
        var named = string.Join(", ", notHealthy.Take(TargetsNamed).Select(t => $"{t.TargetId} {t.State}{(t.Reason is null ? "" : $" ({t.Reason})")}"))
            + (notHealthy.Count > TargetsNamed ? $" and {notHealthy.Count - TargetsNamed} more" : "");
        return $"{Counts.Ready} of {Counts.Desired} instances ready ({Counts.HealthyInstances} InService+Healthy on version {Version}, "
            + $"{Counts.HealthyTargets} of {Counts.RegisteredTargets} targets healthy"
            + (Counts.RegisteredTargets > Counts.HealthyTargets ? $"; not healthy: {named}" : "") + ")";
    }
}

/// <summary>
/// The one definition of "green is healthy", used by the health gate (CheckHealth) and again right before every traffic
/// step (SwapTraffic): every desired instance is InService+Healthy in Auto Scaling on the new version AND healthy in
/// DescribeTargetHealth, and no registered target is in any other state (initial, unhealthy, draining, unused): an ALB
/// whose targets are all unhealthy fails open and routes to them anyway, so its view alone proves nothing.
/// </summary>
internal static class GreenHealth
{
    public static async Task<GreenHealthReading> ReadAsync(WorkflowPorts ports, DeploymentPlan plan, long launchTemplateVersion, CancellationToken cancellationToken)
    {
        var target = plan.Target;
        var group = await ports.AutoScaling.DescribeAutoScalingGroupAsync(target.AutoScalingGroupName, cancellationToken)
            ?? throw new FleetInconsistent($"Auto Scaling group '{target.AutoScalingGroupName}' from the topology does not exist.");
        var targets = await ports.LoadBalancer.DescribeTargetHealthAsync(target.TargetGroupArn, cancellationToken);

        var version = launchTemplateVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var healthyInstances = group.Instances
            .Where(i => i.LifecycleState == "InService" && i.HealthStatus == "Healthy"
                && (i.LaunchTemplate is null || i.LaunchTemplate.Version == version))
            .Select(i => i.InstanceId)
            .ToHashSet(StringComparer.Ordinal);
        var healthyTargets = targets.Where(t => t.State == "healthy").Select(t => t.TargetId).ToHashSet(StringComparer.Ordinal);
        var ready = healthyInstances.Count(healthyTargets.Contains);
        var healthy = group.DesiredCapacity > 0
            && ready >= group.DesiredCapacity
            && healthyTargets.Count == targets.Count;

        var counts = new CheckHealthOutput(healthy, group.DesiredCapacity, ready, healthyInstances.Count, healthyTargets.Count, targets.Count);
        return new GreenHealthReading(counts, group, targets, version);
    }
}
