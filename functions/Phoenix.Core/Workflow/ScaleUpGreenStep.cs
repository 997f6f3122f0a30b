using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>
/// <see cref="Execution"/> names the ledger entry the restore point is recorded in; the state machine passes
/// <c>{"id.$": "$$.Execution.Id", "startedAt.$": "$$.Execution.StartTime"}</c>. Without it (an older definition) no scaling
/// process is suspended: a suspension no ledger entry records could not be undone by the cleanup of an aborted execution,
/// and a retry could not tell it from someone else's.
/// <see cref="LaunchTemplateVersion"/> is the version UpdateLaunchTemplate just set on the idle group (<c>$.launchTemplate.version</c>):
/// the step judges leftovers against it, not against a describe that may answer from before that write.
/// </summary>
public sealed record ScaleUpGreenInput(DeploymentPlan Plan, DeploymentRequest Request, ExecutionRef? Execution = null, long? LaunchTemplateVersion = null);

/// <summary>
/// <see cref="HealthDeadline"/> bounds the CheckHealth loop. <see cref="PinnedPreviousDesired"/> is the live group's MinSize
/// while the deployment runs. <see cref="Restore"/> is what every ending gives to <see cref="FleetRestore.RestoreAsync"/>
/// (the same as the ledger entry's). <see cref="ReplacedInstances"/> are idle-group instances on an older launch-template
/// version that this step terminated.
/// </summary>
public sealed record ScaleUpGreenOutput(
    int TargetDesired,
    int? PinnedPreviousDesired,
    DateTimeOffset HealthDeadline,
    RestorePoint? Restore = null,
    IReadOnlyList<string>? ReplacedInstances = null);

