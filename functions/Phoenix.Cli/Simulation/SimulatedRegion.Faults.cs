using Phoenix.Core;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

// What the fault plan injects: throttling before a call, a lost response after its change, Describe answers that lag
// the writes, and the other actors' events (scaling policies, scheduled actions, failing instances, zones that cannot
// launch).
public sealed partial class SimulatedRegion
{
    // What each Describe would have answered after each change within the lag window, oldest first. A group's or target
    // group's entry holds its persistent instance/target map and is turned into a list only when a stale read answers
    // with it, so a snapshot costs the same at 10 or 10,000 instances.
    private readonly Dictionary<string, List<(DateTimeOffset At, Lazy<object?> Value)>> _snapshots = new(StringComparer.Ordinal);
    private int _callsUntilFault;

    /// <summary>Calls that failed with a simulated throttling error.</summary>
    public int ThrottledCalls { get; private set; }

    /// <summary>Calls refused by a service outage.</summary>
    public int FailedByOutage { get; private set; }

    /// <summary>Calls whose change was made and whose response was then lost.</summary>
    public int LostResponses { get; private set; }

    /// <summary>Describe calls answered with an older state than the current one.</summary>
    public int StaleReads { get; private set; }

    /// <summary>Called before every port call: an outage or a throttling draw fails it before it does anything.</summary>
    internal void Throttle(string operation)
    {
        lock (_gate)
        {
            if (Faults.Outages.Any(o => o.Covers(operation, Now - _epoch)))
            {
                FailedByOutage++;
                throw new TransientFailure($"ServiceUnavailable: {operation} is failing in {RegionName} (simulated service event).");
            }

            if (Faults.ThrottleRate > 0 && Draw(Faults.ThrottleRate))
            {
                ThrottledCalls++;
                throw new TransientFailure($"Throttling: Rate exceeded for {operation} (simulated fault, {Faults.ThrottleRate:P0} of calls).");
            }
        }
    }

    /// <summary>Called after a changing call did its work: the response may be lost on the way back.</summary>
    internal void MaybeLoseResponse(string operation)
    {
        lock (_gate)
        {
            if (Faults.LostResponseRate > 0 && Draw(Faults.LostResponseRate))
            {
                LostResponses++;
                throw new TransientFailure(
                    $"RequestTimeout: no response to {operation} (simulated fault: the change was made, the response was lost; a retry must not make it twice).");
            }
        }
    }

    /// <summary>One seeded draw; after a hit the next <see cref="FaultPlan.CallsAfterThrottle"/> calls pass.</summary>
    private bool Draw(double rate)
    {
        if (_callsUntilFault > 0)
        {
            _callsUntilFault--;
            return false;
        }

#pragma warning disable CA5394 // Reproducible fault draws, not security.
        var hit = _random.NextDouble() < rate;
#pragma warning restore CA5394
        if (hit)
        {
            _callsUntilFault = Faults.CallsAfterThrottle;
        }

        return hit;
    }

    /// <summary>
    /// What a Describe call answers: the current state, or with <see cref="FaultPlan.DescribeLag"/> (for half the reads)
    /// the state at an instant drawn between that long ago and now (the snapshots recorded at every change).
    /// </summary>
    private T? Lagged<T>(string key, Func<T?> current)
        where T : class
    {
        if (Faults.DescribeLag <= TimeSpan.Zero)
        {
            return current();
        }

        // Half the reads are served by a replica that has caught up; the others lag by up to DescribeLag.
#pragma warning disable CA5394 // Reproducible fault draws, not security.
        var draw = _random.NextDouble();
#pragma warning restore CA5394
        if (draw < 0.5)
        {
            return current();
        }

        var lag = Faults.DescribeLag * ((draw - 0.5) * 2);
        var asOf = Now - lag;
        if (!_snapshots.TryGetValue(key, out var history) || history.Count == 0)
        {
            return current();
        }

        var index = LastAtOrBefore(history, asOf);
        var value = (T?)history[Math.Max(0, index)].Value.Value;
        if (index < history.Count - 1)
        {
            StaleReads++;
        }

        return value;
    }

