using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Phoenix.Aws.AutoScaling.Model;
using Phoenix.Aws.Protocol;

namespace Phoenix.Aws.AutoScaling;

/// <summary>Amazon EC2 Auto Scaling (AWS Query, 2011-01-01): the operations Phoenix uses, named as in the official SDK.</summary>
public sealed class AmazonAutoScalingClient(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("Auto Scaling", "autoscaling", "autoscaling", "2011-01-01");

    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["ResourceContention"] = e => new ResourceContentionException(e),
        ["ScalingActivityInProgress"] = e => new ScalingActivityInProgressException(e),
        ["InvalidNextToken"] = e => new InvalidNextTokenException(e),
        ["ValidationError"] = e => new ValidationErrorException(e),
        ["ResourceInUse"] = e => new ResourceInUseException(e),
        ["AlreadyExists"] = e => new AlreadyExistsException(e),
        ["LimitExceeded"] = e => new LimitExceededException(e),
    };

    private static AutoScalingJsonContext Json => AutoScalingJsonContext.Default;

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    public Task<DescribeAutoScalingGroupsResponse> DescribeAutoScalingGroupsAsync(DescribeAutoScalingGroupsRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("DescribeAutoScalingGroups", request, Json.DescribeAutoScalingGroupsRequest, Json.DescribeAutoScalingGroupsResponse, cancellationToken);

    public Task<UpdateAutoScalingGroupResponse> UpdateAutoScalingGroupAsync(UpdateAutoScalingGroupRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("UpdateAutoScalingGroup", request, Json.UpdateAutoScalingGroupRequest, Json.UpdateAutoScalingGroupResponse, cancellationToken);

    public Task<SetDesiredCapacityResponse> SetDesiredCapacityAsync(SetDesiredCapacityRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("SetDesiredCapacity", request, Json.SetDesiredCapacityRequest, Json.SetDesiredCapacityResponse, cancellationToken);

    public Task<TerminateInstanceInAutoScalingGroupResponse> TerminateInstanceInAutoScalingGroupAsync(
        TerminateInstanceInAutoScalingGroupRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync(
            "TerminateInstanceInAutoScalingGroup", request, Json.TerminateInstanceInAutoScalingGroupRequest, Json.TerminateInstanceInAutoScalingGroupResponse, cancellationToken);

    public Task<SuspendProcessesResponse> SuspendProcessesAsync(SuspendProcessesRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("SuspendProcesses", request, Json.SuspendProcessesRequest, Json.SuspendProcessesResponse, cancellationToken);

    public Task<ResumeProcessesResponse> ResumeProcessesAsync(ResumeProcessesRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("ResumeProcesses", request, Json.ResumeProcessesRequest, Json.ResumeProcessesResponse, cancellationToken);

    public Task<DescribeScalingActivitiesResponse> DescribeScalingActivitiesAsync(DescribeScalingActivitiesRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("DescribeScalingActivities", request, Json.DescribeScalingActivitiesRequest, Json.DescribeScalingActivitiesResponse, cancellationToken);

    public Task<CreateAutoScalingGroupResponse> CreateAutoScalingGroupAsync(CreateAutoScalingGroupRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("CreateAutoScalingGroup", request, Json.CreateAutoScalingGroupRequest, Json.CreateAutoScalingGroupResponse, cancellationToken);

    public Task<DeleteAutoScalingGroupResponse> DeleteAutoScalingGroupAsync(DeleteAutoScalingGroupRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("DeleteAutoScalingGroup", request, Json.DeleteAutoScalingGroupRequest, Json.DeleteAutoScalingGroupResponse, cancellationToken);

    public Task<CreateOrUpdateTagsResponse> CreateOrUpdateTagsAsync(CreateOrUpdateTagsRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("CreateOrUpdateTags", request, Json.CreateOrUpdateTagsRequest, Json.CreateOrUpdateTagsResponse, cancellationToken);
}

public sealed class ResourceContentionException(ErrorResponse error) : AwsServiceException(error);

public sealed class ScalingActivityInProgressException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidNextTokenException(ErrorResponse error) : AwsServiceException(error);

public sealed class ValidationErrorException(ErrorResponse error) : AwsServiceException(error);

public sealed class ResourceInUseException(ErrorResponse error) : AwsServiceException(error);

public sealed class AlreadyExistsException(ErrorResponse error) : AwsServiceException(error);

public sealed class LimitExceededException(ErrorResponse error) : AwsServiceException(error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DescribeAutoScalingGroupsRequest))]
[JsonSerializable(typeof(DescribeAutoScalingGroupsResponse))]
[JsonSerializable(typeof(UpdateAutoScalingGroupRequest))]
[JsonSerializable(typeof(UpdateAutoScalingGroupResponse))]
[JsonSerializable(typeof(SetDesiredCapacityRequest))]
[JsonSerializable(typeof(SetDesiredCapacityResponse))]
[JsonSerializable(typeof(TerminateInstanceInAutoScalingGroupRequest))]
[JsonSerializable(typeof(TerminateInstanceInAutoScalingGroupResponse))]
[JsonSerializable(typeof(SuspendProcessesRequest))]
[JsonSerializable(typeof(SuspendProcessesResponse))]
[JsonSerializable(typeof(ResumeProcessesRequest))]
[JsonSerializable(typeof(ResumeProcessesResponse))]
[JsonSerializable(typeof(DescribeScalingActivitiesRequest))]
[JsonSerializable(typeof(DescribeScalingActivitiesResponse))]
[JsonSerializable(typeof(CreateAutoScalingGroupRequest))]
[JsonSerializable(typeof(CreateAutoScalingGroupResponse))]
[JsonSerializable(typeof(DeleteAutoScalingGroupRequest))]
[JsonSerializable(typeof(DeleteAutoScalingGroupResponse))]
[JsonSerializable(typeof(CreateOrUpdateTagsRequest))]
[JsonSerializable(typeof(CreateOrUpdateTagsResponse))]
internal sealed partial class AutoScalingJsonContext : JsonSerializerContext;
