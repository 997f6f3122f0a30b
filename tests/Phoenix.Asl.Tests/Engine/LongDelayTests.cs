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

    private static string Machine(int? timeoutSeconds, int waitSeconds) =>
        (timeoutSeconds is { } t ? $"{{\"TimeoutSeconds\":{t}," : "{")
        + $"\"StartAt\":\"W\",\"States\":{{\"W\":{{\"Type\":\"Wait\",\"Seconds\":{waitSeconds},\"End\":true}}}}}}";
}
