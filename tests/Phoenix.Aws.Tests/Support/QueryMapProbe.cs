using System.Text.Json.Serialization;
using Amazon.Runtime;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Aws.SimpleNotificationService.Model;

namespace Phoenix.Aws.Tests.Support;

/// <summary>
/// Phoenix sends no map member, so the Query map encoding is proven on two real SNS shapes kept only here:
/// Publish's MessageAttributes (the model names the entry's key "Name" and value "Value") and CreateTopic's
/// Attributes (default key / value), sent through the same protocol client and marshaller as every other operation.
/// </summary>
internal sealed class QueryMapProbe(AWSCredentials credentials, AwsServiceConfig config) : AwsProtocolClient(credentials, config)
{
    private static readonly Dictionary<string, ErrorFactory> NoErrors = [];

    protected override IReadOnlyDictionary<string, ErrorFactory> Errors => NoErrors;

    /// <summary>An SNS probe sent wherever the factory sends its SNS client.</summary>
    public static QueryMapProbe For(AwsClientFactory factory)
    {
        using var sns = factory.SimpleNotificationService();
        var config = new AwsServiceConfig(AmazonSimpleNotificationServiceClient.Definition)
        {
            ServiceURL = sns.Config.ServiceURL,
            AuthenticationRegion = sns.Config.AuthenticationRegion,
            MaxErrorRetry = sns.Config.MaxErrorRetry,
        };
        return new QueryMapProbe(factory.Credentials, config);
    }

    public Task<PublishResponse> PublishAsync(PublishWithAttributesRequest request) =>
        InvokeQueryAsync("Publish", request, QueryMapProbeJsonContext.Default.PublishWithAttributesRequest, QueryMapProbeJsonContext.Default.PublishResponse, default);

    public Task<PublishResponse> CreateTopicAsync(CreateTopicRequest request) =>
        InvokeQueryAsync("CreateTopic", request, QueryMapProbeJsonContext.Default.CreateTopicRequest, QueryMapProbeJsonContext.Default.PublishResponse, default);
}

public sealed class PublishWithAttributesRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }

    public string? Message { get; set; }

    [QueryMap("Name", "Value")]
    public Dictionary<string, MessageAttributeValue>? MessageAttributes { get; set; }
}

public sealed class MessageAttributeValue
{
    public string? DataType { get; set; }

    public string? StringValue { get; set; }
}

public sealed class CreateTopicRequest : AmazonWebServiceRequest
{
    public string? Name { get; set; }

    public Dictionary<string, string>? Attributes { get; set; }
}

/// <summary>A response with a map of the default entry names (SNS GetTopicAttributes), like ELBv2's AuthenticationRequestExtraParams.</summary>
public sealed class GetTopicAttributesResponse : AmazonWebServiceResponse
{
    public Dictionary<string, string>? Attributes { get; set; }
}

/// <summary>A response map whose entries have their own names (as SQS ReceiveMessage's Attribute Name/Value), which the reader refuses.</summary>
public sealed class NamedEntriesResponse : AmazonWebServiceResponse
{
    [QueryMap("Name", "Value")]
    public Dictionary<string, string>? Attributes { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PublishWithAttributesRequest))]
[JsonSerializable(typeof(CreateTopicRequest))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(GetTopicAttributesResponse))]
[JsonSerializable(typeof(NamedEntriesResponse))]
internal sealed partial class QueryMapProbeJsonContext : JsonSerializerContext;
