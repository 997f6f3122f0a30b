namespace Phoenix.Core.Workflow;

/// <summary>
/// <see cref="WatchSeconds"/> 0 is a single check (after a canary step). For the bake-time watch the first call leaves
/// <see cref="WatchUntil"/> null and gets it back; the state machine passes it on every later poll.
/// </summary>
public sealed record CheckAlarmsInput(DeploymentPlan Plan, int WatchSeconds, DateTimeOffset? WatchUntil = null);

/// <summary>
/// <see cref="NextWaitSeconds"/> is how long to wait before the next poll while the watch is not complete.
/// <see cref="InsufficientData"/> counts alarms with no verdict yet, <see cref="Ignored"/> alarms skipped because the
/// strategy ignores them and they are still in the ALARM they were in when the deployment started.
/// </summary>
public sealed record CheckAlarmsOutput(DateTimeOffset WatchUntil, bool WatchComplete, int NextWaitSeconds, int AlarmsChecked, int InsufficientData = 0, int Ignored = 0);

/// <summary>An alarm the strategy ignores (<c>strategy.ignoreAlarms</c>) that was in ALARM, since <see cref="InAlarmSince"/>, when the fleet was observed.</summary>
public sealed record IgnoredAlarm(string AlarmName, DateTimeOffset InAlarmSince);

/// <summary>
/// Fails with AlarmTriggered when any of the application's alarms is in ALARM. During a watch it also says whether the
/// watch is over and when to poll next. Reads only.
/// <para>
/// INSUFFICIENT_DATA passes, at every check, and is counted in the output. The alarms watch the new colour's target group,
/// which has no requests, and so no datapoints, until traffic reaches it, and after a small canary step it may still have
/// too few for a period; failing on that would roll back every low-traffic deployment. Whether missing data means
/// breaching is the alarm's own TreatMissingData setting, which CloudWatch already applies before reporting a state: an
/// alarm that must treat silence as failure says so there and reaches ALARM by itself.
/// </para>
/// <para>
/// An ignored alarm (<see cref="DeploymentPlan.IgnoredAlarms"/>) is skipped only while it is still in the same ALARM
/// (same state change time) it was in when the deployment started: if it recovers and fires again, that is news and fails
/// the check like any other alarm.
/// </para>
/// </summary>
public sealed class CheckAlarmsStep(WorkflowPorts ports, TimeProvider time)
{
    /// <summary>Alarms evaluate per minute at best; polling faster only costs state transitions.</summary>
    public const int PollSeconds = 60;

    public async Task<CheckAlarmsOutput> ExecuteAsync(CheckAlarmsInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var names = input.Plan.Topology.AlarmNames;
        var insufficient = 0;
        var ignored = 0;
        if (names.Count > 0)
        {
            var alarms = await ports.Alarms.DescribeAlarmsAsync(names, cancellationToken);
            var known = input.Plan.IgnoredAlarms ?? [];
            var inAlarm = alarms.Where(a => a.StateValue == "ALARM").ToList();
            var firing = inAlarm
                .Where(a => !known.Any(k => k.AlarmName == a.AlarmName && k.InAlarmSince == a.StateUpdatedTimestamp))
                .ToList();
            if (firing.Count > 0)
            {
                throw new AlarmTriggered(
                    $"Alarm{(firing.Count > 1 ? "s" : "")} in ALARM for '{input.Plan.Application}': "
                    + string.Join("; ", firing.Select(a => $"{a.AlarmName} since {a.StateUpdatedTimestamp:O}{(a.StateReason is null ? "" : $" ({a.StateReason})")}"))
                    + ".");
            }

            ignored = inAlarm.Count;
            insufficient = alarms.Count(a => a.StateValue == "INSUFFICIENT_DATA");
        }

        var now = time.GetUtcNow();
        var watchUntil = input.WatchUntil ?? now.AddSeconds(Math.Max(0, input.WatchSeconds));
        var remaining = watchUntil - now;
        var complete = remaining <= TimeSpan.Zero;
        var nextWait = complete ? 0 : (int)Math.Min(PollSeconds, Math.Ceiling(remaining.TotalSeconds));
        return new CheckAlarmsOutput(watchUntil, complete, nextWait, names.Count, insufficient, ignored);
    }
}
