using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Engine;

public sealed class VirtualClockTests
{
    [Fact]
    public async Task Start_WaitsAndHostTimers_FireInDueOrderWithVirtualTimestamps()
    {
        var clock = new VirtualClock(Asl.Start);
        var seen = new List<string>();
        // A host timer (e.g. a simulated instance boot) due between the two waits.
        using var boot = clock.CreateTimer(_ => seen.Add($"boot@{clock.GetUtcNow() - Asl.Start}"), null, TimeSpan.FromSeconds(15), Timeout.InfiniteTimeSpan);
        var tasks = Asl.Tasks(Asl.Fn, (request, _) =>
        {
            seen.Add($"task@{clock.GetUtcNow() - Asl.Start}");
            return ValueTask.FromResult<JsonNode?>(request.Input);
        });

        var result = await Asl.RunAsync(
            """
            {"StartAt":"W1","States":{
              "W1":{"Type":"Wait","Seconds":10,"Next":"T"},
              "T":{"Type":"Task","Resource":"@FN","Next":"W2"},
              "W2":{"Type":"Wait","Seconds":20,"End":true}}}
            """,
            tasks: tasks,
            clock: clock);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["task@00:00:10", "boot@00:00:15"], seen);
        Assert.Equal(Asl.Start.AddSeconds(30), clock.GetUtcNow());
        Assert.Equal(Asl.Start.AddSeconds(30), result.History[^1].Timestamp);
        Assert.Equal(Asl.Start.AddSeconds(10), result.History.Single(e => e.Type == "WaitStateExited" && e.StateName == "W1").Timestamp);
    }

    [Fact]
    public async Task Start_HandlerAwaitingDelayOnClock_AdvancesVirtualTimeOnly()
    {
        var clock = new VirtualClock(Asl.Start);
        var tasks = Asl.Tasks(Asl.Fn, async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromMinutes(30), clock, ct);
            return JsonValue.Create("booted");
        });
        var started = DateTime.UtcNow;

        var result = await Asl.RunAsync("""{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","End":true}}}""", tasks: tasks, clock: clock);

        Assert.Equal("\"booted\"", Asl.Json(result.Output));
        Assert.Equal(Asl.Start.AddMinutes(30), clock.GetUtcNow());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Start_TwoExecutionsOnOneClock_InterleaveByDueTime()
    {
        var clock = new VirtualClock(Asl.Start);
        const string waits = """{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}""";
        AslExecution slow, fast;
        using (clock.Hold())
        {
            slow = Asl.Begin(waits, """{"s":300}""", clock: clock);
            fast = Asl.Begin(waits, """{"s":60}""", clock: clock);
        }

        var fastResult = await fast.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        var slowResult = await slow.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Asl.Start.AddSeconds(60), fastResult.History[^1].Timestamp);
        Assert.Equal(Asl.Start.AddSeconds(300), slowResult.History[^1].Timestamp);
    }

    [Fact]
    public void Advance_WithoutExecution_FiresDueTimersInOrder()
    {
        var clock = new VirtualClock(Asl.Start);
        var fired = new List<int>();
        using var late = clock.CreateTimer(_ => fired.Add(2), null, TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(1), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var never = clock.CreateTimer(_ => fired.Add(3), null, TimeSpan.FromSeconds(60), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal([1, 2], fired);
        Assert.Equal(Asl.Start.AddSeconds(30), clock.GetUtcNow());
    }

    [Fact]
    public void CreateTimer_Periodic_FiresEachPeriodUntilDisposed()
    {
        var clock = new VirtualClock(Asl.Start);
        var ticks = new List<TimeSpan>();
        var timer = clock.CreateTimer(_ => ticks.Add(clock.GetUtcNow() - Asl.Start), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(35));
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(35));

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)], ticks);
    }

    [Fact]
    public async Task Start_OnSystemClock_ReallyWaits()
    {
        var started = DateTime.UtcNow;
        var execution = AslEngine.Start(
            StateMachineDefinition.Parse("""{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}"""),
            new JsonObject(),
            new ExecutionOptions());

        var result = await execution.Completion.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9));
    }
}
