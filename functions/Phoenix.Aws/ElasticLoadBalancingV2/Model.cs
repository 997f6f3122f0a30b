using Amazon.Runtime;

namespace Phoenix.Aws.ElasticLoadBalancingV2.Model;

public sealed class DescribeListenersRequest : AmazonWebServiceRequest
{
    public string? LoadBalancerArn { get; set; }

    public List<string>? ListenerArns { get; set; }

    public string? Marker { get; set; }

    public int? PageSize { get; set; }
}

public sealed class DescribeListenersResponse : AmazonWebServiceResponse
{
    public List<Listener>? Listeners { get; set; }

    public string? NextMarker { get; set; }
}

public sealed class Listener
{
    public string? ListenerArn { get; set; }

    public string? LoadBalancerArn { get; set; }

    public int? Port { get; set; }

    public string? Protocol { get; set; }

    public List<Action>? DefaultActions { get; set; }
}

/// <summary>A listener action; Phoenix writes <c>forward</c> actions with weighted target groups.</summary>
public sealed class Action
{
    public string? Type { get; set; }

    public string? TargetGroupArn { get; set; }

    public int? Order { get; set; }

    public ForwardActionConfig? ForwardConfig { get; set; }
}

public sealed class ForwardActionConfig
{
    public List<TargetGroupTuple>? TargetGroups { get; set; }

    public TargetGroupStickinessConfig? TargetGroupStickinessConfig { get; set; }
}

public sealed class TargetGroupTuple
{
    public string? TargetGroupArn { get; set; }

    public int? Weight { get; set; }
}

public sealed class TargetGroupStickinessConfig
{
    public bool? Enabled { get; set; }

    public int? DurationSeconds { get; set; }
}

public sealed class ModifyListenerRequest : AmazonWebServiceRequest
{
    public string? ListenerArn { get; set; }

    public List<Action>? DefaultActions { get; set; }
}

public sealed class ModifyListenerResponse : AmazonWebServiceResponse
{
    public List<Listener>? Listeners { get; set; }
}

public sealed class DescribeTargetGroupsRequest : AmazonWebServiceRequest
{
    public string? LoadBalancerArn { get; set; }

    public List<string>? TargetGroupArns { get; set; }

    public List<string>? Names { get; set; }

    public string? Marker { get; set; }

    public int? PageSize { get; set; }
}

public sealed class DescribeTargetGroupsResponse : AmazonWebServiceResponse
{
    public List<TargetGroup>? TargetGroups { get; set; }

    public string? NextMarker { get; set; }
}

public sealed class TargetGroup
{
    public string? TargetGroupArn { get; set; }

    public string? TargetGroupName { get; set; }

    public string? Protocol { get; set; }

    public int? Port { get; set; }

    public string? HealthCheckPath { get; set; }

    public int? HealthCheckIntervalSeconds { get; set; }

    public int? HealthyThresholdCount { get; set; }

    public List<string>? LoadBalancerArns { get; set; }
}

public sealed class DescribeTargetHealthRequest : AmazonWebServiceRequest
{
    public string? TargetGroupArn { get; set; }

    public List<TargetDescription>? Targets { get; set; }
}

public sealed class DescribeTargetHealthResponse : AmazonWebServiceResponse
{
    public List<TargetHealthDescription>? TargetHealthDescriptions { get; set; }
}

public sealed class TargetDescription
{
    public string? Id { get; set; }

    public int? Port { get; set; }

    public string? AvailabilityZone { get; set; }
}

public sealed class TargetHealthDescription
{
    public TargetDescription? Target { get; set; }

    public string? HealthCheckPort { get; set; }

    public TargetHealth? TargetHealth { get; set; }
}

public sealed class TargetHealth
{
    public string? State { get; set; }

    public string? Reason { get; set; }

    public string? Description { get; set; }
}
