using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Engine;

/// <summary>
/// Step Functions accepts execution timeouts and Waits of up to a year; .NET timers stop at about 49.7 days. The
/// deployment workflow's own TimeoutSeconds is longer than that.
/// </summary>
public sealed class LongDelayTests
{
    private const int SixtyDays = 60 * 24 * 3600;

    [Fact]
    public async Task Start_TimeoutBeyondTimerRange_RunsAndSucceeds()
    {
        var clock = new VirtualClock(Asl.Start);

        var result = await Asl.RunAsync(
            Machine(SixtyDays, 100), clock: clock);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Asl.Start.AddSeconds(100), clock.GetUtcNow());
    }

    [Fact]
    public async Task Start_WaitBeyondTimerRange_EndsAtItsVirtualTime()
    {
        var clock = new VirtualClock(Asl.Start);

        var result = await Asl.RunAsync(Machine(null, SixtyDays), clock: clock);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Asl.Start.AddSeconds(SixtyDays), result.History[^1].Timestamp);
    }

    [Fact]
    public async Task Start_WaitLongerThanLongTimeout_TimesOutAtTheTimeout()
    {
        var clock = new VirtualClock(Asl.Start);

        var result = await Asl.RunAsync(
            Machine(SixtyDays, 2 * SixtyDays), clock: clock);

        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        Assert.Equal(Asl.Start.AddSeconds(SixtyDays), result.History[^1].Timestamp);
    }

    [Fact]
    public async Task Start_WaitTimestampYearsAhead_EndsAtThatInstantOnTheVirtualClock()
    {
        var clock = new VirtualClock(Asl.Start);

        var result = await Asl.RunAsync("""{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2030-01-01T00:00:00Z","End":true}}}""", clock: clock);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), result.History[^1].Timestamp);
    }

    [Fact]
    public async Task Start_TaskTimeoutBeyondTimerRange_TimesOutAtItsVirtualTime()
    {
        var clock = new VirtualClock(Asl.Start);
        var tasks = Asl.Tasks("work", async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return null;
        });

        var result = await Asl.RunAsync(
            $$$$$"""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","TimeoutSeconds":{{{{{SixtyDays}}}}},"End":true}}}""", tasks: tasks, clock: clock);

        Assert.Equal("States.Timeout", result.Error);
        Assert.Equal(Asl.Start.AddSeconds(SixtyDays), result.History[^1].Timestamp);
    }

    [Fact]
    public async Task Start_HeartbeatBeyondTimerRange_TimesOutAtItsVirtualTime()
    {
        var clock = new VirtualClock(Asl.Start);
        var tasks = Asl.Tasks("approver", (_, _) => ValueTask.FromResult<JsonNode?>(null));

        var result = await Asl.RunAsync(
            $$$$$"""
            {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters":{"FunctionName":"approver"},"HeartbeatSeconds":{{{{{SixtyDays}}}}},"End":true}}}
            """, tasks: tasks, clock: clock);

        Assert.Equal("States.HeartbeatTimeout", result.Error);
        Assert.Equal(Asl.Start.AddSeconds(SixtyDays), result.History[^1].Timestamp);
    }

    [Fact]
    public async Task Start_RetryBackoffGrowingPastTimerRange_WaitsEachIntervalOnTheVirtualClock()
    {
        // 30 days, then 30 * 4 = 120 days (past 49.7), capped by MaxDelaySeconds at 100 days.
        var clock = new VirtualClock(Asl.Start);
        var calls = new List<TimeSpan>();
        var tasks = Asl.Tasks("work", (_, _) =>
        {
            calls.Add(clock.GetUtcNow() - Asl.Start);
            return calls.Count < 4 ? throw new TaskFailedException("Transient", null) : ValueTask.FromResult<JsonNode?>(1);
        });

        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true,
              "Retry":[{"ErrorEquals":["Transient"],"IntervalSeconds":2592000,"BackoffRate":4,"MaxDelaySeconds":8640000,"MaxAttempts":5}]}}}
            """, tasks: tasks, clock: clock);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromDays(30), TimeSpan.FromDays(130), TimeSpan.FromDays(230)], calls);
    }

    [Fact]
    public async Task Start_RetryBackoffBeyondTheCalendar_EndsWithoutCrashing()
    {
        // 2^k seconds soon passes DateTimeOffset.MaxValue: the clock stops at its last instant rather than overflow.
        var clock = new VirtualClock(Asl.Start);
        var tasks = Asl.Tasks("work", (_, _) => throw new TaskFailedException("Transient", null));

        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true,
              "Retry":[{"ErrorEquals":["Transient"],"IntervalSeconds":99999999,"BackoffRate":10,"MaxAttempts":40}]}}}
            """, tasks: tasks, clock: clock);

        Assert.Equal(("Transient", ExecutionStatus.Failed), (result.Error, result.Status));
        Assert.Equal(DateTimeOffset.MaxValue, result.History[^1].Timestamp);
    }

    [Fact]
    public async Task Start_WaitTimestampYearsAheadOnTheRealClock_WaitsUntilStopped()
    {
        var entered = new TaskCompletionSource();
        var execution = AslEngine.Start(
            StateMachineDefinition.Parse("""{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"2030-01-01T00:00:00Z","End":true}}}"""),
            new JsonObject(),
            new ExecutionOptions { OnEvent = e => _ = e.Type == "WaitStateEntered" && entered.TrySetResult() });

        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        execution.Stop("Test.Stop", "stopped by the test");
        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal((ExecutionStatus.Aborted, "Test.Stop"), (result.Status, result.Error));
    }

    [Fact]
    public async Task Start_TaskTimeoutAndHeartbeatBeyondTimerRangeOnTheRealClock_TaskCompletes()
    {
        var started = new TaskCompletionSource<AslExecution>();
        var tasks = Asl.Tasks("approver", async (request, _) =>
        {
            (await started.Task).SendTaskSuccess(request.TaskToken!, JsonValue.Create("approved"));
            return null;
        });
        var execution = AslEngine.Start(
            StateMachineDefinition.Parse($$$$$"""
                {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters":{"FunctionName":"approver"},"TimeoutSeconds":{{{{{2 * SixtyDays}}}}},"HeartbeatSeconds":{{{{{SixtyDays}}}}},"End":true}}}
                """),
            new JsonObject(),
            new ExecutionOptions { Tasks = tasks });
        started.SetResult(execution);

        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Error}: {result.Cause}");
        Assert.Equal("\"approved\"", Asl.Json(result.Output));
    }

    [Fact]
    public async Task Start_RetryDelayBeyondTimerRangeOnTheRealClock_WaitsUntilStopped()
    {
        var failed = new TaskCompletionSource();
        var tasks = Asl.Tasks("work", (_, _) =>
        {
            failed.TrySetResult();
            throw new TaskFailedException("Transient", null);
        });
        var execution = AslEngine.Start(
            StateMachineDefinition.Parse($$$$$"""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"{{{{{Asl.Fn}}}}}","End":true,
                  "Retry":[{"ErrorEquals":["Transient"],"IntervalSeconds":{{{{{SixtyDays}}}}}}]}}}
                """),
            new JsonObject(),
            new ExecutionOptions { Tasks = tasks });

        await failed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        execution.Stop("Test.Stop", null);
        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal((ExecutionStatus.Aborted, "Test.Stop"), (result.Status, result.Error));
    }

    [Fact]
    public void Parse_WaitSecondsAboveTheLongestWait_IsRejectedNamingTheValue()
    {
        var e = Assert.Throws<AslDefinitionException>(() => StateMachineDefinition.Parse(Machine(null, 100000000)));

        var diagnostic = Assert.Single(e.Diagnostics);
        Assert.Equal("/States/W/Seconds", diagnostic.Location);
        Assert.Contains("100000000", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SecondsPathAboveTheLongestWait_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync(
            """{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}""", input: """{"s":1e20}""");

        Assert.Equal("States.Runtime", result.Error);
        Assert.Contains("99999999", result.Cause, StringComparison.Ordinal);
    }

    private static string Machine(int? timeoutSeconds, int waitSeconds) =>
        (timeoutSeconds is { } t ? $"{{\"TimeoutSeconds\":{t}," : "{")
        + $"\"StartAt\":\"W\",\"States\":{{\"W\":{{\"Type\":\"Wait\",\"Seconds\":{waitSeconds},\"End\":true}}}}}}";
}
