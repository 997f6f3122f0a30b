using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Phoenix.Core.Drift;
using static Phoenix.Aws.Adapters.DynamoDbItems;

namespace Phoenix.Aws.Adapters;

/// <summary>Drift alert dedupe items pk=<c>DRIFT#{key}</c>, sk=<c>DEDUPE</c>, written with the conditions IDriftDedupeStore documents.</summary>
public sealed class DriftDedupeAdapter(IAmazonDynamoDB client, string tableName) : IDriftDedupeStore
{
    public Task<DedupeClaim> TryOpenAsync(DriftMark mark, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        return ConditionalPutAsync(
            mark,
            "attribute_not_exists(pk) OR #open = :false OR #state <> :state OR windowEndsAt <= :now",
            new() { [":false"] = Bool(false), [":state"] = S(mark.State), [":now"] = N(now.ToUnixTimeSeconds()) },
            cancellationToken);
    }

    public Task<DedupeClaim> TryResolveAsync(DriftMark mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        return ConditionalPutAsync(mark, "#open = :true", new() { [":true"] = Bool(true) }, cancellationToken);
    }

    public async Task RestoreAsync(DriftMark applied, DriftMark? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applied);
        const string StillApplied = "#state = :appliedState AND #open = :appliedOpen AND windowEndsAt = :appliedWindow";
        var values = new Dictionary<string, AttributeValue>
        {
            [":appliedState"] = S(applied.State),
            [":appliedOpen"] = Bool(applied.Open),
            [":appliedWindow"] = N(applied.WindowEndsAt.ToUnixTimeSeconds()),
        };
        try
        {
            if (previous is null)
            {
                await AwsCall.RunAsync($"DeleteItem drift {applied.Key}", () => client.DeleteItemAsync(
                    new DeleteItemRequest
                    {
                        TableName = tableName,
                        Key = new() { ["pk"] = S($"DRIFT#{applied.Key}"), ["sk"] = S("DEDUPE") },
                        ConditionExpression = StillApplied,
                        ExpressionAttributeNames = Names,
                        ExpressionAttributeValues = values,
                    },
                    cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AwsCall.RunAsync($"PutItem drift {applied.Key}", () => client.PutItemAsync(
                    new PutItemRequest
                    {
                        TableName = tableName,
                        Item = Item(previous),
                        ConditionExpression = StillApplied,
                        ExpressionAttributeNames = Names,
                        ExpressionAttributeValues = values,
                    },
                    cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ConditionalCheckFailedException)
        {
            // Someone has written the key since; their state wins and there is nothing of ours to undo.
        }
    }

    private static Dictionary<string, string> Names => new() { ["#state"] = "state", ["#open"] = "open" };

    private async Task<DedupeClaim> ConditionalPutAsync(
        DriftMark mark, string condition, Dictionary<string, AttributeValue> values, CancellationToken cancellationToken)
    {
        try
        {
            var response = await AwsCall.RunAsync($"PutItem drift {mark.Key}", () => client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = tableName,
                    Item = Item(mark),
                    ConditionExpression = condition,
                    ExpressionAttributeNames = condition.Contains("#state", StringComparison.Ordinal) ? Names : new() { ["#open"] = "open" },
                    ExpressionAttributeValues = values,
                    ReturnValues = ReturnValue.ALL_OLD,
                },
                cancellationToken), cancellationToken).ConfigureAwait(false);
            return new DedupeClaim(true, response.Attributes is { Count: > 0 } old ? ToMark(old) : null);
        }
        catch (ConditionalCheckFailedException)
        {
            return new DedupeClaim(false, null);
        }
    }

    private static Dictionary<string, AttributeValue> Item(DriftMark mark) => new()
    {
        ["pk"] = S($"DRIFT#{mark.Key}"),
        ["sk"] = S("DEDUPE"),
        ["key"] = S(mark.Key),
        ["state"] = S(mark.State),
        ["open"] = Bool(mark.Open),
        ["windowEndsAt"] = N(mark.WindowEndsAt.ToUnixTimeSeconds()),
        ["ttl"] = N(mark.ExpiresAt.ToUnixTimeSeconds()),
    };

    private static DriftMark ToMark(Dictionary<string, AttributeValue> item) => new(
        item.Text("key") ?? string.Empty,
        item.Text("state") ?? string.Empty,
        item.TryGetValue("open", out var open) && open.BOOL == true,
        item.Epoch("windowEndsAt"),
        item.Epoch("ttl"));
}
