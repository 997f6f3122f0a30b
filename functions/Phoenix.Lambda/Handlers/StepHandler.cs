using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Workflow;

namespace Phoenix.Lambda.Handlers;

/// <summary>A workflow step: the Step Functions task payload in, the step's output out, through the shared
/// <see cref="StepCatalog"/> (the same JSON contract the simulation uses).</summary>
public sealed class StepHandler : ILambdaHandler
{
    private readonly StepCatalog _catalog;
    private readonly string _step;

    public StepHandler(StepCatalog catalog, string step)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!catalog.Names.Contains(step))
        {
            throw new HandlerNotFound($"Workflow step '{step}' is not in the step catalog ({string.Join(", ", catalog.Names)}).");
        }

        _catalog = catalog;
        _step = step;
    }

    public ValueTask<JsonNode?> HandleAsync(JsonNode? payload, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Log.SetExecutionArn(ExecutionOf(payload));
        return _catalog.InvokeAsync(_step, payload, cancellationToken);
    }

    /// <summary>
    /// <c>execution.id</c> (<c>$$.Execution.Id</c>, which steps carry as the lock owner), for the log. Read from the
    /// parsed payload rather than through a serializer: the step parses its input itself, and a second JSON contract
    /// just for this was a measurable part of the cold start. Anything else there gives no ARN; the step reports a
    /// malformed input itself, naming the field.
    /// </summary>
    private static string? ExecutionOf(JsonNode? payload) =>
        payload is JsonObject task
        && task.TryGetPropertyValue("execution", out var execution) && execution is JsonObject reference
        && reference.TryGetPropertyValue("id", out var id) && id is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;
}