    /// <summary>With describe lag on, remembers what every Describe would answer right after this change.</summary>
    private void RecordSnapshot()
    {
        if (Faults.DescribeLag <= TimeSpan.Zero)
        {
            return;
        }

        void Keep(string key, Lazy<object?> value)
        {
            if (!_snapshots.TryGetValue(key, out var history))
            {
                _snapshots[key] = history = [];
            }

            // Only what is older than the lag window and superseded can never be answered again.
            var horizon = Now - Faults.DescribeLag;
            var superseded = LastAtOrBefore(history, horizon);
            if (superseded > 0)
            {
                history.RemoveRange(0, superseded);
            }

            history.Add((Now, value));
        }

        foreach (var group in _groups.Values)
        {
            // The group's settings as they are now (a few fields), its instances as the persistent map is now.
            var settings = Describe(group, []);
            var instances = group.DescribedInstances;
            Keep($"asg:{group.Name}", new Lazy<object?>(() => settings with { Instances = [.. instances.Values] }, LazyThreadSafetyMode.None));
        }

        foreach (var targetGroup in _targetGroups.Values)
        {
            var targets = targetGroup.DescribedTargets;
            Keep($"tg:{targetGroup.Arn}", new Lazy<object?>(() => (IReadOnlyList<TargetHealthDescription>)[.. targets.Values], LazyThreadSafetyMode.None));
        }

        foreach (var listener in _listeners.Values)
        {
            Keep($"listener:{listener.Arn}", new Lazy<object?>((IReadOnlyList<ListenerAction>)[.. listener.DefaultActions]));
            Keep($"rules:{listener.Arn}", new Lazy<object?>((IReadOnlyList<ListenerRule>)RulesOf(listener)));
        }
    }

    /// <summary>The index of the last snapshot taken at or before <paramref name="at"/> (-1: none); they are in time order.</summary>
    private static int LastAtOrBefore(List<(DateTimeOffset At, Lazy<object?> Value)> history, DateTimeOffset at)
    {
        var (low, high) = (0, history.Count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (history[middle].At <= at)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return high;
    }

    /// <summary>Schedules the plan's events and the ends of its launch-failure windows on the region's clock.</summary>
    private void ScheduleFaults()
    {
        foreach (var e in Faults.Events)
        {
            At(_epoch + e.At, () => Apply(e));
        }

        foreach (var failure in Faults.LaunchFailures.Where(f => f.Until is not null))
        {
            At(_epoch + failure.Until!.Value, () =>
            {
                Changed("Zone", failure.Zone ?? "all zones", $"launches work again ({failure.Kind} over)");
                foreach (var group in _groups.Values)
                {
                    Reconcile(group);
                    Rebalance(group);
                }
            });
        }
    }

    private void Apply(FleetEvent e)
    {
        foreach (var topology in _topologies.Values.ToList())
        {
            var group = GroupFor(topology, e.Target);
            switch (e)
            {
                case CapacityChange change:
                    ChangeCapacity(group, change);
                    break;
                case InstanceFailure failure:
                    FailInstances(group, failure.Count);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown fleet event {e}.");
            }
        }
    }

    private void ChangeCapacity(SimGroup group, CapacityChange change)
    {
        var (process, who) = change.Source == CapacitySource.ScheduledAction
            ? (ScalingProcesses.ScheduledActions, "a scheduled action")
            : (ScalingProcesses.AlarmNotification, "a scaling policy");
        if (group.IsSuspended(process))
        {
            Changed("AutoScalingGroup", group.Name, $"{who} did not run: {process} is suspended");
            return;
        }

        var before = group.DesiredCapacity;
        var after = Math.Clamp(before + change.Delta, group.MinSize, group.MaxSize);
        if (after == before)
        {
            Changed("AutoScalingGroup", group.Name, $"{who} asked for {change.Delta:+#;-#} and changed nothing (min {group.MinSize}, max {group.MaxSize})");
            return;
        }

        group.ExternalGrowth += Math.Max(0, after - before);
        group.ScaledInByOthers = after < before;
        group.DesiredCapacity = after;
        Changed("AutoScalingGroup", group.Name, $"desired {before} → {after} by {who}");
        Reconcile(group);
    }
}
