using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Drift;

namespace Phoenix.Lambda.Handlers;

/// <summary>
/// ImmutableInstance: the custom AWS Config rule. Config ignores the function's result (the rule reports through
/// PutEvaluations), so the evaluations are returned only for the log and for tests.
/// </summary>
public sealed class ImmutableInstanceHandler(ImmutableInstanceRule rule) : ILambdaHandler
{
    public async ValueTask<JsonNode?> HandleAsync(JsonNode? payload, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evaluations = await rule.EvaluateAsync(payload?.ToJsonString() ?? "null", cancellationToken);
        foreach (var evaluation in evaluations)
        {
            context.Log.Info($"{evaluation.ComplianceResourceType} {evaluation.ComplianceResourceId}: {evaluation.ComplianceType}{(evaluation.Annotation is null ? "" : $" ({evaluation.Annotation})")}.");
        }

        return JsonSerializer.SerializeToNode(evaluations, DriftJsonContext.Default.IReadOnlyListConfigEvaluation);
    }
}
