using Amazon.Runtime;

namespace Phoenix.Aws.AutoScaling.Model;

public sealed class DescribeAutoScalingGroupsRequest : AmazonWebServiceRequest
{
    public List<string>? AutoScalingGroupNames { get; set; }

    public int? MaxRecords { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeAutoScalingGroupsResponse : AmazonWebServiceResponse
{
    public List<AutoScalingGroup>? AutoScalingGroups { get; set; }

    public string? NextToken { get; set; }
}

public sealed class AutoScalingGroup
{
    public string? AutoScalingGroupName { get; set; }

    public int? MinSize { get; set; }

    public int? MaxSize { get; set; }

    public int? DesiredCapacity { get; set; }

    public int? HealthCheckGracePeriod { get; set; }

    public LaunchTemplateSpecification? LaunchTemplate { get; set; }

    /// <summary>Set instead of a launch template (or a mixed-instances policy) on a group that launches from a launch configuration.</summary>
    public string? LaunchConfigurationName { get; set; }

    public List<Instance>? Instances { get; set; }

    public List<string>? TargetGroupARNs { get; set; }

    public string? Status { get; set; }

    public List<string>? AvailabilityZones { get; set; }

    public List<SuspendedProcess>? SuspendedProcesses { get; set; }

    public MixedInstancesPolicy? MixedInstancesPolicy { get; set; }

    public WarmPoolConfiguration? WarmPoolConfiguration { get; set; }

    public string? VPCZoneIdentifier { get; set; }

    public string? HealthCheckType { get; set; }

    public List<TagDescription>? Tags { get; set; }

    /// <summary>Classic Load Balancers the group is attached to.</summary>
    public List<string>? LoadBalancerNames { get; set; }
}

public sealed class TagDescription
{
    public string? ResourceId { get; set; }

    public string? ResourceType { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }

    public bool? PropagateAtLaunch { get; set; }
}

/// <summary>A tag as CreateAutoScalingGroup and CreateOrUpdateTags take it (ResourceId/ResourceType only in the latter).</summary>
public sealed class Tag
{
    public string? ResourceId { get; set; }

    public string? ResourceType { get; set; }

    public string? Key { get; set; }

    public string? Value { get; set; }

    public bool? PropagateAtLaunch { get; set; }
}

public sealed class CreateAutoScalingGroupRequest : AmazonWebServiceRequest
{
    public string? AutoScalingGroupName { get; set; }

    public LaunchTemplateSpecification? LaunchTemplate { get; set; }

    public int? MinSize { get; set; }

    public int? MaxSize { get; set; }

    public int? DesiredCapacity { get; set; }

    public List<string>? AvailabilityZones { get; set; }

    public List<string>? TargetGroupARNs { get; set; }

    public string? HealthCheckType { get; set; }

    public int? HealthCheckGracePeriod { get; set; }

    public string? VPCZoneIdentifier { get; set; }

    public List<Tag>? Tags { get; set; }
}

public sealed class CreateAutoScalingGroupResponse : AmazonWebServiceResponse;

public sealed class DeleteAutoScalingGroupRequest : AmazonWebServiceRequest
{
    public string? AutoScalingGroupName { get; set; }

    public bool? ForceDelete { get; set; }
}

public sealed class DeleteAutoScalingGroupResponse : AmazonWebServiceResponse;

public sealed class CreateOrUpdateTagsRequest : AmazonWebServiceRequest
{
    public List<Tag>? Tags { get; set; }
}

public sealed class CreateOrUpdateTagsResponse : AmazonWebServiceResponse;

public sealed class SuspendedProcess
{
    public string? ProcessName { get; set; }

    public string? SuspensionReason { get; set; }
}

/// <summary>Only the members Phoenix reads: a group launched from a MixedInstancesPolicy has its template here, not at the top level.</summary>
public sealed class MixedInstancesPolicy
{
    public LaunchTemplate? LaunchTemplate { get; set; }
}

public sealed class LaunchTemplate
{
    public LaunchTemplateSpecification? LaunchTemplateSpecification { get; set; }
}

/// <summary>Phoenix reads only whether a warm pool exists; these members are the ones AWS always sends for one.</summary>
public sealed class WarmPoolConfiguration
{
    public int? MaxGroupPreparedCapacity { get; set; }

    public int? MinSize { get; set; }

    public string? PoolState { get; set; }

    public string? Status { get; set; }
}

public sealed class LaunchTemplateSpecification
{
    public string? LaunchTemplateId { get; set; }

    public string? LaunchTemplateName { get; set; }

    public string? Version { get; set; }
}

public sealed class Instance
{
    public string? InstanceId { get; set; }

    public string? AvailabilityZone { get; set; }

    public string? LifecycleState { get; set; }

    public string? HealthStatus { get; set; }

    public LaunchTemplateSpecification? LaunchTemplate { get; set; }
}

public sealed class UpdateAutoScalingGroupRequest : AmazonWebServiceRequest
{
    public string? AutoScalingGroupName { get; set; }

    public LaunchTemplateSpecification? LaunchTemplate { get; set; }

    public int? MinSize { get; set; }

    public int? MaxSize { get; set; }

    public int? DesiredCapacity { get; set; }
}

public sealed class UpdateAutoScalingGroupResponse : AmazonWebServiceResponse;

public sealed class SetDesiredCapacityRequest : AmazonWebServiceRequest
{
    public string? AutoScalingGroupName { get; set; }

    public int? DesiredCapacity { get; set; }

    public bool? HonorCooldown { get; set; }
}

public sealed class SetDesiredCapacityResponse : AmazonWebServiceResponse;

public sealed class TerminateInstanceInAutoScalingGroupRequest : AmazonWebServiceRequest
{
    public string? InstanceId { get; set; }

    public bool? ShouldDecrementDesiredCapacity { get; set; }
}

public sealed class TerminateInstanceInAutoScalingGroupResponse : AmazonWebServiceResponse
{
    public Activity? Activity { get; set; }
}

public sealed class SuspendProcessesRequest : AmazonWebServiceRequest
{
    public string? AutoScalingGroupName { get; set; }

    public List<string>? ScalingProcesses { get; set; }
}

public sealed class SuspendProcessesResponse : AmazonWebServiceResponse;

public sealed class ResumeProcessesRequest : AmazonWebServiceRequest
{
    public string? AutoScalingGroupName { get; set; }

    public List<string>? ScalingProcesses { get; set; }
}

public sealed class ResumeProcessesResponse : AmazonWebServiceResponse;

public sealed class DescribeScalingActivitiesRequest : AmazonWebServiceRequest
{
    public List<string>? ActivityIds { get; set; }

    public string? AutoScalingGroupName { get; set; }

    public int? MaxRecords { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeScalingActivitiesResponse : AmazonWebServiceResponse
{
    public List<Activity>? Activities { get; set; }

    public string? NextToken { get; set; }
}

public sealed class Activity
{
    public string? ActivityId { get; set; }

    public string? AutoScalingGroupName { get; set; }

    public string? Description { get; set; }

    public string? Cause { get; set; }

    public DateTime? StartTime { get; set; }

    public DateTime? EndTime { get; set; }

    public string? StatusCode { get; set; }

    public string? StatusMessage { get; set; }

    public int? Progress { get; set; }
}
