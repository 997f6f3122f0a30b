using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary><see cref="ImageId"/> is the image being deployed, when known; <see cref="Error"/> the failure that led here.</summary>
public sealed record RollbackInput(DeploymentPlan Plan, DeploymentRequest Request, string? ImageId, ExecutionRef Execution, StepError Error);

public sealed record RollbackOutput(string Result, string? RestoredColour, string Error, string? Cause);

/// <summary>
/// Undoes a deployment from any point after its first change. Order matters for the fleet's safety: traffic goes back
/// first (the previous colour is still pinned at full capacity), only then is the idle colour emptied to
/// min = max = desired = 0, and last the fleet's own scaling is given back (<see cref="FleetRestore"/> with the ledger's
/// restore point: the previous colour's MinSize, the processes the deployment suspended). Every action sets an absolute
/// state, so running it again, or after a partial run, converges to the same fleet. Only then does the ledger say
/// ROLLED_BACK, with the original error and cause; when Rollback itself fails for good, the state machine records
/// ROLLBACK_FAILED instead (RecordRollbackFailure).
/// </summary>
public sealed class RollbackStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<RollbackOutput> ExecuteAsync(RollbackInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var topology = plan.Topology;
        if (plan.PreviousColour is { } previousColour)
        {
            await Listener.SetWeightsAsync(ports.LoadBalancer, topology, previousColour, 100, cancellationToken);
        }
        else
        {
            // A first deployment has nothing to go back to: restore what the listener had (nothing carried traffic).
            IReadOnlyList<TargetGroupWeight> observed = plan.ObservedWeights.Count > 0
                ? plan.ObservedWeights
                : [new TargetGroupWeight(topology.Blue.TargetGroupArn, 0), new TargetGroupWeight(topology.Green.TargetGroupArn, 0)];
            // Written whatever a describe says now: it may answer from before the swap (see Listener.SetAsync).
            await Listener.SetAsync(ports.LoadBalancer, topology.ListenerArn, observed, cancellationToken);
        }

        await ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(plan.Target.AutoScalingGroupName, MinSize: 0, MaxSize: 0, DesiredCapacity: 0),
            cancellationToken);

        var existing = await ports.Ledger.GetAsync(plan.Application, input.Execution.DeploymentId, cancellationToken);
        if (existing?.Restore is { } restore)
        {
            await FleetRestore.RestoreAsync(ports.AutoScaling, topology, restore, cancellationToken);
        }
        else if (plan.Previous is { } previous && plan.PreviousCapacity is { } capacity)
        {
            // No restore point: the failure came before ScaleUpGreen's first change (the sizes are as observed, so this
            // changes nothing), or the execution was started by a Phoenix that pinned min and max without recording one.
            await ports.AutoScaling.UpdateAutoScalingGroupAsync(
                new UpdateAutoScalingGroup(previous.AutoScalingGroupName, MinSize: capacity.Min, MaxSize: capacity.Max), cancellationToken);
        }

        if (existing?.Result != DeploymentResults.RolledBack)
        {
            await ports.Ledger.PutAsync(
                Ledger.Close(existing, input.Request, plan, input.Execution, DeploymentResults.RolledBack, input.ImageId, time.GetUtcNow(), input.Error),
                cancellationToken);
        }

        return new RollbackOutput(DeploymentResults.RolledBack, plan.PreviousColour?.ToWire(), input.Error.Error, input.Error.Cause);
    }
}
