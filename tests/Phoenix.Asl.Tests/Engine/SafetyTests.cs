using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Phoenix.Asl.Tests.Engine;

/// <summary>Credentials, the payload limit on every state output, the Invoke envelope, event links after branches.</summary>
public sealed partial class SafetyTests
{
    private const string Role = "arn:aws:iam::111122223333:role/deployer";

    [Fact]
    public async Task Start_CredentialsRoleArn_RecordedInTheScheduledEvent()
    {
        var tasks = Asl.Tasks("work", (_, _) => ValueTask.FromResult<JsonNode?>(1));

        var result = await Asl.RunAsync(
            $$$$$"""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","Credentials":{"RoleArn":"{{{{{Role}}}}}"},"End":true}}}""", tasks: tasks);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var scheduled = result.History.Single(e => e.Type == "LambdaFunctionScheduled");
        Assert.Equal("""{"roleArn":"arn:aws:iam::111122223333:role/deployer"}""", Asl.Json(scheduled.Details["taskCredentials"]));
    }

    [Fact]
    public async Task Start_CredentialsRoleArnPath_ResolvedFromTheInputAndRecorded()
    {
        var tasks = Asl.Tasks("work", (_, _) => ValueTask.FromResult<JsonNode?>(1));

        var result = await Asl.RunAsync(
            """
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"work"},"Credentials":{"RoleArn.$":"$.role"},"End":true}}}
            """,
            $$$$$"""{"role":"{{{{{Role}}}}}"}""",
            tasks);

        Assert.Equal(Role, result.History.Single(e => e.Type == "TaskScheduled").Details["taskCredentials"]!["roleArn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_CredentialsPathToSomethingElse_FailsWithStatesRuntime()
    {
        var tasks = Asl.Tasks("work", (_, _) => ValueTask.FromResult<JsonNode?>(1));

        var result = await Asl.RunAsync(
            """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","Credentials":{"RoleArn.$":"$.role"},"End":true}}}""",
            """{"role":"deployer"}""",
            tasks);

        Assert.Equal("States.Runtime", result.Error);
        Assert.Contains("\"deployer\", which is not an IAM role ARN", result.Cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"RoleArn":"arn:aws:iam::111122223333:user/deployer"}""", "/States/T/Credentials/RoleArn")]
    [InlineData("""{"RoleArn":"arn:aws:iam::1111:role/deployer"}""", "/States/T/Credentials/RoleArn")]
    [InlineData("""{"Role":"arn:aws:iam::111122223333:role/deployer"}""", "/States/T/Credentials")]
    [InlineData("""{"RoleArn":"arn:aws:iam::111122223333:role/a","RoleArn.$":"$.r"}""", "/States/T/Credentials")]
    [InlineData("""{"RoleArn.$":"$.r["}""", "/States/T/Credentials")]
    [InlineData("\"arn:aws:iam::111122223333:role/deployer\"", "/States/T/Credentials")]
    public void Parse_MalformedCredentials_RejectedAtTheirPointer(string credentials, string location)
    {
        var e = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(
            $$$$$"""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"{{{{{Asl.Fn}}}}}","Credentials":{{{{{credentials}}}}},"End":true}}}"""));

        Assert.Equal(location, Assert.Single(e.Diagnostics).Location);
    }

    [Fact]
    public async Task Start_PassOutputOverTheLimitAfterResultPath_FailsWithDataLimitExceeded()
    {
        // Each half is under 256 KiB; the state's output, input and result together, is over.
        var half = new string('x', 150 * 1024);

        var result = await Asl.RunAsync(
            $$$$$"""{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"{{{{{half}}}}}","ResultPath":"$.copy","End":true}}}""",
            $$$$$"""{"original":"{{{{{half}}}}}"}""");

        Assert.Equal(("States.DataLimitExceeded", ExecutionStatus.Failed), (result.Error, result.Status));
        Assert.Contains("'P'", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ParallelResultsOverTheLimit_FailsWithDataLimitExceeded()
    {
        var half = new string('x', 150 * 1024);
        var branch = $$$$$"""{"StartAt":"B","States":{"B":{"Type":"Pass","Result":"{{{{{half}}}}}","End":true}}}""";

        var result = await Asl.RunAsync(
            $$$$$"""{"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[{{{{{branch.Replace("\"B\"", "\"B1\"", StringComparison.Ordinal)}}}}},{{{{{branch.Replace("\"B\"", "\"B2\"", StringComparison.Ordinal)}}}}}],"End":true}}}""");

        Assert.Equal("States.DataLimitExceeded", result.Error);
        Assert.Contains("'Par'", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MapResultsOverTheLimit_FailsWithDataLimitExceeded()
    {
        var third = new string('x', 100 * 1024);

        var result = await Asl.RunAsync(
            $$$$$"""{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Result":"{{{{{third}}}}}","End":true}}},"End":true}}}""",
            "[1,2,3]");

        Assert.Equal("States.DataLimitExceeded", result.Error);
        Assert.Contains("'M'", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ResultSelectorOverTheLimit_FailsWithDataLimitExceeded()
    {
        var half = new string('x', 150 * 1024);
        var tasks = Asl.Tasks("work", (_, _) => ValueTask.FromResult<JsonNode?>(half));

        var result = await Asl.RunAsync(
            """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","ResultSelector":{"a.$":"$","b.$":"$"},"End":true}}}""", tasks: tasks);

        Assert.Equal("States.DataLimitExceeded", result.Error);
    }

    [Fact]
    public async Task Start_LambdaInvokeOnTheVirtualClock_EnvelopeIsTheSameEveryRun()
    {
        const string Definition = """
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"work","Payload":{}},"End":true}}}
            """;
        var tasks = Asl.Tasks("work", (_, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["ok"] = true }));

        var first = await Asl.RunAsync(Definition, tasks: tasks, clock: new VirtualClock(Asl.Start));
        var second = await Asl.RunAsync(Definition, tasks: tasks, clock: new VirtualClock(Asl.Start));

        Assert.Equal(Asl.Json(first.Output), Asl.Json(second.Output));
        var headers = first.Output!["SdkHttpMetadata"]!["HttpHeaders"]!;
        Assert.Equal("Thu, 01 Jan 2026 00:00:00 GMT", headers["Date"]!.GetValue<string>());
        Assert.Matches(TraceId(), headers["X-Amzn-Trace-Id"]!.GetValue<string>());
        Assert.StartsWith("Root=1-6955b900-", headers["X-Amzn-Trace-Id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(Guid.TryParse(first.Output["SdkResponseMetadata"]!["RequestId"]!.GetValue<string>(), out _));
        Assert.Equal(headers["x-amzn-RequestId"]!.GetValue<string>(), first.Output["SdkResponseMetadata"]!["RequestId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_UnknownFunctionWithAConfiguredAccount_NotFoundNamesThatAccount()
    {
        var execution = AslEngine.Start(
            StateMachineDefinition.Parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"nope"},"End":true}}}
                """),
            new JsonObject(),
            new ExecutionOptions { Time = new VirtualClock(Asl.Start), AccountId = "444455556666", Region = "eu-west-1" });

        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("Lambda.ResourceNotFoundException", result.Error);
        Assert.Contains("arn:aws:lambda:eu-west-1:444455556666:function:nope", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Parallel_ExitFollowsTheLastBranchEvent()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"Par","States":{"Par":{"Type":"Parallel","Next":"After","Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":5,"End":true}}}]},
              "After":{"Type":"Succeed"}}}
            """);

        var exited = result.History.Single(e => e.Type == "ParallelStateExited");
        var lastBranchEvent = result.History.Last(e => e.Id < exited.Id && e.StateName is "A" or "B");
        Assert.Equal("WaitStateExited", lastBranchEvent.Type);
        Assert.Equal(lastBranchEvent.Id, exited.PreviousEventId);
        Assert.Equal(exited.Id, result.History.Single(e => e.Type == "SucceedStateEntered").PreviousEventId);
    }

    [Fact]
    public async Task Start_Map_SucceededFollowsTheLastIterationEvent()
    {
        var result = await Asl.RunAsync(
            """{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}}""",
            "[1,2,3]");

        var succeeded = result.History.Single(e => e.Type == "MapStateSucceeded");
        var lastIteration = result.History.Last(e => e.Type == "MapIterationSucceeded");
        Assert.Equal(lastIteration.Id, succeeded.PreviousEventId);
        Assert.Equal(succeeded.Id, result.History.Single(e => e.Type == "MapStateExited").PreviousEventId);
    }

    [Fact]
    public async Task Start_FailingParallel_FailedEventFollowsTheBranchFailure()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom"}}}]}}}
            """);

        var failed = result.History.Single(e => e.Type == "ParallelStateFailed");
        Assert.Equal(result.History.Single(e => e.Type == "FailStateEntered").Id, failed.PreviousEventId);
    }

    [GeneratedRegex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$")]
    private static partial Regex TraceId();
}
