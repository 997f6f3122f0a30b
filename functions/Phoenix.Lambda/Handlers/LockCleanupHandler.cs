using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Drift;

namespace Phoenix.Lambda.Handlers;

/// <summary>
/// LockCleanup: one "Step Functions Execution Status Change" EventBridge event; releases the deployment lock a
/// FAILED, TIMED_OUT or ABORTED execution still holds. Returns what was done (null for events it ignores).
/// </summary>
public sealed class LockCleanupHandler(LockCleanup cleanup) : ILambdaHandler
{
    public async ValueTask<JsonNode?> HandleAsync(JsonNode? payload, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var envelope = Envelope(payload);
        context.Log.SetExecutionArn(
            envelope is { Detail.ValueKind: JsonValueKind.Object } && envelope.Detail.TryGetProperty("executionArn", out var arn) && arn.ValueKind == JsonValueKind.String
                ? arn.GetString()
                : null);
        context.Log.Info($"EventBridge event {envelope?.Id ?? "(no id)"}: {envelope?.Source ?? "(no source)"} / {envelope?.DetailType ?? "(no detail-type)"}.");

        var result = await cleanup.HandleAsync(payload?.ToJsonString() ?? "null", cancellationToken);
        if (result is not null)
        {
            context.Log.Info(result.Reason);
        }

        return result is null ? null : JsonSerializer.SerializeToNode(result, DriftJsonContext.Default.LockCleanupResult);
    }

    private static EventBridgeEvent? Envelope(JsonNode? payload)
    {
        try
        {
            return payload is JsonObject ? payload.Deserialize(DriftJsonContext.Default.EventBridgeEvent) : null;
        }
        catch (JsonException)
        {
            // LockCleanup rejects the event itself with MalformedDriftEvent, naming the field; only the log loses it.
            return null;
        }
    }
}
