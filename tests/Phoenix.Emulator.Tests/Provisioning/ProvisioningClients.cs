using System.Text.Json.Serialization;
using Amazon.Runtime;
using Phoenix.Aws.Protocol;
using Phoenix.Emulator.Tests.Support;

namespace Phoenix.Emulator.Tests.Provisioning;

/// <summary>
/// Calls Phoenix itself never makes (it only changes fleets that CloudFormation created), written on Phoenix's own
/// protocol core so the test project needs no SDK package the feed does not serve. Every client sends to the
/// emulator with the test credentials. Typed errors are not needed here: a failed provisioning call fails the test
/// with the service's own code and message.
/// </summary>
public abstract class ProvisioningClient(MotoServer moto, AwsService service) : AwsProtocolClient(MotoServer.Credentials, Configure(moto, service))
{
    private static readonly Dictionary<string, ErrorFactory> NoTypedErrors = new(StringComparer.Ordinal);

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => NoTypedErrors;

    protected static ProvisioningJsonContext Json => ProvisioningJsonContext.Default;

    protected static CamelCaseProvisioningJsonContext CamelJson => CamelCaseProvisioningJsonContext.Default;

    private static AwsServiceConfig Configure(MotoServer moto, AwsService service)
    {
        ArgumentNullException.ThrowIfNull(moto);
        return new AwsServiceConfig(service)
        {
            ServiceURL = moto.Endpoint,
            AuthenticationRegion = MotoServer.RegionName,
            MaxErrorRetry = 0,
        };
    }
}

/// <summary>Auto Scaling (AWS Query).</summary>
public sealed class AutoScalingProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.AutoScaling.AmazonAutoScalingClient.Definition)
{
    public Task<EmptyQueryResponse> CreateAutoScalingGroupAsync(CreateAutoScalingGroupRequest request) =>
        InvokeQueryAsync("CreateAutoScalingGroup", request, Json.CreateAutoScalingGroupRequest, Json.EmptyQueryResponse, CancellationToken.None);

    public Task<EmptyQueryResponse> CreateLaunchConfigurationAsync(CreateLaunchConfigurationRequest request) =>
        InvokeQueryAsync("CreateLaunchConfiguration", request, Json.CreateLaunchConfigurationRequest, Json.EmptyQueryResponse, CancellationToken.None);
}

/// <summary>
/// Classic Elastic Load Balancing (AWS Query, API version 2012-06-01): the same signing name and endpoint as ELBv2, told
/// apart by the Version parameter.
/// </summary>
public sealed class ClassicLoadBalancingProvisioner(MotoServer moto) : ProvisioningClient(moto, Definition)
{
    public static readonly AwsService Definition = new("Elastic Load Balancing", "elasticloadbalancing", "elasticloadbalancing", "2012-06-01");

    public Task<EmptyQueryResponse> CreateLoadBalancerAsync(CreateClassicLoadBalancerRequest request) =>
        InvokeQueryAsync("CreateLoadBalancer", request, Json.CreateClassicLoadBalancerRequest, Json.EmptyQueryResponse, CancellationToken.None);
}

/// <summary>Elastic Load Balancing v2 (AWS Query).</summary>
public sealed class LoadBalancingProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.ElasticLoadBalancingV2.AmazonElasticLoadBalancingV2Client.Definition)
{
    public Task<CreateLoadBalancerResponse> CreateLoadBalancerAsync(CreateLoadBalancerRequest request) =>
        InvokeQueryAsync("CreateLoadBalancer", request, Json.CreateLoadBalancerRequest, Json.CreateLoadBalancerResponse, CancellationToken.None);

    public Task<CreateTargetGroupResponse> CreateTargetGroupAsync(CreateTargetGroupRequest request) =>
        InvokeQueryAsync("CreateTargetGroup", request, Json.CreateTargetGroupRequest, Json.CreateTargetGroupResponse, CancellationToken.None);

    public Task<CreateListenerResponse> CreateListenerAsync(CreateListenerRequest request) =>
        InvokeQueryAsync("CreateListener", request, Json.CreateListenerRequest, Json.CreateListenerResponse, CancellationToken.None);

    public Task<CreateRuleResponse> CreateRuleAsync(CreateRuleRequest request) =>
        InvokeQueryAsync("CreateRule", request, Json.CreateRuleRequest, Json.CreateRuleResponse, CancellationToken.None);

