using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Phoenix.Aws.ElasticLoadBalancingV2.Model;
using Phoenix.Aws.Protocol;

namespace Phoenix.Aws.ElasticLoadBalancingV2;

/// <summary>Elastic Load Balancing v2 (AWS Query, 2015-12-01): listeners, their rules and target health.</summary>
public sealed class AmazonElasticLoadBalancingV2Client(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("Elastic Load Balancing v2", "elasticloadbalancing", "elasticloadbalancing", "2015-12-01");

    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["ListenerNotFound"] = e => new ListenerNotFoundException(e),
        ["TargetGroupNotFound"] = e => new TargetGroupNotFoundException(e),
        ["LoadBalancerNotFound"] = e => new LoadBalancerNotFoundException(e),
        ["InvalidTarget"] = e => new InvalidTargetException(e),
        ["ValidationError"] = e => new ValidationErrorException(e),
        ["RuleNotFound"] = e => new RuleNotFoundException(e),
        ["InvalidConfigurationRequest"] = e => new InvalidConfigurationRequestException(e),
        ["IncompatibleProtocols"] = e => new IncompatibleProtocolsException(e),
        ["OperationNotPermitted"] = e => new OperationNotPermittedException(e),
        ["DuplicateTargetGroupName"] = e => new DuplicateTargetGroupNameException(e),
        ["ResourceInUse"] = e => new ResourceInUseException(e),
        ["TooManyTargetGroups"] = e => new TooManyTargetGroupsException(e),
        ["TooManyTags"] = e => new TooManyTagsException(e),
    };

    private static ElasticLoadBalancingV2JsonContext Json => ElasticLoadBalancingV2JsonContext.Default;

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    public Task<DescribeListenersResponse> DescribeListenersAsync(DescribeListenersRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("DescribeListeners", request, Json.DescribeListenersRequest, Json.DescribeListenersResponse, cancellationToken);

    public Task<ModifyListenerResponse> ModifyListenerAsync(ModifyListenerRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("ModifyListener", request, Json.ModifyListenerRequest, Json.ModifyListenerResponse, cancellationToken);

    public Task<DescribeRulesResponse> DescribeRulesAsync(DescribeRulesRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("DescribeRules", request, Json.DescribeRulesRequest, Json.DescribeRulesResponse, cancellationToken);

    public Task<ModifyRuleResponse> ModifyRuleAsync(ModifyRuleRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("ModifyRule", request, Json.ModifyRuleRequest, Json.ModifyRuleResponse, cancellationToken);

    public Task<DescribeTargetGroupsResponse> DescribeTargetGroupsAsync(DescribeTargetGroupsRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("DescribeTargetGroups", request, Json.DescribeTargetGroupsRequest, Json.DescribeTargetGroupsResponse, cancellationToken);

    public Task<DescribeTargetHealthResponse> DescribeTargetHealthAsync(DescribeTargetHealthRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("DescribeTargetHealth", request, Json.DescribeTargetHealthRequest, Json.DescribeTargetHealthResponse, cancellationToken);

    public Task<CreateTargetGroupResponse> CreateTargetGroupAsync(CreateTargetGroupRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("CreateTargetGroup", request, Json.CreateTargetGroupRequest, Json.CreateTargetGroupResponse, cancellationToken);

    public Task<DeleteTargetGroupResponse> DeleteTargetGroupAsync(DeleteTargetGroupRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("DeleteTargetGroup", request, Json.DeleteTargetGroupRequest, Json.DeleteTargetGroupResponse, cancellationToken);

    public Task<AddTagsResponse> AddTagsAsync(AddTagsRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("AddTags", request, Json.AddTagsRequest, Json.AddTagsResponse, cancellationToken);
}

public sealed class ListenerNotFoundException(ErrorResponse error) : AwsServiceException(error);

public sealed class TargetGroupNotFoundException(ErrorResponse error) : AwsServiceException(error);

public sealed class LoadBalancerNotFoundException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidTargetException(ErrorResponse error) : AwsServiceException(error);

public sealed class ValidationErrorException(ErrorResponse error) : AwsServiceException(error);

public sealed class RuleNotFoundException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidConfigurationRequestException(ErrorResponse error) : AwsServiceException(error);

public sealed class IncompatibleProtocolsException(ErrorResponse error) : AwsServiceException(error);

public sealed class OperationNotPermittedException(ErrorResponse error) : AwsServiceException(error);

public sealed class DuplicateTargetGroupNameException(ErrorResponse error) : AwsServiceException(error);

public sealed class ResourceInUseException(ErrorResponse error) : AwsServiceException(error);

public sealed class TooManyTargetGroupsException(ErrorResponse error) : AwsServiceException(error);

public sealed class TooManyTagsException(ErrorResponse error) : AwsServiceException(error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeListenersRequest))]
[JsonSerializable(typeof(DescribeListenersResponse))]
[JsonSerializable(typeof(ModifyListenerRequest))]
[JsonSerializable(typeof(ModifyListenerResponse))]
[JsonSerializable(typeof(DescribeRulesRequest))]
[JsonSerializable(typeof(DescribeRulesResponse))]
[JsonSerializable(typeof(ModifyRuleRequest))]
[JsonSerializable(typeof(ModifyRuleResponse))]
[JsonSerializable(typeof(Model.Action))]
[JsonSerializable(typeof(List<RuleCondition>))]
[JsonSerializable(typeof(DescribeTargetGroupsRequest))]
[JsonSerializable(typeof(DescribeTargetGroupsResponse))]
[JsonSerializable(typeof(DescribeTargetHealthRequest))]
[JsonSerializable(typeof(DescribeTargetHealthResponse))]
[JsonSerializable(typeof(CreateTargetGroupRequest))]
[JsonSerializable(typeof(CreateTargetGroupResponse))]
[JsonSerializable(typeof(DeleteTargetGroupRequest))]
[JsonSerializable(typeof(DeleteTargetGroupResponse))]
[JsonSerializable(typeof(AddTagsRequest))]
[JsonSerializable(typeof(AddTagsResponse))]
internal sealed partial class ElasticLoadBalancingV2JsonContext : JsonSerializerContext;
