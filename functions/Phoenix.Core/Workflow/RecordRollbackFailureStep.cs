using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary><see cref="Error"/> is what made the deployment roll back; <see cref="RollbackError"/> what made the rollback fail.</summary>
public sealed record RecordRollbackFailureInput(
    DeploymentPlan Plan, DeploymentRequest Request, string? ImageId, ExecutionRef Execution, StepError Error, StepError RollbackError);

/// <summary><see cref="Left"/>: what the fleet looks like now, in words; <see cref="LockExpiresAt"/>: null when the lock could not be kept.</summary>
public sealed record RecordRollbackFailureOutput(string Result, string Left, DateTimeOffset? LockExpiresAt);

/// <summary>
/// Rollback failed after all its retries, so nobody knows the fleet is safe: the ledger says ROLLBACK_FAILED with the
/// original error and, as its warning, the rollback's error and what is left (<see cref="FleetSurvey"/>: each colour's
/// weight, group sizes and suspended processes), and the lock is kept, renewed for <see cref="LockHoldDays"/> days, so
/// no deployment starts on a half-rolled-back fleet until someone has looked. Idempotent: a retry observes again and
/// writes the same kind of record.
/// </summary>
public sealed class RecordRollbackFailureStep(WorkflowPorts ports, TimeProvider time)
{
    /// <summary>Long enough for a person to fix the fleet and release the lock by hand; it is not a deployment's lifetime.</summary>
    public const int LockHoldDays = 30;

    public async Task<RecordRollbackFailureOutput> ExecuteAsync(RecordRollbackFailureInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var left = await FleetSurvey.DescribeAsync(ports, plan.Topology, cancellationToken);
        var now = time.GetUtcNow();
        var attempt = await ports.Locks.TryAcquireAsync(plan.Application, input.Execution.Id, now.AddDays(LockHoldDays), cancellationToken);
        var lockState = attempt.Acquired
            ? $"The lock stays held by this execution until {attempt.Holder.ExpiresAt:O} or until it is released by hand."
            : $"The lock could not be kept: it is held by {attempt.Holder.Owner}.";

        var existing = await ports.Ledger.GetAsync(plan.Application, input.Execution.DeploymentId, cancellationToken);
        var warning = $"Rollback failed after its retries ({input.RollbackError.Error}: {input.RollbackError.Cause ?? "no cause given"}). "
            + $"Manual action needed. What is left: {left}. {lockState}";
        await ports.Ledger.PutAsync(
            Ledger.Close(existing, input.Request, plan, input.Execution, DeploymentResults.RollbackFailed, input.ImageId, now, input.Error, warning),
            cancellationToken);
        return new RecordRollbackFailureOutput(DeploymentResults.RollbackFailed, left, attempt.Acquired ? attempt.Holder.ExpiresAt : null);
    }
}

/// <summary>What a fleet looks like, in words for a person who has to fix it by hand.</summary>
internal static class FleetSurvey
{
    /// <summary>
    /// Each colour's share of the listener's traffic, its group's min/max/desired and InService count, and the scaling
    /// processes suspended on it. A part that cannot be read is reported as such: an alert that something is broken
    /// must not itself fail because part of the fleet does not answer.
    /// </summary>
    public static async Task<string> DescribeAsync(WorkflowPorts ports, FleetTopology topology, CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        try
        {
            var weights = await ports.LoadBalancer.DescribeListenerWeightsAsync(topology.ListenerArn, cancellationToken);
            int WeightOf(Colour colour) => weights.Where(w => w.TargetGroupArn == topology.For(colour).TargetGroupArn).Sum(w => w.Weight);
            parts.Add($"traffic blue {WeightOf(Colour.Blue)}, green {WeightOf(Colour.Green)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            parts.Add($"traffic unknown (listener '{topology.ListenerArn}' could not be read: {e.Message})");
        }

        foreach (var colour in new[] { Colour.Blue, Colour.Green })
        {
            var name = topology.For(colour).AutoScalingGroupName;
            try
            {
                var group = await ports.AutoScaling.DescribeAutoScalingGroupAsync(name, cancellationToken);
                parts.Add(group is null
                    ? $"{colour.ToWire()} group '{name}' does not exist"
                    : $"{colour.ToWire()} group '{name}' min {group.MinSize} max {group.MaxSize} desired {group.DesiredCapacity} "
                        + $"({group.Instances.Count(i => i.LifecycleState == "InService")} InService), suspended processes: "
                        + (group.SuspendedProcesses is { Count: > 0 } suspended ? string.Join(", ", suspended) : "none"));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                parts.Add($"{colour.ToWire()} group '{name}' could not be read: {e.Message}");
            }
        }

        return string.Join("; ", parts);
    }
}