    /// <summary>What a test reads back after <c>phoenix adopt</c> tagged listeners and rules.</summary>
    public Task<DescribeTagsResponse> DescribeTagsAsync(DescribeTagsRequest request) =>
        InvokeQueryAsync("DescribeTags", request, Json.DescribeTagsRequest, Json.DescribeTagsResponse, CancellationToken.None);
}

/// <summary>CloudWatch (AWS Query).</summary>
public sealed class CloudWatchProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.CloudWatch.AmazonCloudWatchClient.Definition)
{
    public Task<EmptyQueryResponse> PutMetricAlarmAsync(PutMetricAlarmRequest request) =>
        InvokeQueryAsync("PutMetricAlarm", request, Json.PutMetricAlarmRequest, Json.EmptyQueryResponse, CancellationToken.None);

    public Task<EmptyQueryResponse> SetAlarmStateAsync(SetAlarmStateRequest request) =>
        InvokeQueryAsync("SetAlarmState", request, Json.SetAlarmStateRequest, Json.EmptyQueryResponse, CancellationToken.None);
}

/// <summary>SNS (AWS Query).</summary>
public sealed class NotificationProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.SimpleNotificationService.AmazonSimpleNotificationServiceClient.Definition)
{
    public Task<CreateTopicResponse> CreateTopicAsync(CreateTopicRequest request) =>
        InvokeQueryAsync("CreateTopic", request, Json.CreateTopicRequest, Json.CreateTopicResponse, CancellationToken.None);

    public Task<SubscribeResponse> SubscribeAsync(SubscribeRequest request) =>
        InvokeQueryAsync("Subscribe", request, Json.SubscribeRequest, Json.SubscribeResponse, CancellationToken.None);
}

/// <summary>Step Functions (awsJson 1.0).</summary>
public sealed class StepFunctionsProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.StepFunctions.AmazonStepFunctionsClient.Definition)
{
    /// <summary>Any role ARN: moto does not assume it.</summary>
    public const string RoleArn = "arn:aws:iam::" + MotoServer.Account + ":role/phoenix-states";

    public Task<CreateStateMachineResponse> CreateStateMachineAsync(CreateStateMachineRequest request) =>
        InvokeJsonAsync("CreateStateMachine", request, CamelJson.CreateStateMachineRequest, CamelJson.CreateStateMachineResponse, CancellationToken.None);
}

/// <summary>CodeBuild (awsJson 1.1).</summary>
public sealed class CodeBuildProvisioner(MotoServer moto) : ProvisioningClient(moto, Aws.CodeBuild.AmazonCodeBuildClient.Definition)
{
    public const string RoleArn = "arn:aws:iam::" + MotoServer.Account + ":role/phoenix-bake";

    public Task<CreateProjectResponse> CreateProjectAsync(CreateProjectRequest request) =>
        InvokeJsonAsync("CreateProject", request, CamelJson.CreateProjectRequest, CamelJson.CreateProjectResponse, CancellationToken.None);
}

public sealed class EmptyQueryResponse : AmazonWebServiceResponse;

public sealed class Tag
{
    public string? Key { get; set; }

    public string? Value { get; set; }

    /// <summary>Auto Scaling tags only: copy the tag to the instances the group launches.</summary>
    public bool? PropagateAtLaunch { get; set; }
}

public sealed class CreateAutoScalingGroupRequest : AmazonWebServiceRequest
{
    public string? AutoScalingGroupName { get; set; }

    public LaunchTemplateReference? LaunchTemplate { get; set; }

    public int? MinSize { get; set; }

    public int? MaxSize { get; set; }

    public int? DesiredCapacity { get; set; }

    public string? VPCZoneIdentifier { get; set; }

    public List<string>? TargetGroupARNs { get; set; }

    public string? HealthCheckType { get; set; }

    public int? HealthCheckGracePeriod { get; set; }

    public List<Tag>? Tags { get; set; }

    /// <summary>Instead of <see cref="LaunchTemplate"/>: the group launches from this launch configuration.</summary>
    public string? LaunchConfigurationName { get; set; }

    /// <summary>Instead of <see cref="LaunchTemplate"/>: the group launches from the policy's template and instance types.</summary>
    public MixedInstancesPolicy? MixedInstancesPolicy { get; set; }

