namespace Phoenix.Core.Workflow;

/// <summary>
/// <see cref="WatchSeconds"/> 0 is a single check (after a canary step). For the bake-time watch the first call leaves
/// <see cref="WatchUntil"/> null and gets it back; the state machine passes it on every later poll.
/// </summary>
public sealed record CheckAlarmsInput(DeploymentPlan Plan, int WatchSeconds, DateTimeOffset? WatchUntil = null);

/// <summary><see cref="NextWaitSeconds"/> is how long to wait before the next poll while the watch is not complete.</summary>
public sealed record CheckAlarmsOutput(DateTimeOffset WatchUntil, bool WatchComplete, int NextWaitSeconds, int AlarmsChecked);

/// <summary>
/// Fails with AlarmTriggered when any of the application's alarms is in ALARM (OK and INSUFFICIENT_DATA pass: a new
/// colour often has no data yet). During a watch it also says whether the watch is over and when to poll next. Reads only.
/// </summary>
public sealed class CheckAlarmsStep(WorkflowPorts ports, TimeProvider time)
{
    /// <summary>Alarms evaluate per minute at best; polling faster only costs state transitions.</summary>
    public const int PollSeconds = 60;

    public async Task<CheckAlarmsOutput> ExecuteAsync(CheckAlarmsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var names = input.Plan.Topology.AlarmNames;
        if (names.Count > 0)
        {
            var alarms = await ports.Alarms.DescribeAlarmsAsync(names, cancellationToken);
            var firing = alarms.Where(a => a.StateValue == "ALARM").ToList();
            if (firing.Count > 0)
            {
                throw new AlarmTriggered(
                    $"Alarm{(firing.Count > 1 ? "s" : "")} in ALARM for '{input.Plan.Application}': "
                    + string.Join("; ", firing.Select(a => $"{a.AlarmName} since {a.StateUpdatedTimestamp:O}{(a.StateReason is null ? "" : $" ({a.StateReason})")}"))
                    + ".");
            }
        }

        var now = time.GetUtcNow();
        var watchUntil = input.WatchUntil ?? now.AddSeconds(Math.Max(0, input.WatchSeconds));
        var remaining = watchUntil - now;
        var complete = remaining <= TimeSpan.Zero;
        var nextWait = complete ? 0 : (int)Math.Min(PollSeconds, Math.Ceiling(remaining.TotalSeconds));
        return new CheckAlarmsOutput(watchUntil, complete, nextWait, names.Count);
    }
}
