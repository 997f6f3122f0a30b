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

    public List<Instance>? Instances { get; set; }

    public List<string>? TargetGroupARNs { get; set; }

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
