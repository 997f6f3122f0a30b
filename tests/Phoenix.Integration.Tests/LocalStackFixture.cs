using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Phoenix.Aws;
using Testcontainers.LocalStack;

namespace Phoenix.Integration.Tests;

/// <summary>One LocalStack container for the whole class, and the Phoenix table created in it as contracts.md defines it.</summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    public const string Table = "phoenix-it";

    private LocalStackContainer? _container;

    public AwsClientFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (DockerEngine.Unavailable is not null)
        {
            return;
        }

        _container = new LocalStackBuilder("localstack/localstack:3.8").Build();
        await _container.StartAsync();
        Factory = new AwsClientFactory(new AwsClientSettings(
            Region: "us-east-1",
            EndpointUrl: _container.GetConnectionString(),
            Credentials: new BasicAWSCredentials("test", "test")));
        using var dynamo = Factory.DynamoDb();
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
        });
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }
}
