using System.Text.Json.Serialization;

namespace Phoenix.Core.Drift;

/// <summary>The SQS event Lambda passes the drift handler (only the fields it uses).</summary>
public sealed record SqsEvent([property: JsonPropertyName("Records")] IReadOnlyList<SqsMessage>? Records);

public sealed record SqsMessage(string MessageId, string? Body);

/// <summary>The partial batch response (ReportBatchItemFailures): only the listed messages are retried.</summary>
public sealed record SqsBatchResponse(IReadOnlyList<SqsBatchItemFailure> BatchItemFailures);

public sealed record SqsBatchItemFailure(string ItemIdentifier);
