using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Lambda.Events;

namespace Phoenix.Lambda.Handlers;

/// <summary>
/// An SQS batch, one message at a time: a message that fails (bad body, or its processing throws) is reported in
/// <c>batchItemFailures</c> so only it returns to the queue (and, after maxReceiveCount, to the DLQ); the rest are
/// deleted. A batch that is not an SQS event fails as a whole.
/// </summary>
public sealed class SqsBatchHandler : ILambdaHandler
{
    private readonly Func<SqsMessage, LambdaContext, CancellationToken, ValueTask> _processMessage;

    public SqsBatchHandler(Func<SqsMessage, LambdaContext, CancellationToken, ValueTask> processMessage) =>
        _processMessage = processMessage;

    public async ValueTask<JsonNode?> HandleAsync(JsonNode? payload, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var batch = Parse(payload);
        var failures = new List<BatchItemFailure>();
        foreach (var message in batch.Records!)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrEmpty(message.MessageId))
            {
                throw new InvalidPayload("An SQS record has no messageId, so a partial failure could not name it; failing the whole batch.");
            }

            try
            {
                await _processMessage(message, context, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // One bad message must not fail its neighbours; it is retried on its own.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                context.Log.Warn($"SQS message {message.MessageId} failed and returns to the queue.", ex);
                failures.Add(new BatchItemFailure(message.MessageId));
            }
        }

        return JsonSerializer.SerializeToNode(new SqsBatchResponse(failures), LambdaJsonContext.Default.SqsBatchResponse);
    }

    private static SqsEvent Parse(JsonNode? payload)
    {
        SqsEvent? batch;
        try
        {
            batch = payload?.Deserialize(LambdaJsonContext.Default.SqsEvent);
        }
        catch (JsonException ex)
        {
            throw new InvalidPayload($"The payload is not an SQS event: {ex.Message}", ex);
        }

        if (batch?.Records is null)
        {
            throw new InvalidPayload($"The payload is not an SQS event (no Records array): {Truncate(payload?.ToJsonString())}");
        }

        return batch;
    }

    private static string Truncate(string? text) =>
        text is null ? "null" : text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
