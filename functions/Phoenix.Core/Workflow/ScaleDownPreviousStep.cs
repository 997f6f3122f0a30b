using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record ScaleDownPreviousInput(DeploymentPlan Plan);

/// <summary><see cref="AutoScalingGroupName"/> is null on a first deployment (there was no previous colour).</summary>
public sealed record ScaleDownPreviousOutput(string? AutoScalingGroupName);

/// <summary>
/// After keepPreviousSeconds the previous colour is no longer needed for an instant rollback: min and desired to 0,
/// max back to what it was before the deployment pinned it. Absolute sizes make a retry a no-op.
/// </summary>
public sealed class ScaleDownPreviousStep(WorkflowPorts ports)
{
    public async Task<ScaleDownPreviousOutput> ExecuteAsync(ScaleDownPreviousInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        if (plan.Previous is not { } previous)
        {
            return new ScaleDownPreviousOutput(null);
        }

        await ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(previous.AutoScalingGroupName, MinSize: 0, MaxSize: plan.PreviousCapacity?.Max, DesiredCapacity: 0),
            cancellationToken);
        return new ScaleDownPreviousOutput(previous.AutoScalingGroupName);
    }
}
