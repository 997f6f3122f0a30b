using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Phoenix.Core.Ports;
using static Phoenix.Aws.Adapters.DynamoDbItems;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// The ledger: pk=<c>APP#{application}</c>, sk=<c>DEPLOY#{startedAt yyyy-MM-ddTHH:mm:ssZ}#{deploymentId}</c>, so a
/// Query on the partition in reverse sort-key order lists an application's deployments newest first.
/// </summary>
public sealed class DeploymentLedgerAdapter(IAmazonDynamoDB client, string tableName) : IDeploymentLedger
{
    private const string Prefix = "DEPLOY#";

    public Task PutAsync(DeploymentRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = S($"APP#{record.Application}"),
            ["sk"] = S($"{Prefix}{record.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}#{record.DeploymentId}"),
            ["application"] = S(record.Application),
            ["deploymentId"] = S(record.DeploymentId),
            ["result"] = S(record.Result),
            ["startedAt"] = S(record.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        };
        item.PutIfSet("imageId", record.ImageId);
        item.PutIfSet("previousImageId", record.PreviousImageId);
        item.PutIfSet("colour", record.Colour);
        item.PutIfSet("commit", record.Commit);
        item.PutIfSet("repository", record.Repository);
        item.PutIfSet("trigger", record.Trigger);
        item.PutIfSet("startedBy", record.StartedBy);
        item.PutIfSet("finishedAt", record.FinishedAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        item.PutIfSet("error", record.Error);
        item.PutIfSet("cause", record.Cause);
        return AwsCall.RunAsync($"PutItem ledger {record.Application}/{record.DeploymentId}", () =>
            client.PutItemAsync(new PutItemRequest { TableName = tableName, Item = item }, cancellationToken), cancellationToken);
    }

    public async Task<DeploymentRecord?> GetAsync(string application, string deploymentId, CancellationToken cancellationToken)
    {
        var found = await QueryAsync(application, int.MaxValue, deploymentId, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<DeploymentRecord>> ListAsync(string application, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return QueryAsync(application, limit, null, cancellationToken);
    }

    private Task<IReadOnlyList<DeploymentRecord>> QueryAsync(string application, int limit, string? deploymentId, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<DeploymentRecord>>($"Query ledger {application}", async () =>
        {
            var records = new List<DeploymentRecord>();
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var request = new QueryRequest
                {
                    TableName = tableName,
                    KeyConditionExpression = "pk = :pk AND begins_with(sk, :prefix)",
                    ExpressionAttributeValues = new() { [":pk"] = S($"APP#{application}"), [":prefix"] = S(Prefix) },
                    ScanIndexForward = false,
                    ExclusiveStartKey = start,
                };
                if (deploymentId is not null)
                {
                    request.FilterExpression = "deploymentId = :id";
                    request.ExpressionAttributeValues[":id"] = S(deploymentId);
                }
                else
                {
                    request.Limit = Math.Min(limit - records.Count, 100);
                }

                var page = await client.QueryAsync(request, cancellationToken).ConfigureAwait(false);
                records.AddRange((page.Items ?? []).Select(ToRecord));
                start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            }
            while (start is not null && records.Count < limit && (deploymentId is null || records.Count == 0));

            return records.Take(limit).ToList();
        }, cancellationToken);

    private static DeploymentRecord ToRecord(Dictionary<string, AttributeValue> item) => new(
        item.Text("application") ?? string.Empty,
        item.Text("deploymentId") ?? string.Empty,
        item.Text("result") ?? string.Empty,
        item.Text("imageId"),
        item.Text("previousImageId"),
        item.Text("colour"),
        item.Text("commit"),
        item.Text("repository"),
        item.Text("trigger"),
        item.Text("startedBy"),
        item.Timestamp("startedAt") ?? DateTimeOffset.MinValue,
        item.Timestamp("finishedAt"),
        item.Text("error"),
        item.Text("cause"));
}
