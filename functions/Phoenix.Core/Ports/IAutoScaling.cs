namespace Phoenix.Core.Ports;

/// <summary>Auto Scaling operations Phoenix uses (DescribeAutoScalingGroups, UpdateAutoScalingGroup,
/// SetDesiredCapacity, TerminateInstanceInAutoScalingGroup, SuspendProcesses, ResumeProcesses,
/// DescribeScalingActivities).</summary>
public interface IAutoScaling
{
    /// <summary>Returns null when no group has that name.</summary>
    Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken);

    /// <summary>Any null field is left unchanged, as in UpdateAutoScalingGroup.</summary>
    Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken);

    Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken);

    Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken);

    /// <summary>Suspends these scaling processes (Launch, Terminate, AZRebalance, ScheduledActions, …); already suspended ones stay so.</summary>
    Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken);

    /// <summary>Resumes these scaling processes; ones that are not suspended are left alone.</summary>
    Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken);

    /// <summary>The group's most recent scaling activities, newest first, at most <paramref name="maxRecords"/>.</summary>
    Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken);

    /// <summary>CreateAutoScalingGroup (only <c>phoenix adopt</c> creates a group: the fleet stack creates its own).</summary>
    Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken);

    /// <summary>DeleteAutoScalingGroup with ForceDelete (adopt's rollback of a twin it created, which has no instances to drain).</summary>
    Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken);

    /// <summary>CreateOrUpdateTags on one group: adds these tags or replaces their values; the group's other tags stay.</summary>
    Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken);
}

/// <summary>An Auto Scaling group's tag; <see cref="PropagateAtLaunch"/> copies it to the instances the group launches.</summary>
public sealed record GroupTag(string Key, string Value, bool PropagateAtLaunch);

/// <summary>
/// What CreateAutoScalingGroup takes, as far as Phoenix copies a group: the subnets (<see cref="VpcZoneIdentifier"/>,
/// comma-separated) or, for a group outside a VPC, its <see cref="AvailabilityZones"/>.
/// </summary>
public sealed record CreateAutoScalingGroup(
    string AutoScalingGroupName,
    LaunchTemplateSpecification LaunchTemplate,
    int MinSize,
    int MaxSize,
    int DesiredCapacity,
    string? VpcZoneIdentifier,
    IReadOnlyList<string>? AvailabilityZones,
    IReadOnlyList<string> TargetGroupArns,
    string? HealthCheckType,
    int HealthCheckGracePeriod,
    IReadOnlyList<GroupTag> Tags);

/// <summary>The process names SuspendProcesses/ResumeProcesses take.</summary>
public static class ScalingProcesses
{
    public const string Launch = "Launch";
    public const string Terminate = "Terminate";
    public const string AzRebalance = "AZRebalance";
    public const string ScheduledActions = "ScheduledActions";
    public const string AlarmNotification = "AlarmNotification";
}

/// <summary>
/// One entry of DescribeScalingActivities. StatusCode carries the API's strings (PendingSpotBidPlacement,
/// WaitingForSpotInstanceRequestId, …, InProgress, Successful, Failed, Cancelled); StatusMessage says why a launch failed
/// (e.g. "We currently do not have sufficient t3.micro capacity…", "The image id '[ami-…]' does not exist").
/// </summary>
public sealed record ScalingActivity(
    string ActivityId,
    string StatusCode,
    string? StatusMessage,
    string? Description,
    string? Cause,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime);

/// <summary>
/// <see cref="SuspendedProcesses"/>: the process names currently suspended (null = none). <see cref="HasMixedInstancesPolicy"/>
/// and <see cref="HasWarmPool"/> are true when the group has a MixedInstancesPolicy or a WarmPoolConfiguration, which
/// Phoenix does not manage. <see cref="VpcZoneIdentifier"/>, <see cref="HealthCheckType"/>, <see cref="Tags"/> and
/// <see cref="LoadBalancerNames"/> (Classic Load Balancers) are what <c>phoenix adopt</c> copies or refuses (null: not reported).
/// <para>
/// A group launches from exactly one of a launch template, a mixed-instances policy or a launch configuration.
/// <see cref="LaunchTemplate"/> is the template (for a mixed-instances group, the policy's); it is null for a group that
/// launches from a launch configuration, named by <see cref="LaunchConfigurationName"/>. Phoenix deploys by launch template
/// versions, so Validate and adopt refuse such a group by name (<see cref="LaunchConfigurationRefusal"/>) instead of
/// failing on it.
/// </para>
/// </summary>
public sealed record AutoScalingGroup(
    string AutoScalingGroupName,
    int MinSize,
    int MaxSize,
    int DesiredCapacity,
    LaunchTemplateSpecification? LaunchTemplate,
    IReadOnlyList<AutoScalingInstance> Instances,
    IReadOnlyList<string> TargetGroupArns,
    int HealthCheckGracePeriod = 300,
    IReadOnlyList<string>? SuspendedProcesses = null,
    IReadOnlyList<string>? AvailabilityZones = null,
    bool HasMixedInstancesPolicy = false,
    bool HasWarmPool = false,
    string? VpcZoneIdentifier = null,
    string? HealthCheckType = null,
    IReadOnlyList<GroupTag>? Tags = null,
    IReadOnlyList<string>? LoadBalancerNames = null,
    string? LaunchConfigurationName = null)
{
    /// <summary>
    /// Why a group without a launch template cannot be deployed or adopted, and what to do, naming the group (and its launch
    /// configuration when AWS reported one). AWS's guide: "Migrate your Auto Scaling groups to launch templates"
    /// (docs.aws.amazon.com/autoscaling/ec2/userguide/migrate-to-launch-templates.html).
    /// </summary>
    public string LaunchConfigurationRefusal =>
        $"Auto Scaling group '{AutoScalingGroupName}' launches from "
        + (LaunchConfigurationName is null ? "no launch template" : $"launch configuration '{LaunchConfigurationName}', not a launch template")
        + ": Phoenix deploys each image as a new launch template version; move the group to a launch template "
        + "(AWS: \"Migrate your Auto Scaling groups to launch templates\") and try again";

    /// <summary>The group's launch template, or <see cref="UnsupportedFleet"/> saying it has none (Validate refuses such a group first).</summary>
    public LaunchTemplateSpecification RequireLaunchTemplate() =>
        LaunchTemplate ?? throw new UnsupportedFleet(LaunchConfigurationRefusal + ".");
}

/// <summary>Version is a number as text, or <c>$Latest</c> / <c>$Default</c>, as in the API.</summary>
public sealed record LaunchTemplateSpecification(string LaunchTemplateId, string Version);

/// <summary>LifecycleState and HealthStatus carry the API's strings (Pending, InService, Terminating, …;
/// Healthy, Unhealthy).</summary>
public sealed record AutoScalingInstance(
    string InstanceId,
    string LifecycleState,
    string HealthStatus,
    LaunchTemplateSpecification? LaunchTemplate,
    string? AvailabilityZone = null);

public sealed record UpdateAutoScalingGroup(
    string AutoScalingGroupName,
    int? MinSize = null,
    int? MaxSize = null,
    int? DesiredCapacity = null,
    LaunchTemplateSpecification? LaunchTemplate = null);
