using System.Globalization;
using System.Text;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;

namespace Phoenix.Cli.Commands;

/// <summary>Reads an execution and its whole history (every page) and renders it as a timeline a person can follow.</summary>
public static class ExecutionTimeline
{
    public static async Task<(DescribeExecutionResponse Execution, IReadOnlyList<HistoryEvent> Events)> ReadAsync(
        AmazonStepFunctionsClient client, string executionArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var execution = await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = executionArn }, cancellationToken);
        var events = new List<HistoryEvent>();
        string? token = null;
        do
        {
            var page = await client.GetExecutionHistoryAsync(
                new GetExecutionHistoryRequest { ExecutionArn = executionArn, NextToken = token, MaxResults = 1000, IncludeExecutionData = false }, cancellationToken);
            events.AddRange(page.Events ?? []);
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));
        return (execution, events);
    }

    public static string Render(DescribeExecutionResponse execution, IReadOnlyList<HistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(events);
        var text = new StringBuilder();
        // Offsets count from the earliest moment known: events can carry the start's own second or, in emulators
        // such as moto, precede the execution's StartDate, and an offset must never be negative.
        var stamps = events.Select(e => e.Timestamp).Append(execution.StartDate).OfType<DateTime>().Select(t => t.ToUniversalTime()).ToList();
        var origin = stamps.Count > 0 ? stamps.Min() : DateTime.UnixEpoch;
        text.Append(CultureInfo.InvariantCulture, $"Execution {execution.Name}  {execution.Status}\n");
        text.Append(CultureInfo.InvariantCulture, $"  {execution.ExecutionArn}\n");
        text.Append(CultureInfo.InvariantCulture, $"  started {Format(execution.StartDate ?? origin)}");
        if (execution.StopDate is { } stop)
        {
            text.Append(CultureInfo.InvariantCulture, $", stopped {Format(stop)} ({Elapsed(stop.ToUniversalTime() - origin)})");
        }

        text.Append('\n');
        var stateOf = new Dictionary<long, string>();
        foreach (var e in events)
        {
            var state = e.StateEnteredEventDetails?.Name ?? e.StateExitedEventDetails?.Name
                ?? (e.PreviousEventId is { } previous && stateOf.TryGetValue(previous, out var owner) ? owner : null);
            if (e.Id is { } id && state is not null)
            {
                stateOf[id] = state;
            }

            var offset = e.Timestamp is { } at ? "+" + Elapsed(at.ToUniversalTime() - origin) : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"  {offset,9}  {state ?? "-",-24} {e.Type}{Detail(e)}\n");
        }

        if (execution.Error is not null || execution.Cause is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Error: {execution.Error}: {execution.Cause}\n");
        }

        return text.ToString();
    }

    private static string Detail(HistoryEvent e)
    {
        var failure = e.ExecutionFailedEventDetails ?? e.ExecutionAbortedEventDetails ?? e.ExecutionTimedOutEventDetails
            ?? e.LambdaFunctionFailedEventDetails ?? e.LambdaFunctionTimedOutEventDetails;
        if (failure is not null)
        {
            return $"  {failure.Error}: {failure.Cause}";
        }

        var task = e.TaskFailedEventDetails ?? e.TaskTimedOutEventDetails;
        return task is null ? string.Empty : $"  {task.Error}: {task.Cause}";
    }

    private static string Format(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Elapsed(TimeSpan span) =>
        span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m{span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s");
}
