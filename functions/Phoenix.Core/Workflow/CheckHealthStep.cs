namespace Phoenix.Core.Workflow;

public sealed record CheckHealthInput(DeploymentPlan Plan, long LaunchTemplateVersion, DateTimeOffset Deadline);

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
/// One poll of the new colour's health. Healthy means every desired instance is InService+Healthy in Auto Scaling on
/// the new version AND healthy in DescribeTargetHealth, and no registered target is in any other state (initial,
/// unhealthy, draining, unused): an ALB whose targets are all unhealthy fails open and routes to them anyway, so its
/// view alone proves nothing. Not yet healthy returns the counts for the wait loop; past the deadline it fails. Reads only.
/// </summary>
public sealed class CheckHealthStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<CheckHealthOutput> ExecuteAsync(CheckHealthInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var target = input.Plan.Target;
        var group = await ports.AutoScaling.DescribeAutoScalingGroupAsync(target.AutoScalingGroupName, cancellationToken)
            ?? throw new FleetInconsistent($"Auto Scaling group '{target.AutoScalingGroupName}' from the topology does not exist.");
        var targets = await ports.LoadBalancer.DescribeTargetHealthAsync(target.TargetGroupArn, cancellationToken);

        var version = input.LaunchTemplateVersion.ToString();
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

        var result = new CheckHealthOutput(healthy, group.DesiredCapacity, ready, healthyInstances.Count, healthyTargets.Count, targets.Count);
        if (!healthy && time.GetUtcNow() >= input.Deadline)
        {
            var notHealthy = targets.Where(t => t.State != "healthy").Select(t => $"{t.TargetId} {t.State}{(t.Reason is null ? "" : $" ({t.Reason})")}");
            throw new HealthCheckFailed(
                $"Group '{target.AutoScalingGroupName}' was not healthy by {input.Deadline:O}: {ready} of {group.DesiredCapacity} instances ready "
                + $"({healthyInstances.Count} InService+Healthy on version {version}, {healthyTargets.Count} of {targets.Count} targets healthy"
                + (result.RegisteredTargets > result.HealthyTargets ? $"; not healthy: {string.Join(", ", notHealthy)}" : "") + ").");
        }

        return result;
    }
}
