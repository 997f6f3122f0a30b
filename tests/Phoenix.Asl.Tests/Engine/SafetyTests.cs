using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Engine;

/// <summary>The payload limit on every state output, event links after branches.</summary>
public sealed class SafetyTests
{
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
}