    /// <summary>Classic Load Balancers to attach the group to.</summary>
    public List<string>? LoadBalancerNames { get; set; }
}

public sealed class LaunchTemplateReference
{
    public string? LaunchTemplateId { get; set; }

    public string? Version { get; set; }
}

public sealed class MixedInstancesPolicy
{
    public MixedInstancesLaunchTemplate? LaunchTemplate { get; set; }
}

public sealed class MixedInstancesLaunchTemplate
{
    public LaunchTemplateReference? LaunchTemplateSpecification { get; set; }

    public List<InstanceTypeOverride>? Overrides { get; set; }
}

public sealed class InstanceTypeOverride
{
    public string? InstanceType { get; set; }
}

public sealed class CreateLaunchConfigurationRequest : AmazonWebServiceRequest
{
    public string? LaunchConfigurationName { get; set; }

    public string? ImageId { get; set; }

    public string? InstanceType { get; set; }
}

public sealed class CreateClassicLoadBalancerRequest : AmazonWebServiceRequest
{
    public string? LoadBalancerName { get; set; }

    public List<ClassicListener>? Listeners { get; set; }

    public List<string>? Subnets { get; set; }
}

public sealed class ClassicListener
{
    public string? Protocol { get; set; }

    public int? LoadBalancerPort { get; set; }

    public string? InstanceProtocol { get; set; }

    public int? InstancePort { get; set; }
}

public sealed class CreateLoadBalancerRequest : AmazonWebServiceRequest
{
    public string? Name { get; set; }

    public List<string>? Subnets { get; set; }

    public List<string>? SecurityGroups { get; set; }

    public string? Scheme { get; set; }

    public string? Type { get; set; }

    public List<Tag>? Tags { get; set; }
}

public sealed class CreateLoadBalancerResponse : AmazonWebServiceResponse
{
    public List<LoadBalancer>? LoadBalancers { get; set; }
}

public sealed class LoadBalancer
{
    public string? LoadBalancerArn { get; set; }

    public string? DNSName { get; set; }
}

public sealed class CreateTargetGroupRequest : AmazonWebServiceRequest
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public int? Port { get; set; }

    public string? VpcId { get; set; }

    public string? TargetType { get; set; }

    public string? HealthCheckPath { get; set; }

    public int? HealthCheckIntervalSeconds { get; set; }

    public int? HealthyThresholdCount { get; set; }

    public int? UnhealthyThresholdCount { get; set; }

    public List<Tag>? Tags { get; set; }
}

public sealed class CreateTargetGroupResponse : AmazonWebServiceResponse
{
    public List<TargetGroup>? TargetGroups { get; set; }
}

public sealed class TargetGroup
{
    public string? TargetGroupArn { get; set; }

    public string? TargetGroupName { get; set; }
}

public sealed class CreateListenerRequest : AmazonWebServiceRequest
{
    public string? LoadBalancerArn { get; set; }

    public string? Protocol { get; set; }

    public int? Port { get; set; }

    public List<Aws.ElasticLoadBalancingV2.Model.Action>? DefaultActions { get; set; }
}

public sealed class CreateListenerResponse : AmazonWebServiceResponse
{
    public List<Aws.ElasticLoadBalancingV2.Model.Listener>? Listeners { get; set; }
}

public sealed class CreateRuleRequest : AmazonWebServiceRequest
{
    public string? ListenerArn { get; set; }

    public List<Aws.ElasticLoadBalancingV2.Model.RuleCondition>? Conditions { get; set; }

    public int? Priority { get; set; }

    public List<Aws.ElasticLoadBalancingV2.Model.Action>? Actions { get; set; }
}

public sealed class CreateRuleResponse : AmazonWebServiceResponse
{
    public List<Aws.ElasticLoadBalancingV2.Model.Rule>? Rules { get; set; }
}

public sealed class DescribeTagsRequest : AmazonWebServiceRequest
{
    public List<string>? ResourceArns { get; set; }
}

public sealed class DescribeTagsResponse : AmazonWebServiceResponse
{
    public List<TagDescription>? TagDescriptions { get; set; }
}

public sealed class TagDescription
{
    public string? ResourceArn { get; set; }

    public List<Tag>? Tags { get; set; }
}

public sealed class PutMetricAlarmRequest : AmazonWebServiceRequest
{
    public string? AlarmName { get; set; }

