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

    private static string? ExecutionOf(JsonNode? payload)
    {
        if (payload is not JsonObject)
        {
            return null;
        }

        try
        {
            return payload.Deserialize(LambdaJsonContext.Default.StepTaskPayload)?.Execution?.Id;
        }
        catch (JsonException)
        {
            // The step reports a malformed input itself, naming the field; the log just goes without the ARN.
            return null;
        }
    }
}
