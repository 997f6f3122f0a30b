using System.Text.Json.Nodes;

namespace Phoenix.Asl;

public enum ExecutionStatus
{
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

/// <summary>
/// The end of an execution. Error and Cause are null when the failing state gave none (a Fail state without Error
/// fails with a null error, as Step Functions does).
/// </summary>
public sealed record ExecutionResult(
    ExecutionStatus Status,
    JsonNode? Output,
    string? Error,
    string? Cause,
    IReadOnlyList<HistoryEvent> History);

/// <summary>
/// One history event shaped like GetExecutionHistory: <paramref name="Details"/> holds the event's details object
/// (e.g. <c>{"name","input","inputDetails"}</c> of <c>stateEnteredEventDetails</c>) and <paramref name="StateName"/> the
/// state it belongs to, when any.
/// </summary>
public sealed record HistoryEvent(long Id, long PreviousEventId, DateTimeOffset Timestamp, string Type, string? StateName, JsonObject Details)
{
    /// <summary>The GetExecutionHistory member that carries <see cref="Details"/>, e.g. <c>taskScheduledEventDetails</c>.</summary>
    public string? DetailsName => HistoryEventShapes.DetailsMember(Type);

    /// <summary>The event as GetExecutionHistory would return it (timestamp as ISO-8601 text).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["previousEventId"] = PreviousEventId,
            ["timestamp"] = Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz"),
            ["type"] = Type,
        };
        if (DetailsName is { } member)
        {
            json[member] = Details.DeepClone();
        }

        return json;
    }
}
