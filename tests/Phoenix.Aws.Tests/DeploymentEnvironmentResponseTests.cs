using Phoenix.Aws.Adapters;
using Phoenix.Aws.CloudFormation;
using Phoenix.Aws.Tests.Support;
using Phoenix.Core.Ports;

namespace Phoenix.Aws.Tests;

/// <summary>
/// The responses <c>phoenix doctor</c> reads, through <see cref="DeploymentEnvironmentAdapter"/>: recorded from moto
/// (Fixtures/Responses/record.py) where moto produces the shape; hand-written, and saying so, where it cannot (a subscription
/// waiting for confirmation, a second page, an unencrypted topic, a failed recorder, CloudFormation's status words).
/// </summary>
public sealed class DeploymentEnvironmentResponseTests
{
    private const string Topic = "arn:aws:sns:us-east-1:123456789012:phoenix-deployments";
    private static readonly CancellationToken None = CancellationToken.None;

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Responses", name));

    [Fact]
    public async Task DescribeStackAsync_RecordedXml_ReadsStatusAndOutputs()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("DescribeStacks.xml")));

        var stack = await Adapter(server).DescribeStackAsync("PhoenixPipeline", None);

        Assert.Equal("CREATE_COMPLETE", stack!.Status);
        Assert.Equal(["StateMachineArn", "TableName"], stack.Outputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("phoenix-table", stack.Outputs["TableName"]);
        Assert.Equal("arn:aws:states:us-east-1:123456789012:stateMachine:phoenix-deploy", stack.Outputs["StateMachineArn"]);
        Assert.Contains("StackName=PhoenixPipeline", Assert.Single(server.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeStackAsync_RecordedValidationErrorForAnUnknownStack_ReturnsNull()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("DescribeStacks.NotFound.xml"), 400));

        Assert.Null(await Adapter(server).DescribeStackAsync("PhoenixNobody", None));
    }

    /// <summary>Hand-written: a ValidationError about something else (a malformed name) is an error, not "no such stack".</summary>
    [Fact]
    public async Task DescribeStackAsync_OtherValidationError_Throws()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(
            "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>ValidationError</Code>"
            + "<Message>1 validation error detected: Value 'a b' at 'stackName' failed to satisfy constraint</Message></Error><RequestId>r</RequestId></ErrorResponse>",
            400));

        var error = await Assert.ThrowsAsync<ValidationErrorException>(() => Adapter(server).DescribeStackAsync("a b", None));

        Assert.StartsWith("1 validation error detected", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Hand-written: the status and reason AWS gives a stack whose creation failed (moto's stand-in stacks always complete).</summary>
    [Fact]
    public async Task DescribeStackAsync_HandwrittenRolledBackStackWithoutOutputs_ReadsStatus()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(
            "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><DescribeStacksResult><Stacks><member>"
            + "<StackName>PhoenixPipeline</StackName><StackStatus>ROLLBACK_COMPLETE</StackStatus><StackStatusReason>The following resource(s) failed to create: [StateTable].</StackStatusReason>"
            + "<CreationTime>2026-12-01T10:00:00.123Z</CreationTime></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>"));

        var stack = await Adapter(server).DescribeStackAsync("PhoenixPipeline", None);

        Assert.Equal("ROLLBACK_COMPLETE", stack!.Status);
        Assert.Empty(stack.Outputs);
    }

    [Fact]
    public async Task DescribeTopicAsync_RecordedXml_ReadsKeyFromTheAttributeMapAndTheSubscription()
    {
        using var server = new LoopbackServer(r => CannedResponse.Xml(Fixture(r.Body.Contains("Action=GetTopicAttributes", StringComparison.Ordinal)
            ? "GetTopicAttributes.xml"
            : "ListSubscriptionsByTopic.xml")));

        var topic = await Adapter(server).DescribeTopicAsync(Topic, None);

        Assert.Equal("alias/phoenix", topic!.KmsMasterKeyId);
        Assert.Equal([new TopicSubscription("sqs", "arn:aws:sqs:us-east-1:123456789012:phoenix-chat", Confirmed: true)], topic.Subscriptions);
    }

    [Fact]
    public async Task DescribeTopicAsync_RecordedNotFound_ReturnsNull()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("GetTopicAttributes.NotFound.xml"), 404));

        Assert.Null(await Adapter(server).DescribeTopicAsync(Topic + "-gone", None));
        Assert.Single(server.Requests);
    }

    /// <summary>
    /// Hand-written: moto confirms every subscription at once and never pages; AWS lists an unconfirmed one as
    /// <c>PendingConfirmation</c> and pages by NextToken. A topic without KmsMasterKeyId is not encrypted.
    /// </summary>
    [Fact]
    public async Task DescribeTopicAsync_HandwrittenPendingAndTwoPagesUnencrypted_ReadsEveryPage()
    {
        const string head = "<ListSubscriptionsByTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListSubscriptionsByTopicResult><Subscriptions>";
        using var server = new LoopbackServer(r =>
            r.Body.Contains("Action=GetTopicAttributes", StringComparison.Ordinal)
                ? CannedResponse.Xml("<GetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><GetTopicAttributesResult><Attributes>"
                    + $"<entry><key>TopicArn</key><value>{Topic}</value></entry><entry><key>DisplayName</key><value/></entry>"
                    + "</Attributes></GetTopicAttributesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTopicAttributesResponse>")
                : r.Body.Contains("NextToken=page-2", StringComparison.Ordinal)
                    ? CannedResponse.Xml(head + "<member><SubscriptionArn>PendingConfirmation</SubscriptionArn><Protocol>email</Protocol><Endpoint>ops@example.com</Endpoint></member>"
                        + "</Subscriptions></ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListSubscriptionsByTopicResponse>")
                    : CannedResponse.Xml(head + $"<member><SubscriptionArn>{Topic}:1</SubscriptionArn><Protocol>https</Protocol><Endpoint>https://global.sns-api.chatbot.amazonaws.com</Endpoint></member>"
                        + "</Subscriptions><NextToken>page-2</NextToken></ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListSubscriptionsByTopicResponse>"));

        var topic = await Adapter(server).DescribeTopicAsync(Topic, None);

        Assert.Null(topic!.KmsMasterKeyId);
        Assert.Equal(
            [new TopicSubscription("https", "https://global.sns-api.chatbot.amazonaws.com", Confirmed: true), new TopicSubscription("email", "ops@example.com", Confirmed: false)],
            topic.Subscriptions);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task DescribeStateMachineStatusAsync_RecordedJson_ReadsStatus()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(Fixture("DescribeStateMachine.json")));

        Assert.Equal("ACTIVE", await Adapter(server).DescribeStateMachineStatusAsync("arn:aws:states:us-east-1:123456789012:stateMachine:phoenix-deploy", None));
    }

    [Fact]
    public async Task DescribeStateMachineStatusAsync_RecordedDoesNotExist_ReturnsNull()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(Fixture("DescribeStateMachine.DoesNotExist.json"), 400));

        Assert.Null(await Adapter(server).DescribeStateMachineStatusAsync("arn:aws:states:us-east-1:123456789012:stateMachine:phoenix-deploy-gone", None));
    }

    [Fact]
    public async Task DescribeConfigurationRecorderStatusAsync_RecordedJson_ReadsTheCamelCaseMembers()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(Fixture("DescribeConfigurationRecorderStatus.json")));

        var recorders = await Adapter(server).DescribeConfigurationRecorderStatusAsync(None);

        Assert.Equal([new RecorderStatus("default", true, "PENDING", null, null)], recorders);
    }

    /// <summary>Hand-written after the API reference: a recorder whose last recording failed (moto's never fail), and a stopped one.</summary>
    [Fact]
    public async Task DescribeConfigurationRecorderStatusAsync_HandwrittenFailureAndStopped_ReadsErrorAndTimes()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(
            "{\"ConfigurationRecordersStatus\":[{\"name\":\"default\",\"recording\":true,\"lastStatus\":\"Failure\",\"lastErrorCode\":\"AccessDenied\","
            + "\"lastErrorMessage\":\"Access Denied\",\"lastStartTime\":1.764583E9,\"lastStatusChangeTime\":1764583200.5},"
            + "{\"name\":\"backup\",\"recording\":false,\"lastStopTime\":1764583200}]}"));

        var recorders = await Adapter(server).DescribeConfigurationRecorderStatusAsync(None);

        Assert.Equal([new RecorderStatus("default", true, "Failure", "AccessDenied", "Access Denied"), new RecorderStatus("backup", false, null, null, null)], recorders);
    }

    private static DeploymentEnvironmentAdapter Adapter(LoopbackServer server)
    {
        var factory = TestClients.Factory(server);
        return new DeploymentEnvironmentAdapter(
            factory.CloudFormation(), factory.SimpleSystemsManagement(), factory.DynamoDb(), factory.StepFunctions(), factory.ConfigService(), factory.SimpleNotificationService());
    }
}
