using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.SimpleNotificationService.Model;

namespace Phoenix.Aws.SimpleNotificationService;

/// <summary>Amazon SNS (AWS Query, 2010-03-31): deployment and drift notifications for AWS Chatbot, and how the topics are set up.</summary>
public sealed class AmazonSimpleNotificationServiceClient(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    public static readonly AwsService Definition = new("SNS", "sns", "sns", "2010-03-31");

    private static readonly Dictionary<string, ErrorFactory> ErrorCodes = new(StringComparer.Ordinal)
    {
        ["NotFound"] = e => new NotFoundException(e),
        ["InvalidParameter"] = e => new InvalidParameterException(e),
        ["AuthorizationError"] = e => new AuthorizationErrorException(e),
        ["BatchEntryIdsNotDistinct"] = e => new BatchEntryIdsNotDistinctException(e),
        ["TooManyEntriesInBatchRequest"] = e => new TooManyEntriesInBatchRequestException(e),
    };

    private static SimpleNotificationServiceJsonContext Json => SimpleNotificationServiceJsonContext.Default;

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => ErrorCodes;

    public Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("Publish", request, Json.PublishRequest, Json.PublishResponse, cancellationToken);

    public Task<PublishBatchResponse> PublishBatchAsync(PublishBatchRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("PublishBatch", request, Json.PublishBatchRequest, Json.PublishBatchResponse, cancellationToken);

    public Task<GetTopicAttributesResponse> GetTopicAttributesAsync(GetTopicAttributesRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("GetTopicAttributes", request, Json.GetTopicAttributesRequest, Json.GetTopicAttributesResponse, cancellationToken);

    public Task<ListSubscriptionsByTopicResponse> ListSubscriptionsByTopicAsync(ListSubscriptionsByTopicRequest request, CancellationToken cancellationToken = default) =>
        InvokeQueryAsync("ListSubscriptionsByTopic", request, Json.ListSubscriptionsByTopicRequest, Json.ListSubscriptionsByTopicResponse, cancellationToken);
}

public sealed class NotFoundException(ErrorResponse error) : AwsServiceException(error);

public sealed class InvalidParameterException(ErrorResponse error) : AwsServiceException(error);

public sealed class AuthorizationErrorException(ErrorResponse error) : AwsServiceException(error);

public sealed class BatchEntryIdsNotDistinctException(ErrorResponse error) : AwsServiceException(error);

public sealed class TooManyEntriesInBatchRequestException(ErrorResponse error) : AwsServiceException(error);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(PublishBatchRequest))]
[JsonSerializable(typeof(PublishBatchResponse))]
[JsonSerializable(typeof(GetTopicAttributesRequest))]
[JsonSerializable(typeof(GetTopicAttributesResponse))]
[JsonSerializable(typeof(ListSubscriptionsByTopicRequest))]
[JsonSerializable(typeof(ListSubscriptionsByTopicResponse))]
internal sealed partial class SimpleNotificationServiceJsonContext : JsonSerializerContext;
