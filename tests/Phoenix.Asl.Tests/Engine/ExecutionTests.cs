using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Engine;

public sealed class ExecutionTests
{
    [Fact]
    public async Task Start_InputOutputProcessing_FollowsAwsOrder()
    {
        var tasks = Asl.Tasks("work", (request, _) => ValueTask.FromResult<JsonNode?>(new JsonObject { ["sum"] = request.Input!["a"]!.GetValue<int>() + 1, ["noise"] = 0 }));

        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","InputPath":"$.in","Parameters":{"a.$":"$.v","lit":"x"},
              "ResultSelector":{"s.$":"$.sum"},"ResultPath":"$.res","OutputPath":"$.res","End":true}}}
            """, """{"in":{"v":41}}""", tasks);

        Assert.Equal("""{"s":42}""", Asl.Json(result.Output));
    }

    [Fact]
    public async Task Start_PassResult_IsLiteralEvenWithDollarKeys()
    {
        var result = await Asl.RunAsync("""{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"k.$":"$.x"},"End":true}}}""", """{"x":1}""");

        Assert.Equal("""{"k.$":"$.x"}""", Asl.Json(result.Output));
    }

    [Fact]
    public async Task Start_ContextObject_ExposesExecutionAndState()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"name.$":"$$.State.Name","input.$":"$$.Execution.Input","entered.$":"$$.State.EnteredTime"},"End":true}}}
            """, """{"x":1}""");

        Assert.Equal("""{"name":"P","input":{"x":1},"entered":"2026-01-01T00:00:00.000Z"}""", Asl.Json(result.Output));
    }

    [Fact]
    public async Task Start_CounterLoopWithMathAdd_Terminates()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"Inc","States":{
              "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Check"},
              "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":5,"Next":"Inc"}],"Default":"Done"},
              "Done":{"Type":"Succeed"}}}
            """, """{"n":0}""");

        Assert.Equal("""{"n":5}""", Asl.Json(result.Output));
    }

    [Fact]
    public async Task Start_ChoiceWithoutMatchOrDefault_FailsNoChoiceMatched()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.v","IsPresent":true},"Next":"D"}]},"D":{"Type":"Succeed"}}}
            """, """{"v":1}""");

        Assert.Equal("States.NoChoiceMatched", result.Error);
    }

    [Fact]
    public async Task Start_FailWithoutError_FailsWithNullErrorAndCause()
    {
        var result = await Asl.RunAsync("""{"StartAt":"F","States":{"F":{"Type":"Fail"}}}""");

        Assert.Equal((ExecutionStatus.Failed, null, null), (result.Status, result.Error, result.Cause));
    }

    [Fact]
    public async Task Start_RuntimeErrorUnderCatchAll_IsNotCaught()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{
              "P":{"Type":"Parallel","Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","InputPath":"$.missing","End":true}}}],
                   "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
              "Caught":{"Type":"Succeed"}}}
            """);

        Assert.Equal("States.Runtime", result.Error);
        Assert.StartsWith("An error occurred while executing the state 'X' (entered at the event id #4).", result.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_StateMachineTimeoutSeconds_TimesOut()
    {
        var result = await Asl.RunAsync("""{"StartAt":"W","TimeoutSeconds":10,"States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}""");

        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        Assert.Equal("ExecutionTimedOut", result.History[^1].Type);
        Assert.Equal(Asl.Start.AddSeconds(10), result.History[^1].Timestamp);
    }

    [Fact]
    public async Task Stop_RunningExecution_IsAbortedWithErrorAndCause()
    {
        var execution = Asl.Begin("""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","Parameters":{"FunctionName":"f"},"End":true}}}
            """, tasks: Asl.Tasks("f", (_, _) => ValueTask.FromResult<JsonNode?>(null)));
        await WaitForEventAsync(execution, "TaskSubmitted");

        execution.Stop("Operator.Stop", "rolled back by hand");
        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal((ExecutionStatus.Aborted, "Operator.Stop", "rolled back by hand"), (result.Status, result.Error, result.Cause));
        Assert.Equal("ExecutionAborted", result.History[^1].Type);
    }

    [Fact]
    public async Task Start_WaitTimestampPath_WaitsUntilThatInstant()
    {
        var result = await Asl.RunAsync("""{"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.at","End":true}}}""", """{"at":"2026-01-01T01:00:00Z"}""");

        Assert.Equal(Asl.Start.AddHours(1), result.History[^1].Timestamp);
    }

    [Fact]
    public async Task Start_MapWithConcurrency_KeepsItemOrderAndUsesItemSelector()
    {
        var clock = new VirtualClock(Asl.Start);
        var tasks = Asl.Tasks("work", async (request, ct) =>
        {
            // Later items finish first.
            await Task.Delay(TimeSpan.FromSeconds(10 - request.Input!["v"]!.GetValue<int>()), clock, ct);
            return request.Input!["i"]!.DeepClone();
        });

        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
              "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
              "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true}}},"End":true}}}
            """, """{"items":[1,2,3,4,5]}""", tasks, clock);

        Assert.Equal("[0,1,2,3,4]", Asl.Json(result.Output));
        Assert.Equal(5, result.History.Count(e => e.Type == "MapIterationSucceeded"));
    }

    [Fact]
    public async Task Start_MapItemFailsBeyondToleratedCount_FailsWithThreshold()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"M","States":{"M":{"Type":"Map","ToleratedFailureCount":1,
              "ItemProcessor":{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":1,"Next":"Bad"}],"Default":"Ok"},
                "Bad":{"Type":"Fail","Error":"Item.Bad"},"Ok":{"Type":"Pass","End":true}}},"End":true}}}
            """, "[1,2,3]");

        Assert.Equal("States.ExceedToleratedFailureThreshold", result.Error);
    }

    [Fact]
    public async Task Start_ParallelBranchFails_ErrorPropagatesUnchanged()
    {
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"End":true}}},
              {"StartAt":"B","States":{"B":{"Type":"Fail","Error":"Branch.Broken","Cause":"b"}}}]}}}
            """);

        Assert.Equal(("Branch.Broken", "b"), (result.Error, result.Cause));
    }

    [Fact]
    public async Task Start_OnEvent_ReceivesEveryHistoryEventLive()
    {
        var seen = new List<string>();
        var execution = Asl.Begin("""{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", onEvent: e => seen.Add(e.Type));

        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Asl.Types(result), seen);
    }

    private static async Task WaitForEventAsync(AslExecution execution, string type)
    {
        for (var i = 0; i < 200 && !execution.History.Any(e => e.Type == type); i++)
        {
            await Task.Delay(10);
        }
    }
}
