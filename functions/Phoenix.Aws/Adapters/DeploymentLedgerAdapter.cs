using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Phoenix.Core.Ports;
using static Phoenix.Aws.Adapters.DynamoDbItems;
using Capacity = Phoenix.Core.Domain.Capacity;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// The ledger: pk=<c>APP#{application}</c>, sk=<c>DEPLOY#{startedAt yyyy-MM-ddTHH:mm:ssZ}#{deploymentId}</c>, so a
/// Query on the partition in reverse sort-key order lists an application's deployments newest first. The restore point is a
/// map attribute <c>restore</c> (<c>previousColour</c>, <c>previousCapacity</c> {min, max, desired}, <c>targetColour</c>,
/// <c>suspendedProcesses</c> {group: [process…]}), readable in the console; items written before it existed have none.
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
        item.PutIfSet("warning", record.Warning);
        item.PutIfSet("approvalToken", record.ApprovalToken);
        if (record.Restore is { } restore)
        {
            item["restore"] = ToAttribute(restore);
        }

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
        item.Text("cause"),
        item.TryGetValue("restore", out var restore) && restore.NULL != true ? ToRestorePoint(restore, item) : null,
        item.Text("warning"),
        item.Text("approvalToken"));

    private static AttributeValue ToAttribute(RestorePoint restore)
    {
        ArgumentNullException.ThrowIfNull(restore.SuspendedProcesses);
        var map = new Dictionary<string, AttributeValue>
        {
            ["targetColour"] = S(restore.TargetColour),
            ["suspendedProcesses"] = new()
            {
                M = restore.SuspendedProcesses.ToDictionary(
                    p => p.Key,
                    p => new AttributeValue { L = p.Value.Select(S).ToList() },
                    StringComparer.Ordinal),
            },
        };
        map.PutIfSet("previousColour", restore.PreviousColour);
        if (restore.TrafficMoved)
        {
            map["trafficMoved"] = new() { BOOL = true };
        }

        if (restore.PreviousCapacity is { } capacity)
        {
            map["previousCapacity"] = new() { M = new() { ["min"] = N(capacity.Min), ["max"] = N(capacity.Max), ["desired"] = N(capacity.Desired) } };
        }

        return new AttributeValue { M = map };
    }

    // A restore point is what a cleanup acts on: one that cannot be read whole is an error naming the item, never a partial restore.
    private static RestorePoint ToRestorePoint(AttributeValue value, Dictionary<string, AttributeValue> item)
    {
        string Where() => $"ledger item {item.Text("application")}/{item.Text("deploymentId")}";
        var map = value.M is { } m
            ? m
            : throw new InvalidDataException($"The restore point of {Where()} is not a map.");
        var target = map.Text("targetColour") ?? throw new InvalidDataException($"The restore point of {Where()} has no targetColour.");
        Capacity? capacity = null;
        if (map.TryGetValue("previousCapacity", out var sizes) && sizes.NULL != true)
        {
            var c = sizes.M ?? throw new InvalidDataException($"The restore point's previousCapacity of {Where()} is not a map.");
            capacity = new Capacity(Size(c, "min"), Size(c, "max"), Size(c, "desired"));
        }

        var suspended = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (map.TryGetValue("suspendedProcesses", out var groups) && groups.M is { } byGroup)
        {
            foreach (var (group, processes) in byGroup)
            {
                suspended[group] = (processes.L ?? [])
                    .Select(p => p.S ?? throw new InvalidDataException($"A suspended process of group '{group}' in {Where()} is not a string."))
                    .ToList();
            }
        }

        var trafficMoved = map.TryGetValue("trafficMoved", out var moved) && moved.BOOL == true;
        return new RestorePoint(map.Text("previousColour"), capacity, target, suspended, trafficMoved);

        int Size(Dictionary<string, AttributeValue> c, string name) =>
            c.TryGetValue(name, out var n) && n.N is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size)
                ? size
                : throw new InvalidDataException($"The restore point's previousCapacity.{name} of {Where()} is not a whole number.");
    }
}
