namespace Phoenix.Core.Ports;

/// <summary>Auto Scaling operations Phoenix uses (DescribeAutoScalingGroups, UpdateAutoScalingGroup,
/// SetDesiredCapacity, TerminateInstanceInAutoScalingGroup).</summary>
public interface IAutoScaling
{
    /// <summary>Returns null when no group has that name.</summary>
    Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken);

    /// <summary>Any null field is left unchanged, as in UpdateAutoScalingGroup.</summary>
    Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken);

    Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken);

    Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken);
}

public sealed record AutoScalingGroup(
    string AutoScalingGroupName,
    int MinSize,
    int MaxSize,
    int DesiredCapacity,
    LaunchTemplateSpecification LaunchTemplate,
    IReadOnlyList<AutoScalingInstance> Instances,
    IReadOnlyList<string> TargetGroupArns,
    int HealthCheckGracePeriod = 300);

/// <summary>Version is a number as text, or <c>$Latest</c> / <c>$Default</c>, as in the API.</summary>
public sealed record LaunchTemplateSpecification(string LaunchTemplateId, string Version);

/// <summary>LifecycleState and HealthStatus carry the API's strings (Pending, InService, Terminating, …;
/// Healthy, Unhealthy).</summary>
public sealed record AutoScalingInstance(
    string InstanceId,
    string LifecycleState,
    string HealthStatus,
    LaunchTemplateSpecification? LaunchTemplate);

public sealed record UpdateAutoScalingGroup(
    string AutoScalingGroupName,
    int? MinSize = null,
    int? MaxSize = null,
    int? DesiredCapacity = null,
    LaunchTemplateSpecification? LaunchTemplate = null);
