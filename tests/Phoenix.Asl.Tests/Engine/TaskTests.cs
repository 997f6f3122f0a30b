using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Engine;

public sealed class TaskTests
{
    [Fact]
    public async Task Start_FunctionArnResource_RecordsLambdaFunctionEvents()
    {
        var tasks = Asl.Tasks("work", (request, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["got"] = request.Input?.DeepClone() }));

        var result = await Asl.RunAsync("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true}}}""", """{"a":1}""", tasks);

        Assert.Equal("""{"got":{"a":1}}""", Asl.Json(result.Output));
        Assert.Equal(
            ["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"],
            Asl.Types(result));
        Assert.All(result.History.Skip(1), e => Assert.Equal(e.Id - 1, e.PreviousEventId));
    }

    [Fact]
    public async Task Start_LambdaInvoke_WrapsPayloadInInvokeEnvelope()
    {
        var tasks = Asl.Tasks("work", (request, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["echo"] = request.Input?.DeepClone() }));

        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"work","Payload":{"x.$":"$.x"}},"ResultSelector":{"p.$":"$.Payload","code.$":"$.StatusCode","v.$":"$.ExecutedVersion"},"End":true}}}
            """, """{"x":7}""", tasks);

        Assert.Equal("""{"p":{"echo":{"x":7}},"code":200,"v":"$LATEST"}""", Asl.Json(result.Output));
        Assert.Contains("TaskScheduled", Asl.Types(result));
        Assert.Equal("invoke", result.History.Single(e => e.Type == "TaskSucceeded").Details["resource"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_HandlerThrowsTaskFailed_CatchGetsErrorAndCause()
    {
        var tasks = Asl.Tasks("work", (_, _) => throw new TaskFailedException("Deploy.Broken", "image is bad"));

        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"@FN","Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"Done"}],"End":true},
              "Done":{"Type":"Pass","End":true}}}
            """, """{"keep":true}""", tasks);

        Assert.Equal("""{"keep":true,"err":{"Error":"Deploy.Broken","Cause":"image is bad"}}""", Asl.Json(result.Output));
    }

    [Fact]
    public async Task Start_HandlerThrowsOtherException_ErrorIsShortClassName()
    {
        var tasks = Asl.Tasks("work", (_, _) => throw new InvalidOperationException("boom"));

        var result = await Asl.RunAsync("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true}}}""", tasks: tasks);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("InvalidOperationException", result.Error);
        Assert.Equal("boom", result.Cause);
    }

    [Fact]
    public async Task Start_RetryWithBackoffAndMaxDelay_WaitsTheRightVirtualIntervals()
    {
        var clock = new VirtualClock(Asl.Start);
        var calls = new List<TimeSpan>();
        var tasks = Asl.Tasks("work", (request, _) =>
        {
            calls.Add(clock.GetUtcNow() - Asl.Start);
            return calls.Count < 4
                ? throw new TaskFailedException("Transient", "try again")
                : ValueTask.FromResult<JsonNode?>(request.Context["State"]!["RetryCount"]!.DeepClone());
        });

        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true,
              "Retry":[{"ErrorEquals":["Transient"],"IntervalSeconds":2,"BackoffRate":3,"MaxDelaySeconds":10,"MaxAttempts":5}]}}}
            """, tasks: tasks, clock: clock);

        Assert.Equal("3", Asl.Json(result.Output));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(18)], calls);
    }

    [Fact]
    public async Task Start_MaxAttemptsZero_DoesNotRetry()
    {
        var count = 0;
        var tasks = Asl.Tasks("work", (_, _) =>
        {
            count++;
            throw new TaskFailedException("Transient", null);
        });

        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true,"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":0}]}}}
            """, tasks: tasks);

        Assert.Equal(1, count);
        Assert.Equal("Transient", result.Error);
    }

    [Fact]
    public async Task Start_TaskExceedsTimeoutSeconds_FailsWithStatesTimeout()
    {
        var clock = new VirtualClock(Asl.Start);
        var tasks = Asl.Tasks("work", async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromHours(1), clock, ct);
            return null;
        });

        var result = await Asl.RunAsync("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","TimeoutSeconds":30,"End":true}}}""", tasks: tasks, clock: clock);

        Assert.Equal("States.Timeout", result.Error);
        Assert.Contains("LambdaFunctionTimedOut", Asl.Types(result));
        Assert.Equal(Asl.Start.AddSeconds(30), result.History[^1].Timestamp);
    }

    [Fact]
    public async Task SendTaskSuccess_WaitForTaskToken_CompletesTaskWithOutput()
    {
        var clock = new VirtualClock(Asl.Start);
        var started = new TaskCompletionSource<AslExecution>();
        var tasks = Asl.Tasks("approver", async (request, _) =>
        {
            var token = request.TaskToken!;
            Assert.Equal(token, request.Input!["token"]!.GetValue<string>());
            var execution = await started.Task;
            // The approval arrives ten virtual minutes later, from a timer on the same clock.
            clock.CreateTimer(_ => execution.SendTaskSuccess(token, new JsonObject { ["approved"] = true }), null, TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan);
            return null;
        });

        var execution = Asl.Begin("""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters":{"FunctionName":"approver","Payload":{"token.$":"$$.Task.Token"}},"HeartbeatSeconds":3600,"End":true}}}
            """, tasks: tasks, clock: clock);
        started.SetResult(execution);
        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Error}: {result.Cause}");
        Assert.Equal("""{"approved":true}""", Asl.Json(result.Output));
        Assert.Equal(Asl.Start.AddMinutes(10), result.History[^1].Timestamp);
        Assert.Contains("TaskSubmitted", Asl.Types(result));
    }

    [Fact]
    public async Task SendTaskFailure_WaitForTaskToken_FailsTaskWithErrorAndCause()
    {
        var started = new TaskCompletionSource<AslExecution>();
        var tasks = Asl.Tasks("approver", async (request, _) =>
        {
            (await started.Task).SendTaskFailure(request.TaskToken!, "Rejected", "not today");
            return null;
        });

        var execution = Asl.Begin("""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters":{"FunctionName":"approver"},"End":true}}}
            """, tasks: tasks);
        started.SetResult(execution);
        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(("Rejected", "not today"), (result.Error, result.Cause));
    }

    [Fact]
    public async Task SendTaskHeartbeat_BeforeHeartbeatSeconds_KeepsTaskAlive()
    {
        var clock = new VirtualClock(Asl.Start);
        var started = new TaskCompletionSource<AslExecution>();
        var tasks = Asl.Tasks("approver", async (request, _) =>
        {
            var token = request.TaskToken!;
            var execution = await started.Task;
            clock.CreateTimer(_ => execution.SendTaskHeartbeat(token), null, TimeSpan.FromSeconds(50), Timeout.InfiniteTimeSpan);
            clock.CreateTimer(_ => execution.SendTaskSuccess(token, JsonValue.Create("ok")), null, TimeSpan.FromSeconds(100), Timeout.InfiniteTimeSpan);
            return null;
        });
        const string definition = """
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters":{"FunctionName":"approver"},"HeartbeatSeconds":60,"End":true}}}
            """;

        var execution = Asl.Begin(definition, tasks: tasks, clock: clock);
        started.SetResult(execution);
        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("\"ok\"", Asl.Json(result.Output));
    }

    [Fact]
    public async Task Start_NoHeartbeatWithinHeartbeatSeconds_FailsWithHeartbeatTimeout()
    {
        var clock = new VirtualClock(Asl.Start);
        var tasks = Asl.Tasks("approver", (_, _) => ValueTask.FromResult<JsonNode?>(null));

        var result = await Asl.RunAsync("""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters":{"FunctionName":"approver"},"HeartbeatSeconds":60,"End":true}}}
            """, tasks: tasks, clock: clock);

        Assert.Equal("States.HeartbeatTimeout", result.Error);
        Assert.Equal(Asl.Start.AddSeconds(60), result.History[^1].Timestamp);
    }

    [Fact]
    public void SendTaskSuccess_UnknownToken_ThrowsNamingIt()
    {
        var execution = Asl.Begin("""{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}}""");

        var e = Assert.Throws<ArgumentException>(() => execution.SendTaskSuccess("nope", null));

        Assert.Contains("'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskRequest_PublicConstructor_KeepsGivenContext()
    {
        var context = new JsonObject { ["State"] = new JsonObject { ["Name"] = "T" } };

        var request = new TaskRequest("r", "T", null, context, null);

        Assert.Same(context, request.Context);
    }

    [Fact]
    public async Task Start_IntrinsicFailsAtRunTime_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"States.ArrayGetItem($.a, 5)"},"End":true}}}
            """, """{"a":[1,2]}""");

        Assert.Equal("States.Runtime", result.Error);
        Assert.Contains("States.ArrayGetItem", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnregisteredFunction_FailsWithResourceNotFound()
    {
        var result = await Asl.RunAsync("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true}}}""");

        Assert.Equal("Lambda.ResourceNotFoundException", result.Error);
    }
}
