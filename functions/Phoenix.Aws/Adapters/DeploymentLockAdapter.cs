using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Phoenix.Core.Ports;
using static Phoenix.Aws.Adapters.DynamoDbItems;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// The deployment lock: item pk=<c>APP#{application}</c>, sk=<c>LOCK</c>. Acquire is one conditional PutItem —
/// DynamoDB evaluates the condition and writes atomically, so of two executions racing exactly one succeeds; the
/// other reads the winner back. An expired lock may be taken over; the TTL only tidies the table.
/// </summary>
public sealed class DeploymentLockAdapter(IAmazonDynamoDB client, string tableName, TimeProvider time) : IDeploymentLock
{
    public async Task<LockAttempt> TryAcquireAsync(string application, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var item = new Dictionary<string, AttributeValue>
        {
            ["pk"] = S(Key(application)),
            ["sk"] = S("LOCK"),
            ["owner"] = S(owner),
            ["acquiredAt"] = Time(now),
            ["expiresAt"] = N(expiresAt.ToUnixTimeSeconds()),
            ["ttl"] = N(expiresAt.ToUnixTimeSeconds()),
        };
        try
        {
            await AwsCall.RunAsync($"PutItem lock {application}", () => client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = tableName,
                    Item = item,
                    ConditionExpression = "attribute_not_exists(pk) OR #owner = :owner OR expiresAt <= :now",
                    ExpressionAttributeNames = new() { ["#owner"] = "owner" },
                    ExpressionAttributeValues = new() { [":owner"] = S(owner), [":now"] = N(now.ToUnixTimeSeconds()) },
                },
                cancellationToken), cancellationToken).ConfigureAwait(false);
            return new LockAttempt(true, new DeploymentLockRecord(application, owner, TruncateToSeconds(now), DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds())));
        }
        catch (ConditionalCheckFailedException)
        {
            // The holder may release between our failed write and this read; report the lock as free-but-missed
            // rather than retrying here, so the step's own retry decides.
            var holder = await GetAsync(application, cancellationToken).ConfigureAwait(false)
                ?? new DeploymentLockRecord(application, string.Empty, now, now);
            return new LockAttempt(false, holder);
        }
    }

    public async Task<bool> ReleaseAsync(string application, string owner, CancellationToken cancellationToken)
    {
        try
        {
            await AwsCall.RunAsync($"DeleteItem lock {application}", () => client.DeleteItemAsync(
                new DeleteItemRequest
                {
                    TableName = tableName,
                    Key = LockKey(application),
                    ConditionExpression = "#owner = :owner",
                    ExpressionAttributeNames = new() { ["#owner"] = "owner" },
                    ExpressionAttributeValues = new() { [":owner"] = S(owner) },
                },
                cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task<DeploymentLockRecord?> GetAsync(string application, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<DeploymentLockRecord?>($"GetItem lock {application}", async () =>
        {
            var response = await client.GetItemAsync(
                new GetItemRequest { TableName = tableName, Key = LockKey(application), ConsistentRead = true }, cancellationToken).ConfigureAwait(false);
            var item = response.Item;
            return item is null || item.Count == 0
                ? null
                : new DeploymentLockRecord(application, item.Text("owner") ?? string.Empty, item.Timestamp("acquiredAt") ?? DateTimeOffset.MinValue, item.Epoch("expiresAt"));
        }, cancellationToken);

    private static string Key(string application) => $"APP#{application}";

    private static Dictionary<string, AttributeValue> LockKey(string application) => new() { ["pk"] = S(Key(application)), ["sk"] = S("LOCK") };

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());
}
