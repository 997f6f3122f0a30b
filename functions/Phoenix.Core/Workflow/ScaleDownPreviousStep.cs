using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record ScaleDownPreviousInput(DeploymentPlan Plan, ExecutionRef Execution);

/// <summary><see cref="AutoScalingGroupName"/>: the group now held at 0 (on a first deployment, the other colour's).</summary>
public sealed record ScaleDownPreviousOutput(string AutoScalingGroupName);

/// <summary>
/// After keepPreviousSeconds the previous colour is no longer needed for an instant rollback: it becomes the idle colour,
/// held at min = max = desired = 0 between deployments (nothing, not even a scheduled action, can start instances in
/// it), and the scaling processes the deployment suspended on it are resumed (<see cref="FleetRestore"/>, from the
/// ledger's restore point). Absolute sizes and resuming only what was recorded make a retry a no-op. A first deployment
/// had no previous colour, but the other group still becomes the idle one: it gets the same treatment (it may hold
/// leftovers a scheduled action could grow, and the deployment suspended processes on it too).
/// </summary>
public sealed class ScaleDownPreviousStep(WorkflowPorts ports)
{
    public async Task<ScaleDownPreviousOutput> ExecuteAsync(ScaleDownPreviousInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var previous = plan.Other;
        await ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(previous.AutoScalingGroupName, MinSize: 0, MaxSize: 0, DesiredCapacity: 0),
            cancellationToken);
        var record = await ports.Ledger.GetAsync(plan.Application, input.Execution.DeploymentId, cancellationToken);
        if (record?.Restore is { } restore)
        {
            await FleetRestore.RestoreAsync(ports.AutoScaling, plan.Topology, RestorePoints.ProcessesOf(restore, previous.AutoScalingGroupName), cancellationToken);
        }

        return new ScaleDownPreviousOutput(previous.AutoScalingGroupName);
    }
}
