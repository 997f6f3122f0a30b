using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record ScaleUpGreenInput(DeploymentPlan Plan, DeploymentRequest Request);

/// <summary><see cref="HealthDeadline"/> bounds the CheckHealth loop.</summary>
public sealed record ScaleUpGreenOutput(int TargetDesired, int? PinnedPreviousDesired, DateTimeOffset HealthDeadline);

/// <summary>
/// Pins the live group (min = max = its current desired) so scale-in cannot shrink the colour that serves traffic
/// while the new one warms up, then sizes the idle group to the live capacity (or the request's, or the topology's
/// default on a first deployment), pinned too until Finalize. Setting absolute sizes makes a retry a no-op.
/// </summary>
public sealed class ScaleUpGreenStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<ScaleUpGreenOutput> ExecuteAsync(ScaleUpGreenInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        int? pinned = null;
        var desired = plan.TargetCapacity.Desired;
        if (plan.Previous is { } previous)
        {
            var live = await ports.AutoScaling.DescribeAutoScalingGroupAsync(previous.AutoScalingGroupName, cancellationToken)
                ?? throw new FleetInconsistent($"Auto Scaling group '{previous.AutoScalingGroupName}' from the topology does not exist.");
            pinned = live.DesiredCapacity;
            await ports.AutoScaling.UpdateAutoScalingGroupAsync(
                new UpdateAutoScalingGroup(previous.AutoScalingGroupName, MinSize: pinned, MaxSize: pinned), cancellationToken);

            // Scale-out may have grown the live colour since ResolveFleet; green must be able to carry all of it.
            if (input.Request.Capacity is null)
            {
                desired = Math.Max(desired, live.DesiredCapacity);
            }
        }

        await ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(plan.Target.AutoScalingGroupName, MinSize: desired, MaxSize: desired, DesiredCapacity: desired),
            cancellationToken);
        return new ScaleUpGreenOutput(desired, pinned, time.GetUtcNow().AddSeconds(input.Request.Strategy.HealthTimeoutSeconds));
    }
}
