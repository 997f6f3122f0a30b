using Amazon.Runtime;

namespace Phoenix.Aws.SimpleNotificationService.Model;

public sealed class PublishRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }

    public string? Message { get; set; }

    public string? Subject { get; set; }
}

public sealed class PublishResponse : AmazonWebServiceResponse
{
    public string? MessageId { get; set; }

    public string? SequenceNumber { get; set; }
}

public sealed class PublishBatchRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }

    public List<PublishBatchRequestEntry>? PublishBatchRequestEntries { get; set; }
}

public sealed class PublishBatchRequestEntry
{
    public string? Id { get; set; }

    public string? Message { get; set; }

    public string? Subject { get; set; }
}

public sealed class PublishBatchResponse : AmazonWebServiceResponse
{
    public List<PublishBatchResultEntry>? Successful { get; set; }

    public List<BatchResultErrorEntry>? Failed { get; set; }
}

public sealed class PublishBatchResultEntry
{
    public string? Id { get; set; }

    public string? MessageId { get; set; }
}

public sealed class BatchResultErrorEntry
{
    public string? Id { get; set; }

    public string? Code { get; set; }

    public string? Message { get; set; }

    public bool? SenderFault { get; set; }
}

public sealed class GetTopicAttributesRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }
}

public sealed class GetTopicAttributesResponse : AmazonWebServiceResponse
{
    /// <summary>TopicArn, Owner, KmsMasterKeyId (absent when the topic is not encrypted), SubscriptionsConfirmed, … (a wrapped entry/key/value map).</summary>
    public Dictionary<string, string>? Attributes { get; set; }
}

public sealed class ListSubscriptionsByTopicRequest : AmazonWebServiceRequest
{
    public string? TopicArn { get; set; }

    public string? NextToken { get; set; }
}

public sealed class ListSubscriptionsByTopicResponse : AmazonWebServiceResponse
{
    public List<Subscription>? Subscriptions { get; set; }

    public string? NextToken { get; set; }
}

public sealed class Subscription
{
    /// <summary>The subscription's ARN, or <c>PendingConfirmation</c> until its endpoint confirms it.</summary>
    public string? SubscriptionArn { get; set; }

    public string? Owner { get; set; }

    public string? Protocol { get; set; }

    public string? Endpoint { get; set; }

    public string? TopicArn { get; set; }
}
