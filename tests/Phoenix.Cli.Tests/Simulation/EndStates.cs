using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;

namespace Phoenix.Cli.Tests.Simulation;

/// <summary>
/// What every deployment must leave behind, judged from the region before it started and after it ended (issue 11):
/// DEPLOYED (new image live at full capacity, idle colour at 0), ROLLED_BACK (previous image live at full capacity, idle
/// at 0), ROLLBACK_FAILED (lock kept, "manual action" alert), ABORTED (lock released, ledger ABORTED), FAILED before any
/// change (fleet as it was), or refused before it wrote anything; never IN_PROGRESS. In every case the listener's
/// settings other than weights are unchanged, and the scaling processes Phoenix suspends are running again (unless they
/// were already suspended before it started, or the rollback failed).
/// </summary>
internal static class EndStates
{
    public static IReadOnlyList<string> Problems(SimulationResult result, DeploymentRun run)
    {
        var problems = new List<string>();
        var before = run.Before;
        var after = run.After;
        var entry = run.LedgerEntry;
        if (entry is { Result: DeploymentResults.InProgress } && run.Execution.Error == "RollbackFailed"
            && result.Setup.Faults.Outages.Any(o => o.Operation == "PutItem"))
        {
            // DynamoDB refused every write until RecordRollbackFailure gave up: the execution's result, the kept lock and the
            // alert are then what says ROLLBACK_FAILED, and they are checked as such.
            entry = entry with { Result = DeploymentResults.RollbackFailed };
        }

        var previous = before.Fleet.Blue.Traffic >= before.Fleet.Green.Traffic ? Colour.Blue : Colour.Green;
        var idle = previous == Colour.Blue ? Colour.Green : Colour.Blue;
        var holdsLock = after.Lock?.Owner == run.ExecutionArn && after.Lock.ExpiresAt > after.At;
        // A scaling policy or scheduled action may change a group's desired meanwhile: where Phoenix must not have changed
        // anything, desired is then left out of the comparison.
        var others = result.Changes.Any(c => c.At >= before.At && c.At <= after.At && c.Detail.Contains(" by a ", StringComparison.Ordinal));

        if (after.ListenerSettings != before.ListenerSettings)
        {
            problems.Add($"listener settings other than weights changed:\n{before.ListenerSettings}--- became ---\n{after.ListenerSettings}");
        }

        if (entry is null)
        {
            Unchanged(problems, result, run, others, idle, "no ledger entry");
            return problems;
        }

        // ScaleDownPrevious failed after a good swap: DEPLOYED with a warning, and the previous colour is still running
        // (and still has the processes the deployment suspended) until someone scales it down as the warning says.
        var scaleDownFailed = entry.Result == DeploymentResults.Deployed
            && run.Execution.History.Any(e => e.Type == "TaskStateEntered" && e.Details?["name"]?.GetValue<string>() == "ReleaseLockWithWarning");
        // Cleanup of an aborted execution whose previous colour cannot take the traffic back closes the entry ABORTED but
        // keeps the lock and asks for manual action (DeploymentCleanup): the fleet is left as it is for a human.
        var abortedNeedingHands = entry.Result == DeploymentResults.Aborted && holdsLock
            && (run.Cleanup?.Detail?.Contains("Manual action needed", StringComparison.Ordinal) ?? false);
        // Every delivery of the status-change event failed (the fault rates here are after the SDK's own retries): the
        // event is on the drift queue's dead-letter queue, whose alarm pages someone, and the next deployment cleans up after
        // the execution once its lock expires (AcquireLock). Until then the entry and the lock say what is true: not done.
        var deadLettered = run.Cleanup is { Handled: false } && entry.Result is DeploymentResults.InProgress or DeploymentResults.Aborted;
        if (abortedNeedingHands || deadLettered)
        {
            return problems;
        }

        if (entry.Result != DeploymentResults.RollbackFailed)
        {
            if (holdsLock)
            {
                problems.Add($"ended {entry.Result} but still holds the lock");
            }

            foreach (var (colour, was, now) in new[] { ("blue", before.BlueSuspended, after.BlueSuspended), ("green", before.GreenSuspended, after.GreenSuspended) })
            {
                var left = now.Except(was).ToList();
                if (left.Count > 0 && !(scaleDownFailed && colour == previous.ToWire()))
                {
                    problems.Add($"ended {entry.Result} with {string.Join(", ", left)} still suspended on {colour}");
                }
            }
        }

        switch (entry.Result)
        {
            case DeploymentResults.Deployed:
            {
                var target = entry.Colour is { } wire ? ColourExtensions.ParseColour(wire) : idle;
                // A scaling policy or scheduled action may resize the new live colour once all traffic is on it (the last
                // listener change) and Phoenix no longer sizes it: what it asked for is then the capacity to hold.
                var finalizedAt = run.Execution.History.FirstOrDefault(e => e.Type == "TaskStateEntered" && e.StateName == "Finalize")?.Timestamp
                    ?? run.Execution.History[^1].Timestamp;
                var allTrafficAt = result.Changes
                    .Where(c => c.Kind is "Listener" or "ListenerRule" && c.At >= before.At && c.At <= finalizedAt)
                    .Select(c => c.At)
                    .DefaultIfEmpty(finalizedAt)
                    .Max();
                var resizedSince = result.Changes.Any(c => c.At >= allTrafficAt && c.At <= after.At
                    && c.Subject == result.Topology.For(target).AutoScalingGroupName && c.Detail.Contains(" by a ", StringComparison.Ordinal));
                var required = resizedSince
                    ? after.Fleet.For(target).DesiredCapacity
                    : DesiredWhenLastServing(result, run, target == Colour.Blue ? Colour.Green : Colour.Blue);
                Live(problems, after.Fleet, target, run.ImageId, required, "DEPLOYED");
                if (!scaleDownFailed)
                {
                    Empty(problems, after.Fleet, target == Colour.Blue ? Colour.Green : Colour.Blue, "DEPLOYED");
                }

                break;
            }

            case DeploymentResults.RolledBack:
                // A scaling policy may have resized the previous colour once the rollback gave its scaling back.
                Live(problems, after.Fleet, previous, before.Fleet.For(previous).ImageId,
                    others ? after.Fleet.For(previous).DesiredCapacity : before.Fleet.For(previous).DesiredCapacity, "ROLLED_BACK");
                Empty(problems, after.Fleet, idle, "ROLLED_BACK");
                break;
            case DeploymentResults.RollbackFailed:
                if (!holdsLock)
                {
                    problems.Add("ROLLBACK_FAILED but the lock was released");
                }

                if (!run.Published.Any(m => $"{m.Subject} {m.Message}".Contains("manual", StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add("ROLLBACK_FAILED without a \"manual action needed\" alert");
                }

                break;
            case DeploymentResults.Aborted when entry.Restore is null:
            case DeploymentResults.Failed:
                // Stopped before ScaleUpGreen recorded a restore point, which it does before its first change to the fleet.
                Unchanged(problems, result, run, others, idle, $"{entry.Result} before any change");
                break;
            case DeploymentResults.Aborted:
                Empty(problems, after.Fleet, after.Fleet.Blue.Traffic >= after.Fleet.Green.Traffic ? Colour.Green : Colour.Blue, "ABORTED");
                break;
            default:
                problems.Add($"ended with ledger result {entry.Result}: not a truthful end state");
                break;
        }

        return problems;
    }

    /// <summary>
    /// The desired capacity the previous colour had the last time it carried traffic during the run: green is sized to it
    /// right before the final traffic step (a scaling policy may have grown, or a scale-in shrunk, the live colour before).
    /// </summary>
    private static int DesiredWhenLastServing(SimulationResult result, DeploymentRun run, Colour colour) =>
        result.Timeline
            .Where(p => p.At >= run.Before.At && p.At <= run.After.At && p.For(colour).Traffic > 0)
            .Select(p => p.For(colour).DesiredCapacity)
            .DefaultIfEmpty(run.Before.Fleet.For(colour).DesiredCapacity)
            .Last();

    private static void Live(List<string> problems, FleetObservation fleet, Colour colour, string? image, int capacity, string result)
    {
        var live = fleet.For(colour);
        var other = fleet.For(colour == Colour.Blue ? Colour.Green : Colour.Blue);
        if (other.Traffic > 0 || live.Traffic == 0)
        {
            problems.Add($"{result}: traffic is not all on {colour.ToWire()} (blue {fleet.Blue.Weight}+{fleet.Blue.RuleWeight}, green {fleet.Green.Weight}+{fleet.Green.RuleWeight})");
        }

        if (image is not null && live.ImageId != image)
        {
            problems.Add($"{result}: {colour.ToWire()} runs {live.ImageId}, not {image}");
        }

        if (live.DesiredCapacity < capacity || live.HealthyTargets + live.ExternalDeficit + live.ExternalGrowth < live.DesiredCapacity)
        {
            problems.Add($"{result}: {colour.ToWire()} has desired {live.DesiredCapacity} and {live.HealthyTargets} healthy, needs {capacity}");
        }
    }

    /// <summary>
    /// A run that made no change of its own leaves the fleet as it found it, except when it found the lock expired in a dead
    /// execution's name: AcquireLock then cleans up after that execution first (and may fail after part of it), which
    /// empties the idle colour the dead execution had scaled up, so the idle colour must then be held at 0.
    /// </summary>
    private static void Unchanged(List<string> problems, SimulationResult result, DeploymentRun run, bool others, Colour idle, string what)
    {
        var (before, after) = (run.Before, run.After);
        // UpdateLaunchTemplate points the idle colour's template at the new image before ScaleUpGreen's first change to
        // the fleet: that colour runs nothing from it, so its image is left out.
        if (Sizes(after.Fleet, others, idle) == Sizes(before.Fleet, others, idle))
        {
            return;
        }

        // A rollback (or cleanup) that ran anyway holds the idle colour at 0/0/0, the state between deployments.
        var idleHeld = after.Fleet.For(idle) is { MinSize: 0, MaxSize: 0, DesiredCapacity: 0 };
        var live = idle == Colour.Blue ? Colour.Green : Colour.Blue;
        if (idleHeld && Sizes(after.Fleet, live, others) == Sizes(before.Fleet, live, others))
        {
            return;
        }

        // (Only when the dead execution left changes behind: the arranged stale pins and its ledger restore point.)
        var deadHolder = result.Setup.Leftovers?.StalePins == true
            && before.Lock is { } held && held.Owner != run.ExecutionArn && held.ExpiresAt <= before.At;
        if (deadHolder)
        {
            Empty(problems, after.Fleet, idle, $"{what}, after cleaning up the dead execution");
        }
        else
        {
            problems.Add($"{what}, yet the fleet changed: {Sizes(before.Fleet)} -> {Sizes(after.Fleet)}");
        }
    }

    private static void Empty(List<string> problems, FleetObservation fleet, Colour colour, string result)
    {
        var idle = fleet.For(colour);
        if (idle.DesiredCapacity != 0 || idle.MinSize != 0 || idle.MaxSize != 0 || idle.InService + idle.Pending != 0)
        {
            problems.Add($"{result}: idle {colour.ToWire()} is not held at 0 (min {idle.MinSize} max {idle.MaxSize} desired {idle.DesiredCapacity}, {idle.InService + idle.Pending} running)");
        }
    }

    private static string Sizes(FleetObservation fleet, bool withoutDesired = false, Colour? withoutImageOf = null) =>
        $"{Sizes(fleet, Colour.Blue, withoutDesired, withoutImageOf == Colour.Blue)}, {Sizes(fleet, Colour.Green, withoutDesired, withoutImageOf == Colour.Green)}";

    private static string Sizes(FleetObservation fleet, Colour colour, bool withoutDesired, bool withoutImage = false)
    {
        var c = fleet.For(colour);
        return $"{colour.ToWire()} {c.Weight}% {c.MinSize}/{c.MaxSize}/{(withoutDesired ? "*" : c.DesiredCapacity)} {(withoutImage ? "*" : c.ImageId)}";
    }
}
