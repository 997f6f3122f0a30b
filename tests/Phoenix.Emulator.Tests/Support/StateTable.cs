using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Phoenix.Emulator.Tests.Support;

/// <summary>The lock/ledger/dedupe table as the pipeline stack defines it: pk/sk strings, on-demand, TTL on <c>ttl</c>.</summary>
public static class StateTable
{
    public static async Task CreateAsync(IAmazonDynamoDB dynamo, string tableName)
    {
        ArgumentNullException.ThrowIfNull(dynamo);
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = tableName,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        await dynamo.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = tableName,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "ttl", Enabled = true },
        });
    }
}
