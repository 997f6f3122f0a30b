using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Engine;

/// <summary><see cref="ExecutionOptions.Hurry"/>: a host cuts Wait states and retry back-offs short on the real clock.</summary>
public sealed class HurryTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hurry_CancelledDuringHourLongWait_EndsTheWaitAndRunsTheNextState()
    {
        using var hurry = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var execution = AslEngine.Start(
            StateMachineDefinition.Parse("""
                {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":3600,"Next":"After"},"After":{"Type":"Pass","Result":"after","End":true}}}
                """),
            new JsonObject(),
            new ExecutionOptions
            {
                Time = TimeProvider.System,
                Hurry = hurry.Token,
                OnEvent = e =>
                {
                    if (e.Type == "WaitStateEntered")
                    {
                        entered.TrySetResult();
                    }
                },
            });

        await entered.Task.WaitAsync(Guard);
        await hurry.CancelAsync();
        var result = await execution.Completion.WaitAsync(Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("\"after\"", result.Output!.ToJsonString());
    }

    [Fact]
    public async Task Hurry_CancelledBeforeARetryBackOff_RetriesAtOnce()
    {
        using var hurry = new CancellationTokenSource();
        await hurry.CancelAsync();
        var attempts = 0;
        var tasks = Asl.Tasks("work", (_, _) =>
            ++attempts < 3 ? throw new TaskFailedException("Busy", "try again") : ValueTask.FromResult<JsonNode?>(JsonValue.Create(attempts)));
        var definition = StateMachineDefinition.Parse("""
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"@FN","Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":3600,"MaxAttempts":5}],"End":true}}}
            """.Replace("@FN", Asl.Fn, StringComparison.Ordinal));

        var result = await AslEngine.Start(definition, new JsonObject(), new ExecutionOptions { Time = TimeProvider.System, Tasks = tasks, Hurry = hurry.Token })
            .Completion.WaitAsync(Guard);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task Hurry_NotCancelled_WaitLastsOnTheClock()
    {
        using var hurry = new CancellationTokenSource();
        var clock = new VirtualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var result = await AslEngine.Start(
            StateMachineDefinition.Parse("""{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":90,"End":true}}}"""),
            new JsonObject(),
            new ExecutionOptions { Time = clock, Hurry = hurry.Token }).Completion;

        Assert.Equal(TimeSpan.FromSeconds(90), result.History[^1].Timestamp - result.History[0].Timestamp);
    }
}
