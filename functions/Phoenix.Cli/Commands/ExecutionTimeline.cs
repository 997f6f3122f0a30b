using System.Globalization;
using System.Text;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;

namespace Phoenix.Cli.Commands;

/// <summary>
/// Reads an execution and its whole history (every page), or follows one while it runs, and renders it as a timeline a
/// person can follow.
/// </summary>
public static class ExecutionTimeline
{
    public static async Task<(DescribeExecutionResponse Execution, IReadOnlyList<HistoryEvent> Events)> ReadAsync(
        AmazonStepFunctionsClient client, string executionArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var execution = await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = executionArn }, cancellationToken);
        return (execution, await ReadEventsAsync(client, executionArn, cancellationToken));
    }

    /// <summary>
    /// Follows a running execution to its end, writing each history event to <paramref name="output"/> as it appears
    /// (every <paramref name="poll"/>), so a terminal or a CI job log shows the deployment as it happens.
    /// </summary>
    public static async Task<(DescribeExecutionResponse Execution, IReadOnlyList<HistoryEvent> Events)> FollowAsync(
        AmazonStepFunctionsClient client, string executionArn, DateTime? startDate, TimeSpan poll, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(output);
        Formatter? formatter = null;
        long shown = 0;
        while (true)
        {
            var execution = await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = executionArn }, cancellationToken);
            var events = await ReadEventsAsync(client, executionArn, cancellationToken);
            // The origin is fixed by the first events seen: later ones are only ever later.
            formatter ??= events.Count == 0 ? null : new Formatter(Origin(startDate ?? execution.StartDate, events));
            foreach (var e in events.Where(e => e.Id > shown).OrderBy(e => e.Id))
            {
                await output.WriteAsync(formatter!.Line(e));
                shown = e.Id ?? shown;
            }

            await output.FlushAsync(cancellationToken);
            if (execution.Status != "RUNNING")
            {
                return (execution, events);
            }

            await Task.Delay(poll, cancellationToken);
        }
    }

    public static string Render(DescribeExecutionResponse execution, IReadOnlyList<HistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(events);
        var origin = Origin(execution.StartDate, events);
        var formatter = new Formatter(origin);
        return Header(execution, origin) + string.Concat(events.Select(formatter.Line)) + Footer(execution);
    }

    /// <summary>The execution's name, status, ARN, start and stop: what <see cref="Render"/> prints above the events.</summary>
    public static string Header(DescribeExecutionResponse execution, DateTime origin)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Execution {execution.Name}  {execution.Status}\n");
        text.Append(CultureInfo.InvariantCulture, $"  {execution.ExecutionArn}\n");
        text.Append(CultureInfo.InvariantCulture, $"  started {Format(execution.StartDate ?? origin)}");
        if (execution.StopDate is { } stop)
        {
            text.Append(CultureInfo.InvariantCulture, $", stopped {Format(stop)} ({Elapsed(stop.ToUniversalTime() - origin)})");
        }

        return text.Append('\n').ToString();
    }

    /// <summary>The execution's error and cause, when it has them.</summary>
    public static string Footer(DescribeExecutionResponse execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return execution.Error is not null || execution.Cause is not null ? $"Error: {execution.Error}: {execution.Cause}\n" : string.Empty;
    }

    /// <summary>
    /// Offsets count from the earliest moment known: events can carry the start's own second or, in emulators such as
    /// moto, precede the execution's StartDate, and an offset must never be negative.
    /// </summary>
    public static DateTime Origin(DateTime? startDate, IEnumerable<HistoryEvent> events)
    {
        var stamps = events.Select(e => e.Timestamp).Append(startDate).OfType<DateTime>().Select(t => t.ToUniversalTime()).ToList();
        return stamps.Count > 0 ? stamps.Min() : DateTime.UnixEpoch;
    }

    /// <summary>
    /// Turns events into timeline lines; it remembers which state each event belongs to (a task's events name no
    /// state, only the event before them), so events must be given in order.
    /// </summary>
    public sealed class Formatter(DateTime origin)
    {
        private readonly Dictionary<long, string> _stateOf = [];

        public TimelineEntry Entry(HistoryEvent e)
        {
            ArgumentNullException.ThrowIfNull(e);
            var state = e.StateEnteredEventDetails?.Name ?? e.StateExitedEventDetails?.Name
                ?? (e.PreviousEventId is { } previous && _stateOf.TryGetValue(previous, out var owner) ? owner : null);
            if (e.Id is { } id && state is not null)
            {
                _stateOf[id] = state;
            }

            var offset = e.Timestamp is { } at ? at.ToUniversalTime() - origin : TimeSpan.Zero;
            return new TimelineEntry(offset, state, e.Type ?? "?", Detail(e));
        }

        public string Line(HistoryEvent e)
        {
            var entry = Entry(e);
            var offset = e.Timestamp is null ? string.Empty : "+" + Elapsed(entry.Offset);
            var detail = entry.Detail is null ? string.Empty : "  " + entry.Detail;
            return string.Create(CultureInfo.InvariantCulture, $"  {offset,9}  {entry.State ?? "-",-24} {entry.Event}{detail}\n");
        }
    }

    private static async Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(AmazonStepFunctionsClient client, string executionArn, CancellationToken cancellationToken)
    {
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
        return events;
    }

    private static string? Detail(HistoryEvent e)
    {
        var failure = e.ExecutionFailedEventDetails ?? e.ExecutionAbortedEventDetails ?? e.ExecutionTimedOutEventDetails
            ?? e.LambdaFunctionFailedEventDetails ?? e.LambdaFunctionTimedOutEventDetails;
        if (failure is not null)
        {
            return $"{failure.Error}: {failure.Cause}";
        }

        var task = e.TaskFailedEventDetails ?? e.TaskTimedOutEventDetails;
        return task is null ? null : $"{task.Error}: {task.Cause}";
    }

    private static string Format(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>m:ss as "4m05s", or "1h02m03s"; a negative span (clocks that disagree) reads as zero.</summary>
    internal static string Elapsed(TimeSpan span)
    {
        span = span < TimeSpan.Zero ? TimeSpan.Zero : span;
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h{span.Minutes:00}m{span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m{span.Seconds:00}s");
    }
}
