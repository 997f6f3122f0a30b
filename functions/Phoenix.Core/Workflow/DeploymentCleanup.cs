using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>
/// How a Step Functions execution ended, as Step Functions reports it (the status-change event, or DescribeExecution
/// after StopExecution). <see cref="Status"/>: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE.
/// </summary>
public sealed record ExecutionEnding(string ExecutionArn, string Application, string Status, string? Error = null, string? Cause = null)
{
    /// <summary>The execution name, which is the deployment id of its ledger entry.</summary>
    public string DeploymentId => ExecutionArn[(ExecutionArn.LastIndexOf(':') + 1)..];
}

/// <summary>
/// What one cleanup run did. <see cref="Changed"/> and <see cref="LeftAsItWas"/> are one line per thing, for the operator
/// and the chat alert. <see cref="ManualActionNeeded"/> is set when the fleet could not be put back safely (the lock is then
/// kept, so no deployment starts on top of it); <see cref="LedgerResult"/> is the entry's result after the run (null: no entry).
/// </summary>
public sealed record CleanupReport(
    string ExecutionArn,
    string Application,
    string Status,
    string? LedgerResult,
    bool LockReleased,
    IReadOnlyList<string> Changed,
    IReadOnlyList<string> LeftAsItWas,
    string? ManualActionNeeded)
{
    /// <summary>One line: what was done, for logs and the lock-cleanup result.</summary>
    public string Summary =>
        ManualActionNeeded is { } manual
            ? $"Manual action needed: {manual}"
            : Changed.Count > 0 ? string.Join("; ", Changed) : LeftAsItWas.Count > 0 ? LeftAsItWas[0] : "Nothing to clean up.";
}

