using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Phoenix.Aws;
using Phoenix.Lambda.Handlers;
using Phoenix.Lambda.Logging;
using Phoenix.Lambda.Runtime;
using Phoenix.Lambda.Tests.Support;

namespace Phoenix.Lambda.Tests;

/// <summary>
/// The deployed composition (handler table over <see cref="AwsPortsFactory"/>) builds only what the invoked handler
/// needs: each AWS client is created on its port's first call. Clients are counted as the factory hands them out.
/// </summary>
public sealed class AwsCompositionTests
{
    /// <summary>Real clients (pointed at <paramref name="endpoint"/>), counted per service as they are created.</summary>
    private sealed class CountingClients(string endpoint)
    {
        private readonly ConcurrentDictionary<string, int> _created = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, int> Created => _created;

        public AwsClients Create(AwsClientSettings settings)
        {
            var factory = new AwsClientFactory(settings with
            {
                EndpointUrl = endpoint,
                Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            });
            return new AwsClients(
                () => Count("AutoScaling", factory.AutoScaling),
                () => Count("ElasticLoadBalancingV2", factory.ElasticLoadBalancingV2),
                () => Count("CloudWatch", factory.CloudWatch),
                () => Count("SimpleNotificationService", factory.SimpleNotificationService),
                () => Count("ConfigService", factory.ConfigService),
                () => Count("CodeBuild", factory.CodeBuild),
                () => Count("EC2", factory.Ec2),
                () => Count("DynamoDB", factory.DynamoDb),
                () => Count("SSM", factory.SimpleSystemsManagement));
        }

        private T Count<T>(string service, Func<T> create)
        {
            _created.AddOrUpdate(service, 1, (_, count) => count + 1);
            return create();
        }
    }

    private static readonly Dictionary<string, string?> Environment = new(StringComparer.Ordinal)
    {
        ["PHOENIX_TABLE"] = "phoenix-test",
        ["PHOENIX_DRIFT_TOPIC_ARN"] = "arn:aws:sns:eu-west-1:123456789012:phoenix-drift",
        ["AWS_REGION"] = "eu-west-1",
    };

    private static HandlerTable Table(AwsPortsFactory ports) =>
        Composition.CreateHandlerTable(name => Environment.GetValueOrDefault(name), TimeProvider.System, ports);

    private static LambdaContext Context(string requestId) =>
        new(new Invocation(requestId, DateTimeOffset.UtcNow.AddMinutes(1), FakeRuntimeApi.FunctionArn, null, ReadOnlyMemory<byte>.Empty),
            new JsonLog(Stream.Null, TimeProvider.System, "Validate"));

    [Fact]
    public async Task Validate_TwoInvocations_CreatesEachClientItReadsOnce()
    {
        await using var ssm = FakeSsmEndpoint.Start(new Dictionary<string, string>
        {
            ["/phoenix/apps/web/topology"] = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "topology-web.json")),
        });
        var clients = new CountingClients(ssm.Url);
        using var ports = new AwsPortsFactory(name => Environment.GetValueOrDefault(name), clients.Create);
        var handler = Table(ports).Create("Validate");
        Assert.Empty(clients.Created);

        var first = await handler.HandleAsync(JsonNode.Parse("""{"request":{"application":"web"}}"""), Context("req-1"), CancellationToken.None);
        var second = await handler.HandleAsync(JsonNode.Parse("""{"request":{"application":"web"}}"""), Context("req-2"), CancellationToken.None);

        Assert.Equal("web", (string?)first!["request"]!["application"]);
        Assert.Equal("web", (string?)second!["request"]!["application"]);
        // Validate reads the topology (SSM) and, before anything changes, the bake project's source (no imageId), the groups,
        // the listener and the alarms.
        Assert.Equal(
            new Dictionary<string, int> { ["AutoScaling"] = 1, ["CloudWatch"] = 1, ["CodeBuild"] = 1, ["ElasticLoadBalancingV2"] = 1, ["SSM"] = 1 },
            clients.Created.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value));
    }

    [Fact]
    public void Create_EveryHandler_CreatesNoClientBeforeItsFirstCall()
    {
        var clients = new CountingClients("http://127.0.0.1:9");
        using var ports = new AwsPortsFactory(name => Environment.GetValueOrDefault(name), clients.Create);
        var table = Table(ports);

        foreach (var key in table.Keys)
        {
            Assert.NotNull(table.Create(key));
        }

        Assert.Empty(clients.Created);
    }

    [Fact]
    public void Create_WithoutTable_FailsAtInitNamingTheVariable()
    {
        var clients = new CountingClients("http://127.0.0.1:9");
        using var ports = new AwsPortsFactory(name => name == "PHOENIX_TABLE" ? null : Environment.GetValueOrDefault(name), clients.Create);

        var error = Assert.Throws<ArgumentException>(() => Table(ports).Create("Validate"));

        Assert.Contains("PHOENIX_TABLE", error.Message, StringComparison.Ordinal);
    }
}