/// <summary>
/// Readies the idle colour ("green") without switching autoscaling off. In order:
/// <list type="number">
/// <item>Records in the ledger entry, before its first change, what it is about to change (<see cref="RestorePoint"/>): the
/// live colour with its sizes, and per group the processes of <see cref="FleetRestore.SuspendedDuringDeployment"/> that are
/// not already suspended, so a suspension someone else made is never resumed by Phoenix. A retry finds the recorded point and
/// reuses it: observed again, the processes its first try suspended would look like someone else's.</item>
/// <item>Suspends those processes on both groups (scheduled actions and AZ rebalancing would move capacity under the
/// deployment).</item>
/// <item>Pins only the live group's MinSize to its current desired: scale-in cannot shrink the colour serving traffic, while
/// MaxSize stays so scale-out still works.</item>
/// <item>Replaces idle-group instances that are not on the new launch-template version (see below), then sizes the idle group:
/// min = desired = the live desired (or the request's, or the topology's default), max at least the planned max, so it can
/// scale out once traffic reaches it.</item>
/// </list>
/// <para>
/// Leftover instances in the idle group (a failed scale-down, an aborted run, a scaling policy or scheduled action acting on
/// it) would otherwise be counted as the group's capacity but never as healthy on the new version, and CheckHealth would
/// wait out its deadline. They are terminated in the group, decrementing desired, then the absolute sizes launch exactly the
/// missing instances on the new version. The idle colour carries no traffic, so removing them at once is safe, and draining
/// them while the new instances boot overlaps the two; scaling the group to 0 first and waiting would add a whole drain
/// (deregistration delay and shutdown) before the first new instance even launches.
/// </para>
/// Every change is an absolute size or an idempotent suspend/terminate, so a retry converges to the same fleet.
/// </summary>
public sealed class ScaleUpGreenStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<ScaleUpGreenOutput> ExecuteAsync(ScaleUpGreenInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var restore = await RestorePointAsync(input, cancellationToken);
        foreach (var (group, processes) in restore.SuspendedProcesses)
        {
            if (processes.Count > 0)
            {
                await ports.AutoScaling.SuspendProcessesAsync(group, processes, cancellationToken);
            }
        }

        int? pinned = null;
        var desired = plan.TargetCapacity.Desired;
        if (plan.Previous is { } previous)
        {
            var live = await DescribeAsync(previous.AutoScalingGroupName, cancellationToken);
            pinned = live.DesiredCapacity;
            await ports.AutoScaling.UpdateAutoScalingGroupAsync(
                new UpdateAutoScalingGroup(previous.AutoScalingGroupName, MinSize: pinned), cancellationToken);

            // Scale-out may have grown the live colour since ResolveFleet; green must be able to carry all of it.
            if (input.Request.Capacity is null)
            {
                desired = Math.Max(desired, live.DesiredCapacity);
            }
        }

        var target = plan.Target.AutoScalingGroupName;
        var replaced = await ReplaceStaleAsync(target, input.LaunchTemplateVersion, cancellationToken);
        await ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(target, MinSize: desired, MaxSize: Math.Max(desired, plan.TargetCapacity.Max), DesiredCapacity: desired),
            cancellationToken);
        return new ScaleUpGreenOutput(
            desired,
            pinned,
            time.GetUtcNow().AddSeconds(input.Request.Strategy.HealthTimeoutSeconds),
            restore,
            replaced.Count > 0 ? replaced : null);
    }

    /// <summary>The recorded restore point of this execution, or a new one recorded before anything changes.</summary>
    private async Task<RestorePoint> RestorePointAsync(ScaleUpGreenInput input, CancellationToken cancellationToken)
    {
        var plan = input.Plan;
        DeploymentRecord? existing = null;
        if (input.Execution is { } execution)
        {
            existing = await ports.Ledger.GetAsync(plan.Application, execution.DeploymentId, cancellationToken);
            if (existing?.Restore is { } recorded)
            {
                return recorded;
            }
        }

        var suspended = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        Capacity? previousCapacity = null;
        foreach (var colour in new[] { plan.Topology.Blue, plan.Topology.Green })
        {
            var group = await DescribeAsync(colour.AutoScalingGroupName, cancellationToken);
            var already = group.SuspendedProcesses ?? [];
            suspended[colour.AutoScalingGroupName] = input.Execution is null
                ? []
                : FleetRestore.SuspendedDuringDeployment.Where(p => !already.Contains(p)).ToList();
            if (colour == plan.Previous)
            {
                previousCapacity = new Capacity(group.MinSize, group.MaxSize, group.DesiredCapacity);
            }
        }

        var restore = new RestorePoint(plan.PreviousColour?.ToWire(), previousCapacity, plan.TargetColour.ToWire(), suspended);
        if (input.Execution is { } run)
        {
            var source = input.Request.Source;
            var record = existing ?? new DeploymentRecord(
                plan.Application,
                run.DeploymentId,
                DeploymentResults.InProgress,
                input.Request.ImageId,
                plan.PreviousImageId,
                plan.TargetColour.ToWire(),
                source.Commit,
                source.Repository,
                source.Trigger,
                run.Id,
                run.StartedAt,
                FinishedAt: null);
            await ports.Ledger.PutAsync(record with { Restore = restore }, cancellationToken);
        }

        return restore;
    }

    /// <summary>
    /// Terminates the idle group's instances that are not on the new launch-template version UpdateLaunchTemplate set (the
    /// group's, when the input does not name it), decrementing desired so none is replaced on the old version.
    /// </summary>
    private async Task<List<string>> ReplaceStaleAsync(string groupName, long? version, CancellationToken cancellationToken)
    {
        var group = await DescribeAsync(groupName, cancellationToken);
        var template = group.RequireLaunchTemplate();
        var current = version is { } v
            ? template with { Version = v.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : template;
        var stale = group.Instances.Where(i => IdleGroup.IsStale(i, current)).ToList();
        if (stale.Count == 0)
        {
            return [];
        }

        // Desired cannot drop below MinSize: lower the floor first (the final sizes below set it again).
        await ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(groupName, MinSize: 0), cancellationToken);
        var remainingDesired = group.DesiredCapacity;
        foreach (var instance in stale)
        {
            // Past desired 0 (e.g. Standby instances outside desired) nothing would replace it anyway.
            var decrement = remainingDesired > 0;
            await ports.AutoScaling.TerminateInstanceInAutoScalingGroupAsync(instance.InstanceId, decrement, cancellationToken);
            remainingDesired -= decrement ? 1 : 0;
        }

        return stale.Select(i => i.InstanceId).ToList();
    }

    private async Task<AutoScalingGroup> DescribeAsync(string groupName, CancellationToken cancellationToken) =>
        await ports.AutoScaling.DescribeAutoScalingGroupAsync(groupName, cancellationToken)
        ?? throw new FleetInconsistent($"Auto Scaling group '{groupName}' from the topology does not exist.");
}

/// <summary>What the idle colour's group holds besides the instances a deployment launches.</summary>
internal static class IdleGroup
{
    /// <summary>Terminating, terminated, or being detached: on its way out of the group whatever happens.</summary>
    public static bool IsGone(AutoScalingInstance instance) =>
        instance.LifecycleState.StartsWith("Terminat", StringComparison.Ordinal)
        || instance.LifecycleState.StartsWith("Detach", StringComparison.Ordinal);

    /// <summary>
    /// Still in the group but launched from another template or version than <paramref name="current"/>. An instance that
    /// reports no launch template cannot be judged and is left alone (CheckHealth treats it the same way).
    /// </summary>
    public static bool IsStale(AutoScalingInstance instance, LaunchTemplateSpecification current) =>
        !IsGone(instance)
        && instance.LaunchTemplate is { } template
        && (template.LaunchTemplateId != current.LaunchTemplateId || template.Version != current.Version);
}
