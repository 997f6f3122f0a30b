using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Phoenix.Lambda.Events;

/// <summary>The EventBridge envelope; <see cref="Detail"/> is the source-specific part.</summary>
public sealed record EventBridgeEvent(
    string? Version,
    string? Id,
    [property: JsonPropertyName("detail-type")] string? DetailType,
    string? Source,
    string? Account,
    DateTimeOffset? Time,
    string? Region,
    IReadOnlyList<string>? Resources,
    JsonNode? Detail);
