using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Cli.Commands;

namespace Phoenix.Cli.Tests.Aws;

public sealed class ExecutionTimelineTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 10, 0, DateTimeKind.Utc);

    /// <summary>moto dates the history events before the execution's StartDate (here by 8m10s).</summary>
    [Fact]
    public void Render_EventsBeforeStartDate_OffsetsFromTheEarliestNeverNegative()
    {
        var execution = new DescribeExecutionResponse { Name = "web-1", Status = "SUCCEEDED", ExecutionArn = "arn:e", StartDate = Start, StopDate = Start.AddSeconds(5) };
        HistoryEvent[] events =
        [
            new() { Id = 1, Type = "ExecutionStarted", Timestamp = Start.AddSeconds(-490) },
            new() { Id = 2, PreviousEventId = 1, Type = "TaskStateEntered", Timestamp = Start.AddSeconds(-489), StateEnteredEventDetails = new() { Name = "Validate" } },
            new() { Id = 3, PreviousEventId = 2, Type = "ExecutionSucceeded", Timestamp = Start.AddSeconds(-480) },
        ];

        var text = ExecutionTimeline.Render(execution, events);

        Assert.DoesNotContain("+-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("m-", text, StringComparison.Ordinal);
        Assert.Contains("started 2026-01-01 00:10:00Z, stopped 2026-01-01 00:10:05Z (8m15s)", text, StringComparison.Ordinal);
        Assert.Matches(@"\+0m00s\s+-\s+ExecutionStarted", text);
        Assert.Matches(@"\+0m01s\s+Validate\s+TaskStateEntered", text);
        Assert.Matches(@"\+0m10s\s+Validate\s+ExecutionSucceeded", text);
    }

    /// <summary>AWS stamps the first event with the start time, to the millisecond; an event a fraction earlier is +0m00s.</summary>
    [Fact]
    public void Render_FirstEventMillisecondsBeforeStart_ZeroOffset()
    {
        var execution = new DescribeExecutionResponse { Name = "web-1", Status = "RUNNING", ExecutionArn = "arn:e", StartDate = Start.AddMilliseconds(900) };
        HistoryEvent[] events = [new() { Id = 1, Type = "ExecutionStarted", Timestamp = Start.AddMilliseconds(100) }];

        var text = ExecutionTimeline.Render(execution, events);

        Assert.Matches(@"\+0m00s\s+-\s+ExecutionStarted", text);
        Assert.DoesNotContain("+-", text, StringComparison.Ordinal);
    }
}
