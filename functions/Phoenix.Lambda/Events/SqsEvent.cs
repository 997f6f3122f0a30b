using System.Text.Json.Serialization;

namespace Phoenix.Lambda.Events;

/// <summary>The batch an SQS event source mapping delivers.</summary>
public sealed record SqsEvent([property: JsonPropertyName("Records")] IReadOnlyList<SqsMessage>? Records);

/// <summary>One SQS message; Attributes holds ApproximateReceiveCount, SentTimestamp, SenderId, … as strings.</summary>
public sealed record SqsMessage(
    string? MessageId,
    string? ReceiptHandle,
    string? Body,
    IReadOnlyDictionary<string, string>? Attributes,
    IReadOnlyDictionary<string, SqsMessageAttributeValue>? MessageAttributes,
    string? Md5OfBody,
    string? EventSource,
    [property: JsonPropertyName("eventSourceARN")] string? EventSourceArn,
    string? AwsRegion);

public sealed record SqsMessageAttributeValue(
    string? StringValue,
    string? BinaryValue,
    IReadOnlyList<string>? StringListValues,
    IReadOnlyList<string>? BinaryListValues,
    string? DataType);

/// <summary>
/// The partial batch response (the mapping has ReportBatchItemFailures): only the listed messages return to the
/// queue; an empty list deletes the whole batch.
/// </summary>
public sealed record SqsBatchResponse(IReadOnlyList<BatchItemFailure> BatchItemFailures);

public sealed record BatchItemFailure(string ItemIdentifier);
