using System.Text.Json.Nodes;

namespace Phoenix.Asl;

/// <summary>
/// One invocation of a Task state's resource. <paramref name="Input"/> is what the function receives (the effective
/// input, or the <c>Payload</c> of <c>lambda:invoke</c>); <paramref name="Context"/> is the Context Object;
/// <paramref name="TaskToken"/> is set for <c>.waitForTaskToken</c> tasks, whose result arrives through
/// <see cref="AslExecution.SendTaskSuccess"/> rather than the handler's return value.
/// </summary>
public sealed record TaskRequest(string Resource, string StateName, JsonNode? Input, JsonNode Context, string? TaskToken)
{
    // The engine builds the Context Object (a copy of the execution input among others) only when a handler reads it.
    private readonly Lazy<JsonNode>? _context;

    internal TaskRequest(string resource, string stateName, JsonNode? input, Func<JsonNode> context, string? taskToken)
        : this(resource, stateName, input, (JsonNode)null!, taskToken)
    {
        _context = new Lazy<JsonNode>(context);
    }

    public JsonNode Context
    {
        get => _context?.Value ?? field;
        init;
    } = Context;
}

/// <summary>The host's implementation of a Task resource: JSON in, JSON out, or a <see cref="TaskFailedException"/>.</summary>
public delegate ValueTask<JsonNode?> TaskHandler(TaskRequest request, CancellationToken cancellationToken);
