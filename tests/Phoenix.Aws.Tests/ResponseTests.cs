using Phoenix.Core.Ports;
using System.Text.RegularExpressions;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.AutoScaling.Model;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Aws.Tests.Support;
using Phoenix.Core;
using Elb = Phoenix.Aws.ElasticLoadBalancingV2.Model;

namespace Phoenix.Aws.Tests;

/// <summary>
/// Parsing responses: lists, empty lists, pagination tokens, timestamps, XML and JSON errors, retries. The fixtures
/// were recorded from moto, an AWS emulator nobody here wrote (Fixtures/Responses/record.py); the few shapes moto cannot
/// produce (a draining target, a paged history with Lambda failures, throttling) are hand-written and say so.
/// </summary>
public sealed partial class ResponseTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Responses", name));

    [Fact]
    public async Task DescribeAutoScalingGroupsAsync_RecordedXml_ReadsGroupsInstancesAndToken()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("DescribeAutoScalingGroups.xml")));

        var response = await TestClients.Factory(server).AutoScaling().DescribeAutoScalingGroupsAsync(new DescribeAutoScalingGroupsRequest { MaxRecords = 1 });

        var group = Assert.Single(response.AutoScalingGroups!);
        Assert.Equal(("web-blue", 2, 4, 2, 120), (group.AutoScalingGroupName, group.MinSize, group.MaxSize, group.DesiredCapacity, group.HealthCheckGracePeriod));
        Assert.Matches(LaunchTemplateId(), group.LaunchTemplate!.LaunchTemplateId);
        Assert.Equal("2", group.LaunchTemplate.Version);
        Assert.Equal(2, group.Instances!.Count);
        Assert.All(group.Instances, i => Assert.Matches(InstanceId(), i.InstanceId));
        Assert.All(group.Instances, i => Assert.Equal(("InService", "Healthy", group.LaunchTemplate.LaunchTemplateId), (i.LifecycleState, i.HealthStatus, i.LaunchTemplate!.LaunchTemplateId)));
        Assert.All(group.Instances, i => Assert.Contains(i.AvailabilityZone, new[] { "us-east-1a", "us-east-1b" }));
        Assert.Matches("^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/[0-9a-f]{16}$", Assert.Single(group.TargetGroupARNs!));
        Assert.Equal("web-blue", response.NextToken);
        Assert.NotNull(response.ResponseMetadata.RequestId);
    }

    [Fact]
    public async Task DescribeAutoScalingGroupAsync_RecordedEmptyList_ReturnsNull()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("DescribeAutoScalingGroups.empty.xml")));

        var group = await new AutoScalingAdapter(TestClients.Factory(server).AutoScaling()).DescribeAutoScalingGroupAsync("web-blue", CancellationToken.None);

        Assert.Null(group);
    }

    [Fact]
    public async Task DescribeTargetHealthAsync_RecordedXml_ReadsTargetsAndStates()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("DescribeTargetHealth.xml")));

        var health = await new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).DescribeTargetHealthAsync("arn:tg", CancellationToken.None);

        Assert.Equal(2, health.Count);
        Assert.All(health, t => Assert.Matches(InstanceId(), t.TargetId));
        Assert.All(health, t => Assert.Equal(("healthy", (string?)null), (t.State, t.Reason)));
    }

    /// <summary>Hand-written: moto never probes targets, so it never reports draining or a reason.</summary>
    [Fact]
    public async Task GetSourceTypeAsync_HandwrittenJson_ReadsTheProjectsSourceTypeAndNullWhenNotFound()
    {
        // The shape of CodeBuild's BatchGetProjects answer: found projects with their source, missing names listed apart.
        using var found = new LoopbackServer(_ => CannedResponse.Json(
            """{"projects":[{"name":"phoenix-bake","arn":"arn:aws:codebuild:us-east-1:123456789012:project/phoenix-bake","source":{"type":"S3","location":"assets/packer.zip"}}],"projectsNotFound":[]}"""));
        using var missing = new LoopbackServer(_ => CannedResponse.Json("""{"projects":[],"projectsNotFound":["phoenix-bake"]}"""));

        var s3 = await new ImageBakerAdapter(TestClients.Factory(found).CodeBuild()).GetSourceTypeAsync("phoenix-bake", CancellationToken.None);
        var none = await new ImageBakerAdapter(TestClients.Factory(missing).CodeBuild()).GetSourceTypeAsync("phoenix-bake", CancellationToken.None);

        Assert.Equal("S3", s3);
        Assert.Null(none);
    }

    [Fact]
    public async Task DescribeTargetHealthAsync_HandwrittenDraining_MapsStatesAndReasons()
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
    public async Task GetExecutionHistoryAsync_RecordedJson_ReadsEventsFractionalEpochTimestampsAndDetails()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(Fixture("GetExecutionHistory.json")));

        var history = await TestClients.Factory(server).StepFunctions().GetExecutionHistoryAsync(new GetExecutionHistoryRequest { ExecutionArn = "arn" });

        Assert.Equal(["ExecutionStarted", "PassStateEntered", "PassStateExited", "FailStateEntered", "ExecutionFailed"], history.Events!.Select(e => e.Type));
        Assert.Equal([1L, 2, 3, 4, 5], history.Events!.Select(e => e.Id!.Value));
        Assert.Equal("{\"application\": \"web\"}", history.Events![0].ExecutionStartedEventDetails!.Input);
        Assert.Equal(["Validate", "Validate", "Rejected"], history.Events!.Skip(1).Take(3).Select(e => e.StateEnteredEventDetails?.Name ?? e.StateExitedEventDetails!.Name));
        Assert.Equal(("ValidationFailed", "imageId 'ami-x' is malformed"), (history.Events![4].ExecutionFailedEventDetails!.Error, history.Events[4].ExecutionFailedEventDetails!.Cause));
        var times = history.Events!.Select(e => e.Timestamp!.Value).ToList();
        Assert.All(times, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
        Assert.Equal(times.Order(), times);
        Assert.Contains(times, t => t.Millisecond != 0);
        Assert.Null(history.NextToken);
    }

    /// <summary>Hand-written: moto runs no Lambda (no LambdaFunctionFailed) and never pages a history (no nextToken).</summary>
    [Fact]
    public async Task GetExecutionHistoryAsync_HandwrittenJson_ReadsLambdaFailureEpochTimestampsAndToken()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(Fixture("GetExecutionHistory.handwritten.json")));

        var history = await TestClients.Factory(server).StepFunctions().GetExecutionHistoryAsync(new GetExecutionHistoryRequest { ExecutionArn = "arn" });

        Assert.Equal(["ExecutionStarted", "TaskStateEntered", "LambdaFunctionFailed", "ExecutionFailed"], history.Events!.Select(e => e.Type));
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, 123, DateTimeKind.Utc), history.Events![0].Timestamp);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 3, DateTimeKind.Utc), history.Events![3].Timestamp);
        Assert.Equal("Validate", history.Events![1].StateEnteredEventDetails!.Name);
        Assert.Equal("ValidationFailed", history.Events![2].LambdaFunctionFailedEventDetails!.Error);
        Assert.Equal("page-2", history.NextToken);
    }

    [Fact]
    public async Task ListExecutionsAsync_RecordedEmptyList_ReturnsEmptyAndNoToken()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(Fixture("ListExecutions.empty.json")));

        var response = await TestClients.Factory(server).StepFunctions().ListExecutionsAsync(new ListExecutionsRequest { StateMachineArn = "arn" });

        Assert.Empty(response.Executions!);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task DescribeListenersAsync_RecordedXmlErrorBody_ThrowsTypedExceptionWithoutRetry()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("DescribeListeners.ListenerNotFound.xml"), 400));

        var error = await Assert.ThrowsAsync<ListenerNotFoundException>(() =>
            TestClients.Factory(server, maxErrorRetry: 3).ElasticLoadBalancingV2().DescribeListenersAsync(new Elb.DescribeListenersRequest { ListenerArns = ["arn:l"] }));

        Assert.Equal(("ListenerNotFound", "The specified listener does not exist."), (error.ErrorCode, error.Message));
        Assert.Equal(Amazon.Runtime.ErrorType.Sender, error.ErrorType);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task DescribeExecutionAsync_RecordedJsonErrorBody_ThrowsTypedExceptionWithoutRetry()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(Fixture("DescribeExecution.ExecutionDoesNotExist.json"), 400));

        var error = await Assert.ThrowsAsync<ExecutionDoesNotExistException>(() =>
            TestClients.Factory(server, maxErrorRetry: 3).StepFunctions().DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "arn:x" }));

        Assert.Equal("Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:phoenix-deploy:nobody'", error.Message);
        Assert.Single(server.Requests);
    }

    /// <summary>An AWS-style fully qualified error type, as AWS sends it (moto sends the bare code).</summary>
    [Fact]
    public async Task DescribeExecutionAsync_HandwrittenQualifiedErrorType_ThrowsTypedException()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json(
            "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist\",\"message\":\"Execution Does Not Exist: 'arn:x'\"}", 400));

        var error = await Assert.ThrowsAsync<ExecutionDoesNotExistException>(() =>
            TestClients.Factory(server).StepFunctions().DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = "arn:x" }));

        Assert.Equal("Execution Does Not Exist: 'arn:x'", error.Message);
    }

    /// <summary>Hand-written: moto never throttles.</summary>
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

    /// <summary>Hand-written: moto never throttles.</summary>
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
    public async Task DescribeListenerWeightsAsync_RecordedWeightedForward_ReadsWeights()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Xml(Fixture("DescribeListeners.weighted.xml")));
        var arn = ListenerArn().Match(Fixture("DescribeListeners.weighted.xml")).Value;

        var weights = await new LoadBalancerAdapter(TestClients.Factory(server).ElasticLoadBalancingV2()).DescribeListenerWeightsAsync(arn, CancellationToken.None);

        Assert.Equal([90, 10], weights.Select(w => w.Weight));
        Assert.Matches("targetgroup/web-blue/", weights[0].TargetGroupArn);
        Assert.Matches("targetgroup/web-green/", weights[1].TargetGroupArn);
    }

    [GeneratedRegex("^i-[0-9a-f]{17}$")]
    private static partial Regex InstanceId();

    [GeneratedRegex("^lt-[0-9a-f]{17}$")]
    private static partial Regex LaunchTemplateId();

    [GeneratedRegex("arn:aws:elasticloadbalancing:[^<]*:listener/[^<]*")]
    private static partial Regex ListenerArn();
}