    public string? AlarmDescription { get; set; }

    public string? Namespace { get; set; }

    public string? MetricName { get; set; }

    public List<Dimension>? Dimensions { get; set; }

    public string? Statistic { get; set; }

    public int? Period { get; set; }

    public int? EvaluationPeriods { get; set; }

    public double? Threshold { get; set; }

    public string? ComparisonOperator { get; set; }

    public string? TreatMissingData { get; set; }

    public List<string>? AlarmActions { get; set; }
}

public sealed class Dimension
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

public sealed class SetAlarmStateRequest : AmazonWebServiceRequest
{
    public string? AlarmName { get; set; }

    public string? StateValue { get; set; }

    public string? StateReason { get; set; }
}

public sealed class CreateTopicRequest : AmazonWebServiceRequest
{
    public string? Name { get; set; }
}

public sealed class CreateTopicResponse : AmazonWebServiceResponse
{
    public string? TopicArn { get; set; }
}

public sealed class SubscribeRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }

    public string? Protocol { get; set; }

    public string? Endpoint { get; set; }

    public bool? ReturnSubscriptionArn { get; set; }
}

public sealed class SubscribeResponse : AmazonWebServiceResponse
{
    public string? SubscriptionArn { get; set; }
}

public sealed class CreateStateMachineRequest : AmazonWebServiceRequest
{
    public string? Name { get; set; }

    public string? Definition { get; set; }

    public string? RoleArn { get; set; }

    public string? Type { get; set; }
}

public sealed class CreateStateMachineResponse : AmazonWebServiceResponse
{
    public string? StateMachineArn { get; set; }

    public DateTime? CreationDate { get; set; }
}

public sealed class CreateProjectRequest : AmazonWebServiceRequest
{
    public string? Name { get; set; }

    public ProjectSource? Source { get; set; }

    public ProjectArtifacts? Artifacts { get; set; }

    public ProjectEnvironment? Environment { get; set; }

    public string? ServiceRole { get; set; }
}

public sealed class ProjectSource
{
    public string? Type { get; set; }

    public string? Location { get; set; }

    public string? Buildspec { get; set; }
}

public sealed class ProjectArtifacts
{
    public string? Type { get; set; }
}

public sealed class ProjectEnvironment
{
    public string? Type { get; set; }

    public string? Image { get; set; }

    public string? ComputeType { get; set; }
}

public sealed class CreateProjectResponse : AmazonWebServiceResponse
{
    public Project? Project { get; set; }
}

public sealed class Project
{
    public string? Name { get; set; }

    public string? Arn { get; set; }
}

/// <summary>Query services: member names as the API spells them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EmptyQueryResponse))]
[JsonSerializable(typeof(CreateAutoScalingGroupRequest))]
[JsonSerializable(typeof(CreateLaunchConfigurationRequest))]
[JsonSerializable(typeof(CreateClassicLoadBalancerRequest))]
[JsonSerializable(typeof(CreateLoadBalancerRequest))]
[JsonSerializable(typeof(CreateLoadBalancerResponse))]
[JsonSerializable(typeof(CreateTargetGroupRequest))]
[JsonSerializable(typeof(CreateTargetGroupResponse))]
[JsonSerializable(typeof(CreateListenerRequest))]
[JsonSerializable(typeof(CreateListenerResponse))]
[JsonSerializable(typeof(CreateRuleRequest))]
[JsonSerializable(typeof(CreateRuleResponse))]
[JsonSerializable(typeof(DescribeTagsRequest))]
[JsonSerializable(typeof(DescribeTagsResponse))]
[JsonSerializable(typeof(PutMetricAlarmRequest))]
[JsonSerializable(typeof(SetAlarmStateRequest))]
[JsonSerializable(typeof(CreateTopicRequest))]
[JsonSerializable(typeof(CreateTopicResponse))]
[JsonSerializable(typeof(SubscribeRequest))]
[JsonSerializable(typeof(SubscribeResponse))]
public sealed partial class ProvisioningJsonContext : JsonSerializerContext;

/// <summary>Step Functions and CodeBuild spell their members in camelCase.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(CreateStateMachineRequest))]
[JsonSerializable(typeof(CreateStateMachineResponse))]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(CreateProjectResponse))]
public sealed partial class CamelCaseProvisioningJsonContext : JsonSerializerContext;
