using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Drift;
using Phoenix.Lambda.Events;
using CoreSqsMessage = Phoenix.Core.Drift.SqsMessage;
using SqsBatchResponse = Phoenix.Lambda.Events.SqsBatchResponse;
using SqsEvent = Phoenix.Lambda.Events.SqsEvent;

namespace Phoenix.Lambda.Handlers;

/// <summary>
/// DriftHandler: the drift queue's SQS batch (bodies are EventBridge events) through Core's
/// <see cref="DriftHandler"/>; messages it could not handle come back in <c>batchItemFailures</c>, so only they are
/// retried (and reach the DLQ after maxReceiveCount).
/// </summary>
public sealed class DriftQueueHandler(DriftHandler drift) : ILambdaHandler
{
    public async ValueTask<JsonNode?> HandleAsync(JsonNode? payload, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var batch = Parse(payload);
        var messages = new List<CoreSqsMessage>(batch.Count);
        foreach (var record in batch)
        {
            if (string.IsNullOrEmpty(record.MessageId))
            {
                throw new InvalidPayload("An SQS record has no messageId, so a partial failure could not name it; failing the whole batch.");
            }

            messages.Add(new CoreSqsMessage(record.MessageId, record.Body));
        }

        var result = await drift.HandleBatchAsync(messages, cancellationToken);
        foreach (var outcome in result.Outcomes)
        {
            var line = $"SQS message {outcome.MessageId}: {outcome.Disposition}{(outcome.Detail is null ? "" : $" ({outcome.Detail})")}.";
            if (outcome.Disposition == DriftDisposition.Failed)
            {
                context.Log.Warn(line + " It returns to the queue.");
            }
            else
            {
                context.Log.Info(line);
            }
        }

        // Every batch reports its counts, zeros included, so the drift alarm returns to OK on the next quiet period.
        context.Log.Metrics(DriftMetrics.Namespace, (DriftMetrics.DimensionName, Composition.DriftHandlerKey), DriftMetrics.Of(result).Values);
        var response = new SqsBatchResponse(result.FailedMessageIds.Select(id => new BatchItemFailure(id)).ToList());
        return JsonSerializer.SerializeToNode(response, LambdaJsonContext.Default.SqsBatchResponse);
    }

    private static IReadOnlyList<Events.SqsMessage> Parse(JsonNode? payload)
    {
        SqsEvent? batch;
        try
        {
            batch = payload is JsonObject ? payload.Deserialize(LambdaJsonContext.Default.SqsEvent) : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidPayload($"The payload is not an SQS event: {ex.Message}", ex);
        }

        return batch?.Records ?? throw new InvalidPayload($"The payload is not an SQS event (no Records array): {Describe(payload)}.");
    }

    private static string Describe(JsonNode? payload)
    {
        var text = payload?.ToJsonString() ?? "null";
        return text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
    }
}