/// <summary>
/// Cleans up after an execution that ended without running its own ending (ABORTED or TIMED_OUT from outside, or FAILED
/// with an error no Catch handled, so ReleaseLock never ran): the Step Functions status-change event (drift handler and
/// LockCleanup) and <c>phoenix abort</c> both call it.
/// <para>
/// The fleet is touched only while this execution's lock is held (the execution's own, or taken again in its name when
/// it expired and no later deployment has started since), so cleanup never acts on a fleet another deployment owns.
/// The order is the rollback's: traffic back to the previous colour first (only when it has its full desired capacity
/// healthy), then the idle colour to min = max = desired = 0 (only once it carries no traffic), then what the deployment
/// suspended and pinned is restored from the ledger's <see cref="RestorePoint"/>, the ledger entry closed ABORTED, and the
/// lock released last. An execution that had already reached DEPLOYED (aborted while keeping the previous colour warm)
/// is finished forward instead: the previous colour goes to 0/0/0 and the entry stays DEPLOYED with a Warning.
/// A ROLLBACK_FAILED entry is left exactly as it is: its lock is kept on purpose until someone repairs the fleet.
/// Every action sets an absolute state, so a second run, a concurrent run (the event and <c>phoenix abort</c>) or a
/// run after a partial one converge to the same fleet.
/// </para>
/// </summary>
public sealed class DeploymentCleanup(
    ITopologyStore topologies,
    IAutoScaling autoScaling,
    ILoadBalancer loadBalancer,
    IDeploymentLock locks,
    IDeploymentLedger ledger,
    TimeProvider time)
{
    /// <summary>
    /// The StopExecution error <c>phoenix rollback</c> sends when it takes over a deployment that keeps the previous colour
    /// warm: the rollback does that execution's cleanup itself, so the event-driven cleanup leaves it alone.
    /// </summary>
    public const string ManualRollbackError = "PhoenixManualRollback";

    /// <summary>How long a cleanup holds a lock it had to take again; it releases it as soon as it is done.</summary>
    public static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(WorkflowSettings.DefaultLockSeconds);

    private static readonly string[] StoppedStatuses = ["FAILED", "TIMED_OUT", "ABORTED"];

    public DeploymentCleanup(WorkflowPorts ports, TimeProvider time)
        : this(Require(ports).Topologies, ports.AutoScaling, ports.LoadBalancer, ports.Locks, ports.Ledger, time)
    {
    }

    public async Task<CleanupReport> CleanupAsync(ExecutionEnding ending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ending);
        var run = new Run(ending);
        if (!StoppedStatuses.Contains(ending.Status, StringComparer.Ordinal))
        {
            // A RUNNING execution may still change the fleet itself; a SUCCEEDED one ran its own ending.
            run.Left(ending.Status is "RUNNING" or "PENDING_REDRIVE"
                ? $"The execution is {ending.Status}: cleanup runs only once it has stopped (FAILED, TIMED_OUT or ABORTED)."
                : $"The execution {ending.Status}: it ran its own ending, nothing to clean up.");
            return run.Report(null, lockReleased: false);
        }

        if (ending.Error == ManualRollbackError)
        {
            run.Left($"A manual rollback stopped this execution and cleans up after it itself ({ending.Cause ?? "phoenix rollback"}).");
            return run.Report(null, lockReleased: false);
        }

        var record = await ledger.GetAsync(ending.Application, ending.DeploymentId, cancellationToken);
        if (record is { StartedBy: { } startedBy } && startedBy != ending.ExecutionArn)
        {
            run.Left($"The ledger entry {ending.DeploymentId} of {ending.Application} belongs to {startedBy}, not this execution: left alone.");
            return run.Report(record.Result, lockReleased: false);
        }

        if (record is { Result: DeploymentResults.RollbackFailed })
        {
            run.Left($"The rollback of {ending.DeploymentId} failed: the lock on {ending.Application} stays held until someone repairs the fleet by hand (see the ROLLBACK_FAILED alert).");
            run.NeedsManualAction(
                $"{ending.DeploymentId} ended ROLLBACK_FAILED: repair the fleet as its alert says, then release the lock on {ending.Application} by hand.");
            return run.Report(record.Result, lockReleased: false);
        }

        // An entry a cleanup already closed ABORTED while keeping the lock (traffic could not go back) is retried only
        // under that same lock; the others may take an expired lock again.
        var fleetWork = record is { Restore: not null, Result: DeploymentResults.InProgress } or { Colour: not null, Result: DeploymentResults.Deployed };
        var held = fleetWork
            ? await HoldLockAsync(ending, record!, run, cancellationToken)
            : await OwnsLockAsync(ending, run, cancellationToken);

        if (record is null)
        {
            run.Left($"No ledger entry for {ending.DeploymentId}: the execution stopped before it took the lock and opened one.");
        }
        else if (record.Result == DeploymentResults.InProgress || (record is { Result: DeploymentResults.Aborted, Restore: not null } && held))
        {
            record = await AbortAsync(ending, record, held, run, cancellationToken);
        }
        else if (record is { Result: DeploymentResults.Deployed, Colour: not null } && held)
        {
            record = await FinishForwardAsync(ending, record, run, cancellationToken);
        }
        else
        {
            run.Left($"The ledger entry already says {record.Result}: the workflow finished its own ending.");
        }

        var released = false;
        if (held && run.ManualActionNeeded is null)
        {
            released = await locks.ReleaseAsync(ending.Application, ending.ExecutionArn, cancellationToken);
            if (released)
            {
                run.Change($"Released the stale lock on {ending.Application} held by this execution.");
            }
        }
        else if (held)
        {
            run.Left($"Kept the lock on {ending.Application} so no deployment starts on this fleet before it is repaired.");
        }

        return run.Report(record?.Result, released);
    }

    /// <summary>True when this execution holds the application's lock (nothing is taken).</summary>
    private async Task<bool> OwnsLockAsync(ExecutionEnding ending, Run run, CancellationToken cancellationToken)
    {
        var holder = await locks.GetAsync(ending.Application, cancellationToken);
        if (holder is null)
        {
            run.Left($"{ending.Application} is not locked: the workflow already released it.");
            return false;
        }

        if (holder.Owner != ending.ExecutionArn)
        {
            run.Left($"{ending.Application} is locked by {holder.Owner}, not this execution: lock left alone.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// True when cleanup may touch the fleet: this execution still holds the lock, or the lock is gone (expired) and no
    /// deployment has started since this one, in which case cleanup takes it again in the execution's name.
    /// </summary>
    private async Task<bool> HoldLockAsync(ExecutionEnding ending, DeploymentRecord record, Run run, CancellationToken cancellationToken)
    {
        var holder = await locks.GetAsync(ending.Application, cancellationToken);
        var now = time.GetUtcNow();
        if (holder is not null && holder.Owner == ending.ExecutionArn)
        {
            return true;
        }

        if (holder is not null && holder.ExpiresAt > now)
        {
            run.Left($"{ending.Application} is locked by {holder.Owner}, not this execution: the fleet belongs to that deployment now and was left as it is.");
            return false;
        }

        var later = (await ledger.ListAsync(ending.Application, 20, cancellationToken))
            .FirstOrDefault(r => r.DeploymentId != record.DeploymentId && r.StartedAt > record.StartedAt);
        if (later is not null)
        {
            run.Left($"Deployment {later.DeploymentId} ({later.Result}) started after this one: the fleet was left as it is.");
            return false;
        }

        var attempt = await locks.TryAcquireAsync(ending.Application, ending.ExecutionArn, now + LockDuration, cancellationToken);
        if (!attempt.Acquired)
        {
            run.Left($"{ending.Application} was just locked by {attempt.Holder.Owner}: the fleet was left as it is.");
        }

        return attempt.Acquired;
    }

    /// <summary>The deployment stopped mid-way: put the fleet back as it was before it, and close the entry ABORTED.</summary>
    private async Task<DeploymentRecord> AbortAsync(
        ExecutionEnding ending, DeploymentRecord record, bool held, Run run, CancellationToken cancellationToken)
    {
        string? warning = null;
        if (record.Restore is null)
        {
            // ScaleUpGreen records the restore point before its first change: without one, no group was touched.
            run.Left("The deployment stopped before its first change to the fleet: nothing to put back.");
        }
        else if (!held)
        {
            warning = "The fleet was not cleaned up because this execution no longer holds the lock; check the groups' sizes and suspended processes.";
        }
        else
        {
            warning = await RestoreFleetAsync(ending, record.Restore, run, cancellationToken);
        }

        var cleanup = "Cleanup: " + (run.Changed.Count > 0 ? string.Join(" ", run.Changed) : "nothing to change.");
        var closed = record.Result == DeploymentResults.Aborted
            ? record with { Cause = $"{record.Cause} {cleanup}", Warning = warning }
            : record with
            {
                Result = DeploymentResults.Aborted,
                FinishedAt = time.GetUtcNow(),
                Error = ending.Error ?? ErrorOf(ending.Status),
                Cause = $"Execution {ending.Status}{(ending.Cause is null ? "" : $": {ending.Cause}")}. {cleanup}",
                Warning = warning,
            };
        if (closed != record)
        {
            await ledger.PutAsync(closed, cancellationToken);
            run.Change($"Ledger entry {record.DeploymentId}: ABORTED.");
        }

        return closed;
    }

    private async Task<string?> RestoreFleetAsync(ExecutionEnding ending, RestorePoint restore, Run run, CancellationToken cancellationToken)
    {
        var topology = await topologies.GetAsync(ending.Application, cancellationToken)
            ?? throw new ApplicationNotFound($"No topology is stored for application '{ending.Application}'.");
        var targetColour = ColourExtensions.ParseColour(restore.TargetColour);
        Colour? previousColour = restore.PreviousColour is { } wire ? ColourExtensions.ParseColour(wire) : null;
        var target = topology.For(targetColour);

        var weights = await loadBalancer.DescribeListenerWeightsAsync(topology.ListenerArn, cancellationToken);
        var targetWeight = WeightOf(weights, target.TargetGroupArn);
        // The restore point's mark is what counts: a describe can answer from before the swap the execution made seconds ago.
        var mayServe = targetWeight > 0 || restore.TrafficMoved;
        var keepTarget = mayServe;
        string? warning = null;
        if (!mayServe)
        {
            run.Left($"Traffic already {Describe(topology, weights)}.");
        }
        else if (previousColour is { } back)
        {
            var health = await ColourHealth.ReadAsync(autoScaling, loadBalancer, topology.For(back), cancellationToken);
            if (health.AtCapacity)
            {
                await Listener.SetWeightsAsync(loadBalancer, topology, back, 100, cancellationToken);
                run.Change($"Traffic: 100% to {back.ToWire()} (was {Describe(topology, weights)}).");
                keepTarget = false;
            }
            else
            {
                warning = $"Traffic still goes {Describe(topology, weights)}: {back.ToWire()} has {health}, so it cannot take all of it back and "
                    + $"{targetColour.ToWire()} keeps its instances. Bring {back.ToWire()} to capacity, then run `phoenix abort {ending.ExecutionArn}` again.";
                run.Left($"Traffic {Describe(topology, weights)}: {back.ToWire()} is not at capacity ({health}).");
                run.NeedsManualAction(warning);
            }
        }
        else
        {
            // A first deployment has no previous colour, and its swap had begun (it goes straight to 100%): a healthy new
            // colour, the only one with instances, is finished forward and serves; one a rollback already emptied keeps
            // whatever traffic it has, there being nothing better to send it to. The other colour never ran anything and is held at
            // 0/0/0 as ScaleDownPrevious would have, once it carries nothing or runs nothing (a describe can answer from
            // before the swap and still show it with the listener's weight).
            var other = targetColour.Other();
            var health = await ColourHealth.ReadAsync(autoScaling, loadBalancer, target, cancellationToken);
            var serving = health.AtCapacity;
            if (!serving && health.Desired > 0)
            {
                // CheckHealth saw this colour at capacity before the swap began: a describe that does not may answer from
                // before that (eventual consistency), or the group is replacing an instance. Neither lasts; emptying the only
                // colour with instances, or leaving it idle, would be a wrong guess. Nothing has been changed yet: fail, and
                // the status-change event is delivered again (or the operator runs `phoenix abort` again) once it settles.
                throw new TransientFailure(
                    $"{targetColour.ToWire()} is not seen at capacity yet ({health}), though it passed its health checks before the swap began; "
                    + "cleanup changed nothing and must run again once the describes settle.");
            }

            if (serving)
            {
                await Listener.SetWeightsAsync(loadBalancer, topology, targetColour, 100, cancellationToken);
            }

            run.Left($"Traffic {Describe(topology, weights)}: a first deployment has no previous colour to go back to"
                + (serving ? $", so {targetColour.ToWire()} keeps serving." : $"; {targetColour.ToWire()} is not at capacity and keeps what it has."));
            var otherGroup = await autoScaling.DescribeAutoScalingGroupAsync(topology.For(other).AutoScalingGroupName, cancellationToken);
            var otherRunsNothing = otherGroup is { DesiredCapacity: 0 } && otherGroup.Instances.All(IdleGroup.IsGone);
            if (serving || otherRunsNothing || WeightOf(weights, topology.For(other).TargetGroupArn) == 0)
            {
                await EmptyAsync(topology.For(other).AutoScalingGroupName, other, run, cancellationToken, otherGroup);
            }
        }

        if (!keepTarget)
        {
            await EmptyAsync(target.AutoScalingGroupName, targetColour, run, cancellationToken);
        }

        await RestoreAsync(topology, restore, run, cancellationToken);
        return warning;
    }

    /// <summary>
    /// Finalize had written DEPLOYED: the new colour (the entry's Colour) is live, so only the previous, warm colour is left
    /// to scale down, after resuming what the deployment suspended (when its restore point is still on the entry).
    /// </summary>
    private async Task<DeploymentRecord> FinishForwardAsync(ExecutionEnding ending, DeploymentRecord record, Run run, CancellationToken cancellationToken)
    {
        var topology = await topologies.GetAsync(ending.Application, cancellationToken)
            ?? throw new ApplicationNotFound($"No topology is stored for application '{ending.Application}'.");
        if (record.Restore is { } restore)
        {
            // Only the processes: the previous colour's MinSize is about to be 0, not the value it had before the pin.
            await RestoreAsync(topology, restore with { PreviousCapacity = null }, run, cancellationToken);
        }

        var previousColour = ColourExtensions.ParseColour(record.Colour!).Other();
        var wire = previousColour.ToWire();
        var previous = topology.For(previousColour);
        var weights = await loadBalancer.DescribeListenerWeightsAsync(topology.ListenerArn, cancellationToken);
        if (WeightOf(weights, previous.TargetGroupArn) > 0)
        {
            run.Left($"{wire} still receives traffic ({Describe(topology, weights)}): it was not scaled down.");
            return record;
        }

        await EmptyAsync(previous.AutoScalingGroupName, previousColour, run, cancellationToken);
        var warning = $"Execution {ending.Status} while keeping {wire} warm; cleanup scaled {wire} to 0/0/0.";
        if (record.Warning?.Contains(warning, StringComparison.Ordinal) ?? false)
        {
            // A second cleanup run (the event and `phoenix abort`) writes the warning once.
            return record;
        }

        var finished = record with { Warning = record.Warning is null ? warning : $"{record.Warning} {warning}" };
        await ledger.PutAsync(finished, cancellationToken);
        run.Change($"Ledger entry {record.DeploymentId}: DEPLOYED, with the warning \"{warning}\"");
        return finished;
    }

    /// <summary>
    /// Sets the group to 0/0/0. The write happens whatever the describe answers: it is idempotent, and a describe can answer
    /// from before a scale-up the execution made seconds ago (eventual consistency), which had left a launching colour behind.
    /// The describe only words the report; <paramref name="described"/> is one the caller already made.
    /// </summary>
    private async Task EmptyAsync(string groupName, Colour colour, Run run, CancellationToken cancellationToken, AutoScalingGroup? described = null)
    {
        var group = described
            ?? await autoScaling.DescribeAutoScalingGroupAsync(groupName, cancellationToken)
            ?? throw new FleetInconsistent($"Auto Scaling group '{groupName}' from the topology does not exist.");
        await autoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(groupName, MinSize: 0, MaxSize: 0, DesiredCapacity: 0), cancellationToken);
        if (group is { MinSize: 0, MaxSize: 0, DesiredCapacity: 0 })
        {
            run.Left($"{colour.ToWire()} ({groupName}): held at 0/0/0.");
        }
        else
        {
            run.Change($"{colour.ToWire()} ({groupName}): min/max/desired {group.MinSize}/{group.MaxSize}/{group.DesiredCapacity} -> 0/0/0.");
        }
    }

    private async Task RestoreAsync(FleetTopology topology, RestorePoint restore, Run run, CancellationToken cancellationToken)
    {
        await FleetRestore.RestoreAsync(autoScaling, topology, restore, cancellationToken);
        foreach (var (group, processes) in restore.SuspendedProcesses.Where(p => p.Value.Count > 0))
        {
            run.Change($"Resumed {string.Join(", ", processes)} on {group}.");
        }

        if (restore.PreviousColour is { } colour && restore.PreviousCapacity is { } capacity)
        {
            run.Change($"{colour}: MinSize back to {capacity.Min}.");
        }
    }

    private static int WeightOf(IReadOnlyList<TargetGroupWeight> weights, string targetGroupArn) =>
        weights.Where(w => w.TargetGroupArn == targetGroupArn).Sum(w => w.Weight);

    private static string Describe(FleetTopology topology, IReadOnlyList<TargetGroupWeight> weights) =>
        $"blue {WeightOf(weights, topology.Blue.TargetGroupArn)} / green {WeightOf(weights, topology.Green.TargetGroupArn)}";

    /// <summary>The error Step Functions itself reports for a stop that gave none.</summary>
    private static string ErrorOf(string status) => status switch
    {
        "TIMED_OUT" => "States.Timeout",
        "ABORTED" => "Aborted",
        _ => "States.Runtime",
    };

    private static WorkflowPorts Require(WorkflowPorts ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        return ports;
    }

    private sealed class Run(ExecutionEnding ending)
    {
        private readonly List<string> _left = [];

        public List<string> Changed { get; } = [];

        public string? ManualActionNeeded { get; private set; }

        public void Change(string line) => Changed.Add(line);

        public void Left(string line) => _left.Add(line);

        public void NeedsManualAction(string line) => ManualActionNeeded = line;

        public CleanupReport Report(string? ledgerResult, bool lockReleased) =>
            new(ending.ExecutionArn, ending.Application, ending.Status, ledgerResult, lockReleased, Changed, _left, ManualActionNeeded);
    }
}

/// <summary>
/// How much of one colour can carry traffic: InService+Healthy instances of its group that are also healthy targets, against
/// the group's desired capacity. At capacity means every desired instance is ready (and at least one): the same test as
/// CheckHealth, for whichever image the colour runs.
/// </summary>
public sealed record ColourHealth(string AutoScalingGroupName, int Desired, int Ready, int Min, int Max, LaunchTemplateSpecification? LaunchTemplate)
{
    public bool AtCapacity => Desired > 0 && Ready >= Desired;

    public static async Task<ColourHealth> ReadAsync(IAutoScaling autoScaling, ILoadBalancer loadBalancer, ColourResources colour, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(autoScaling);
        ArgumentNullException.ThrowIfNull(loadBalancer);
        ArgumentNullException.ThrowIfNull(colour);
        var group = await autoScaling.DescribeAutoScalingGroupAsync(colour.AutoScalingGroupName, cancellationToken)
            ?? throw new FleetInconsistent($"Auto Scaling group '{colour.AutoScalingGroupName}' from the topology does not exist.");
        var targets = await loadBalancer.DescribeTargetHealthAsync(colour.TargetGroupArn, cancellationToken);
        var healthyTargets = targets.Where(t => t.State == "healthy").Select(t => t.TargetId).ToHashSet(StringComparer.Ordinal);
        var ready = group.Instances.Count(i => i.LifecycleState == "InService" && i.HealthStatus == "Healthy" && healthyTargets.Contains(i.InstanceId));
        return new ColourHealth(group.AutoScalingGroupName, group.DesiredCapacity, ready, group.MinSize, group.MaxSize, group.LaunchTemplate);
    }

    public override string ToString() => $"{Ready} of {Desired} desired instances ready in {AutoScalingGroupName} (min {Min}, max {Max})";
}
