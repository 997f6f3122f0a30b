using Phoenix.Aws.ConfigService;
using Phoenix.Core;
using Phoenix.Core.Drift;
using Model = Phoenix.Aws.ConfigService.Model;

namespace Phoenix.Aws.Adapters;

public sealed class ConfigEvaluationsAdapter(AmazonConfigServiceClient client) : IConfigEvaluations
{
    public Task PutEvaluationsAsync(string resultToken, IReadOnlyList<ConfigEvaluation> evaluations, bool testMode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        return AwsCall.RunAsync("PutEvaluations", async () =>
        {
            foreach (var batch in evaluations.Chunk(IConfigEvaluations.MaxBatch))
            {
                var response = await client.PutEvaluationsAsync(
                    new Model.PutEvaluationsRequest
                    {
                        ResultToken = resultToken,
                        TestMode = testMode,
                        Evaluations = batch.Select(e => new Model.Evaluation
                        {
                            ComplianceResourceType = e.ComplianceResourceType,
                            ComplianceResourceId = e.ComplianceResourceId,
                            ComplianceType = e.ComplianceType,
                            Annotation = e.Annotation,
                            OrderingTimestamp = e.OrderingTimestamp.UtcDateTime,
                        }).ToList(),
                    },
                    cancellationToken).ConfigureAwait(false);
                if (response.FailedEvaluations is { Count: > 0 } failed)
                {
                    throw new TransientFailure(
                        $"Config did not record {failed.Count} evaluation(s): {string.Join(", ", failed.Select(f => f.ComplianceResourceId))}");
                }
            }
        }, cancellationToken);
    }
}
