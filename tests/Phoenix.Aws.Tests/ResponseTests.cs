using Phoenix.Aws.Adapters;
using Phoenix.Aws.AutoScaling.Model;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Aws.Tests.Support;
using Phoenix.Core;
using Elb = Phoenix.Aws.ElasticLoadBalancingV2.Model;

namespace Phoenix.Aws.Tests;

/// <summary>Parsing official-shaped responses: lists, empty lists, pagination tokens, timestamps, XML and JSON errors, retries.</summary>
public sealed class ResponseTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Responses", name));

    [Fact]
    public async Task DescribeAutoScalingGroupsAsync_OfficialXml_ReadsGroupsInstancesAndToken()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("DescribeAutoScalingGroups.xml")));

        var response = await TestClients.Factory(server).AutoScaling().DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest());

        var group = Assert.Single(response.AutoScalingGroups!);
        Assert.Equal(("web-green", 2, 4, 2, 120), (group.AutoScalingGroupName, group.MinSize, group.MaxSize, group.DesiredCapacity, group.HealthCheckGracePeriod));
        Assert.Equal(("lt-0abc1234", "7"), (group.LaunchTemplate!.LaunchTemplateId, group.LaunchTemplate.Version));
        Assert.Equal(["i-0aaa", "i-0bbb"], group.Instances!.Select(i => i.InstanceId));
        Assert.Equal(["InService", "Pending"], group.Instances!.Select(i => i.LifecycleState));
        Assert.Equal("6", group.Instances![1].LaunchTemplate!.Version);
        Assert.Equal(["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/73e2d6bc24d8a067"], group.TargetGroupARNs);
        Assert.Equal("page-2", response.NextToken);
    }

    [Fact]
    public async Task DescribeAutoScalingGroupAsync_EmptyList_ReturnsNull()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(
            "<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><DescribeAutoScalingGroupsResult>" +
            "<AutoScalingGroups/></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>"));

        var group = await new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeAutoScalingGroupAsync("web-blue", CancellationToken.None);

        Assert.Null(group);
    }

    [Fact]
    public async Task DescribeTargetHealthAsync_OfficialXml_MapsStatesAndReasons()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(
            "<DescribeTargetHealthResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><DescribeTargetHealthResult><TargetHealthDescriptions>" +
            "<member><HealthCheckPort>80</HealthCheckPort><TargetHealth><State>healthy</State></TargetHealth><Target><Port>80</Port><Id>i-0aaa</Id></Target></member>" +
            "<member><TargetHealth><State>draining</State><Reason>Target.DeregistrationInProgress</Reason><Description>Target deregistration is in progress</Description></TargetHealth>" +
            "<Target><Port>80</Port><Id>i-0bbb</Id></Target></member>" +
            "</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeTargetHealthResponse>"));

        var health = await new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).DescribeTargetHealthAsync("arn:tg", CancellationToken.None);

        Assert.Equal(
            [new("i-0aaa", "healthy", null), new Core.Ports.TargetHealthDescription("i-0bbb", "draining", "Target.DeregistrationInProgress")],
            health);
    }

    [Fact]
    public async Task GetExecutionHistoryAsync_OfficialJson_ReadsEventsEpochTimestampsAndToken()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(Fixture("GetExecutionHistory.json")));

        var history = await TestClients.Factory(server).StepFunctions().GetExecutionHistoryAsync(new GetExecutionHistoryRequest { ExecutionArn = "arn" });

        Assert.Equal(["ExecutionStarted", "TaskStateEntered", "LambdaFunctionFailed", "ExecutionFailed"], history.Events!.Select(e => e.Type));
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, 123, DateTimeKind.Utc), history.Events![0].Timestamp);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 3, DateTimeKind.Utc), history.Events![3].Timestamp);
        Assert.Equal("Validate", history.Events![1].StateEnteredEventDetails!.Name);
        Assert.Equal("ValidationFailed", history.Events![2].LambdaFunctionFailedEventDetails!.Error);
        Assert.Equal("page-2", history.NextToken);
    }

    [Fact]
    public async Task ListExecutionsAsync_EmptyJsonList_ReturnsEmptyAndNoToken()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json("{\"executions\":[]}"));

        var response = await TestClients.Factory(server).StepFunctions().ListExecutionsAsync(new ListExecutionsRequest { StateMachineArn = "arn" });

        Assert.Empty(response.Executions!);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task DescribeListenersAsync_XmlErrorBody_ThrowsTypedExceptionWithoutRetry()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(
            "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\"><Error><Type>Sender</Type><Code>ListenerNotFound</Code>" +
            "<Message>One or more listeners not found</Message></Error><RequestId>r-404</RequestId></ErrorResponse>",
            400));

        var error = await Assert.ThrowsAsync<ListenerNotFoundException>(() =>
            TestClients.Factory(server, maxErrorRetry: 3).ElasticLoadBalancingV2().DescribeListenersAsync(new Elb.DescribeListenersRequest { ListenerArns = ["arn:l"] }));

        Assert.Equal(("ListenerNotFound", "One or more listeners not found"), (error.ErrorCode, error.Message));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task DescribeExecutionAsync_JsonErrorBody_ThrowsTypedExceptionWithoutRetry()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(
            "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist: 'arn:x'\"}", 400));

        var error = await Assert.ThrowsAsync<ExecutionDoesNotExistException>(() =>
            TestClients.Factory(server, maxErrorRetry: 3).StepFunctions().DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "arn:x" }));

        Assert.Equal("Execution Does Not Exist: 'arn:x'", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task SetDesiredCapacityAsync_ThrottledThenOk_RetriedBySdk()
    {
        var calls = 0;
        using var server = new LoopbackServer(request => Interlocked.Increment(ref calls) == 1
            ? CannedResponse.Xml("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>", 400)
            : TestClients.EmptySuccess(request));

        await new AutoScalingAdapter(TestClients.Factory(server, maxErrorRetry: 2).AutoScaling()).SetDesiredCapacityAsync("web-blue", 0, CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task SendTaskSuccessAsync_AlwaysThrottled_TransientFailureAfterRetries()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}", 400));
        var client = TestClients.Factory(server, maxErrorRetry: 2).StepFunctions();

        var error = await Assert.ThrowsAsync<TransientFailure>(() => AwsCallProbe.RunAsync(() => client.SendTaskSuccessAsync(new SendTaskSuccessRequest { TaskToken = "t", Output = "{}" })));

        Assert.Contains("ThrottlingException", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task DescribeListenerWeightsAsync_WeightedForward_ReadsWeights()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(
            "<DescribeListenersResponse><DescribeListenersResult><Listeners><member><ListenerArn>arn:l</ListenerArn><Port>443</Port><DefaultActions><member><Type>forward</Type>" +
            "<ForwardConfig><TargetGroups><member><TargetGroupArn>arn:blue</TargetGroupArn><Weight>90</Weight></member><member><TargetGroupArn>arn:green</TargetGroupArn><Weight>10</Weight></member></TargetGroups>" +
            "<TargetGroupStickinessConfig><Enabled>false</Enabled></TargetGroupStickinessConfig></ForwardConfig></member></DefaultActions></member></Listeners></DescribeListenersResult></DescribeListenersResponse>"));

        var weights = await new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).DescribeListenerWeightsAsync("arn:l", CancellationToken.None);

        Assert.Equal([new("arn:blue", 90), new Core.Ports.TargetGroupWeight("arn:green", 10)], weights);
    }
}
