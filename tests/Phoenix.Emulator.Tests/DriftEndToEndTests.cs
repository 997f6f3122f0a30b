using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Domain;
using Phoenix.Emulator.Tests.Support;
using Phoenix.Lambda;
using Phoenix.Lambda.Handlers;
using Phoenix.Lambda.Logging;
using Phoenix.Lambda.Runtime;

namespace Phoenix.Emulator.Tests;

/// <summary>
/// Drift end to end: EventBridge-shaped events in the drift queue, received as the Lambda SQS event, handled by the
/// DriftHandler function as the Lambda host composes it over AWS (AwsPortsFactory), published to the drift topic, and
/// read back by the topic's SQS subscriber as AWS Chatbot would receive it.
/// </summary>
public sealed class DriftEndToEndTests(MotoServer moto) : EmulatorTest(moto), IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private EmulatorFleet _fleet = null!;
    private ChatChannel _driftChat = null!;
    private AmazonSQSClient _sqs = null!;
    private string _driftQueue = null!;
    private AwsPortsFactory _ports = null!;
    private ILambdaHandler _handler = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _fleet = Own(await EmulatorFleet.CreateAsync(Moto, capacity: 2));
        _driftChat = Own(await ChatChannel.CreateAsync(Moto, "phoenix-drift", "phoenix-drift-chat"));
        _sqs = Own(EmulatorFleet.CreateSqsClient(Moto));
        _driftQueue = (await _sqs.CreateQueueAsync("phoenix-drift-events")).QueueUrl;
        var environment = Moto.LambdaEnvironment(new Dictionary<string, string?>
        {
            ["_HANDLER"] = Composition.DriftHandlerKey,
            ["PHOENIX_TABLE"] = _fleet.TableName,
            ["PHOENIX_DRIFT_TOPIC_ARN"] = _driftChat.TopicArn,
        });

        // A Lambda function's environment is its process environment: the SDK's credential chain reads it there.
        Own(new ProcessEnvironment(environment));
        _ports = Own(new AwsPortsFactory(Environment.GetEnvironmentVariable));
        _handler = Composition.CreateHandlerTable(Environment.GetEnvironmentVariable, TimeProvider.System, _ports).Create(Composition.DriftHandlerKey);
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }

    [EmulatorFact]
    public async Task NonCompliantInstance_ThroughQueueHandlerAndTopic_ReachesChatAsChatbotJson()
    {
        var instance = (await _fleet.InstancesAsync(Colour.Blue))[0].InstanceId!;
        await SendAsync(ConfigEvent(instance, "NON_COMPLIANT", "Image ami-0aaaaaaaaaaaaaaaa differs from the launch template's image."));

        var response = await HandleNextBatchAsync();
        var chat = await _driftChat.ReceiveAsync();

        Assert.Empty(response["batchItemFailures"]!.AsArray());
        var message = Assert.Single(chat).Message;
        Assert.Equal(("1.0", "custom", "client-markdown"), ((string?)message["version"], (string?)message["source"], (string?)message["content"]!["textType"]));
        Assert.Equal($"Drift: {instance} no longer matches its image", (string?)message["content"]!["title"]);
        Assert.Contains("differs from the launch template's image", (string?)message["content"]!["description"], StringComparison.Ordinal);
        Assert.NotEmpty(message["content"]!["nextSteps"]!.AsArray());
        Assert.Equal("PhoenixDriftDetected", (string?)message["metadata"]!["eventType"]);
        Assert.False(string.IsNullOrEmpty((string?)message["metadata"]!["threadId"]));
        Assert.Contains(instance, (string?)message["metadata"]!["summary"], StringComparison.Ordinal);
        Assert.Contains(message["metadata"]!["relatedResources"]!.AsArray(), r => ((string?)r)?.Contains(instance, StringComparison.Ordinal) == true);
        Assert.Empty(await _fleet.ReceiveNotificationsAsync());
    }

    [EmulatorFact]
    public async Task SameMessageRedelivered_PostsOnce()
    {
        var instance = (await _fleet.InstancesAsync(Colour.Blue))[0].InstanceId!;
        await SendAsync(ConfigEvent(instance, "NON_COMPLIANT", "Image differs."));

        // First delivery: handled, but the message goes back to the queue (as after a Lambda timeout) and comes again.
        var first = await ReceiveAsync();
        await _handler.HandleAsync(SqsEvent(first), Context(), CancellationToken.None);
        await _sqs.ChangeMessageVisibilityAsync(_driftQueue, first[0].ReceiptHandle, 0);
        var again = await ReceiveAsync();
        var response = await _handler.HandleAsync(SqsEvent(again), Context(), CancellationToken.None);

        Assert.Equal(first[0].MessageId, again[0].MessageId);
        Assert.Empty(response!["batchItemFailures"]!.AsArray());
        Assert.Single(await _driftChat.ReceiveAsync());
    }

    [EmulatorFact]
    public async Task SameEventDeliveredTwiceInOneBatch_PostsOnce()
    {
        var instance = (await _fleet.InstancesAsync(Colour.Blue))[0].InstanceId!;
        var body = ConfigEvent(instance, "NON_COMPLIANT", "Image differs.");
        await SendAsync(body);
        await SendAsync(body);

        var response = await HandleNextBatchAsync(expected: 2);

        Assert.Empty(response["batchItemFailures"]!.AsArray());
        Assert.Single(await _driftChat.ReceiveAsync());
    }

    [EmulatorFact]
    public async Task Recovery_AfterAnAlert_PostsResolvedInTheSameThread()
    {
        var instance = (await _fleet.InstancesAsync(Colour.Blue))[0].InstanceId!;
        await SendAsync(ConfigEvent(instance, "NON_COMPLIANT", "Image differs."));
        await HandleNextBatchAsync();
        var alert = Assert.Single(await _driftChat.ReceiveAsync()).Message;

        await SendAsync(ConfigEvent(instance, "COMPLIANT", null));
        await HandleNextBatchAsync();
        var resolved = Assert.Single(await _driftChat.ReceiveAsync()).Message;

        Assert.Equal("PhoenixDriftResolved", (string?)resolved["metadata"]!["eventType"]);
        Assert.Equal((string?)alert["metadata"]!["threadId"], (string?)resolved["metadata"]!["threadId"]);
        Assert.StartsWith("Resolved: ", (string?)resolved["content"]!["title"], StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task FailedExecutionHoldingTheLock_ReleasesItAndPostsDeploymentStopped()
    {
        var execution = $"arn:aws:states:{MotoServer.RegionName}:{MotoServer.Account}:execution:phoenix-deploy:web-20261205T100000Z";
        using var dynamo = Moto.Clients().DynamoDb();
        var locks = new DeploymentLockAdapter(dynamo, _fleet.TableName, TimeProvider.System);
        Assert.True((await locks.TryAcquireAsync("web", execution, DateTimeOffset.UtcNow.AddDays(2), CancellationToken.None)).Acquired);
        await SendAsync(ExecutionEvent(execution, "TIMED_OUT"));

        var response = await HandleNextBatchAsync();

        Assert.Empty(response["batchItemFailures"]!.AsArray());
        Assert.Null(await locks.GetAsync("web", CancellationToken.None));
        var message = Assert.Single(await _driftChat.ReceiveAsync()).Message;
        Assert.Equal("PhoenixDeploymentStopped", (string?)message["metadata"]!["eventType"]);
        Assert.Contains("web-20261205T100000Z", message.ToJsonString(), StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task MalformedEvent_FailsOnlyItsOwnMessage()
    {
        var instance = (await _fleet.InstancesAsync(Colour.Blue))[0].InstanceId!;
        await SendAsync("{\"version\":\"0\",\"detail-type\":\"Config Rules Compliance Change\"");
        await SendAsync(ConfigEvent(instance, "NON_COMPLIANT", "Image differs."));

        var batch = await ReceiveAsync(expected: 2);
        var response = await _handler.HandleAsync(SqsEvent(batch), Context(), CancellationToken.None);

        var malformed = batch.Single(m => !m.Body.EndsWith('}')).MessageId;
        Assert.Equal([malformed], response!["batchItemFailures"]!.AsArray().Select(f => (string?)f!["itemIdentifier"]));
        Assert.Single(await _driftChat.ReceiveAsync());
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private Task<SendMessageResponse> SendAsync(string body) => _sqs.SendMessageAsync(_driftQueue, body);

    private async Task<List<Message>> ReceiveAsync(int expected = 1)
    {
        var messages = new List<Message>();
        for (var attempt = 0; attempt < 10 && messages.Count < expected; attempt++)
        {
            var batch = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = _driftQueue,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
                MessageSystemAttributeNames = ["All"],
            });
            messages.AddRange(batch.Messages ?? []);
        }

        Assert.Equal(expected, messages.Count);
        return messages;
    }

    /// <summary>Receives what is queued, hands it to the function as Lambda's SQS event source would, and deletes the batch (the function reported no failure).</summary>
    private async Task<JsonNode> HandleNextBatchAsync(int expected = 1)
    {
        var batch = await ReceiveAsync(expected);
        var response = await _handler.HandleAsync(SqsEvent(batch), Context(), CancellationToken.None);
        foreach (var message in batch)
        {
            await _sqs.DeleteMessageAsync(_driftQueue, message.ReceiptHandle);
        }

        return response!;
    }

    /// <summary>The event an SQS event source mapping delivers to the function.</summary>
    private static JsonObject SqsEvent(IEnumerable<Message> messages)
    {
        var records = new JsonArray();
        foreach (var message in messages)
        {
            var attributes = new JsonObject();
            foreach (var (name, value) in message.Attributes ?? [])
            {
                attributes[name] = value;
            }

            records.Add(new JsonObject
            {
                ["messageId"] = message.MessageId,
                ["receiptHandle"] = message.ReceiptHandle,
                ["body"] = message.Body,
                ["attributes"] = attributes,
                ["messageAttributes"] = new JsonObject(),
                ["md5OfBody"] = message.MD5OfBody,
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = $"arn:aws:sqs:{MotoServer.RegionName}:{MotoServer.Account}:phoenix-drift-events",
                ["awsRegion"] = MotoServer.RegionName,
            });
        }

        return new JsonObject { ["Records"] = records };
    }

    private static LambdaContext Context() => new(
        new Invocation(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddMinutes(1), $"arn:aws:lambda:{MotoServer.RegionName}:{MotoServer.Account}:function:phoenix-drift", null, ReadOnlyMemory<byte>.Empty),
        new JsonLog(Stream.Null, TimeProvider.System, Composition.DriftHandlerKey));

    private static string ConfigEvent(string instanceId, string compliance, string? annotation)
    {
        var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        JsonObject Result(string type) => new()
        {
            ["evaluationResultIdentifier"] = new JsonObject
            {
                ["evaluationResultQualifier"] = new JsonObject
                {
                    ["configRuleName"] = "phoenix-immutable-instance",
                    ["resourceType"] = "AWS::EC2::Instance",
                    ["resourceId"] = instanceId,
                    ["evaluationMode"] = "DETECTIVE",
                },
                ["orderingTimestamp"] = time,
            },
            ["complianceType"] = type,
            ["resultRecordedTime"] = time,
            ["configRuleInvokedTime"] = time,
        };
        var result = Result(compliance);
        if (annotation is not null)
        {
            result["annotation"] = annotation;
        }

        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "Config Rules Compliance Change",
            ["source"] = "aws.config",
            ["account"] = MotoServer.Account,
            ["time"] = time[..19] + "Z",
            ["region"] = MotoServer.RegionName,
            ["resources"] = new JsonArray(),
            ["detail"] = new JsonObject
            {
                ["resourceId"] = instanceId,
                ["awsRegion"] = MotoServer.RegionName,
                ["awsAccountId"] = MotoServer.Account,
                ["configRuleName"] = "phoenix-immutable-instance",
                ["recordVersion"] = "1.0",
                ["configRuleARN"] = $"arn:aws:config:{MotoServer.RegionName}:{MotoServer.Account}:config-rule/config-rule-a1b2c3",
                ["messageType"] = "ComplianceChangeNotification",
                ["newEvaluationResult"] = result,
                ["oldEvaluationResult"] = Result(compliance == "COMPLIANT" ? "NON_COMPLIANT" : "COMPLIANT"),
                ["notificationCreationTime"] = time,
                ["resourceType"] = "AWS::EC2::Instance",
            },
        }.ToJsonString();
    }

    private static string ExecutionEvent(string executionArn, string status)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "Step Functions Execution Status Change",
            ["source"] = "aws.states",
            ["account"] = MotoServer.Account,
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["region"] = MotoServer.RegionName,
            ["resources"] = new JsonArray { executionArn },
            ["detail"] = new JsonObject
            {
                ["executionArn"] = executionArn,
                ["stateMachineArn"] = executionArn[..executionArn.LastIndexOf(':')].Replace(":execution:", ":stateMachine:", StringComparison.Ordinal),
                ["name"] = executionArn[(executionArn.LastIndexOf(':') + 1)..],
                ["status"] = status,
                ["startDate"] = now - 60_000,
                ["stopDate"] = now,
                ["input"] = "{\"application\":\"web\",\"imageId\":\"ami-0000000000000000c\",\"source\":{\"trigger\":\"cli\"}}",
                ["inputDetails"] = new JsonObject { ["included"] = true },
                ["output"] = null,
                ["outputDetails"] = null,
                ["error"] = "States.Timeout",
                ["cause"] = "The execution timed out.",
            },
        }.ToJsonString();
    }
}
