using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary><see cref="ImageId"/> is the image being deployed, when known; <see cref="Error"/> the failure that led here.</summary>
public sealed record RollbackInput(DeploymentPlan Plan, DeploymentRequest Request, string? ImageId, ExecutionRef Execution, StepError Error);

public sealed record RollbackOutput(string Result, string? RestoredColour, string Error, string? Cause);

/// <summary>
/// Undoes a deployment from any point after its first change. Order matters for the fleet's safety: traffic goes back
/// first (the previous colour is still pinned at full capacity; if something outside Phoenix took an instance away, the
/// step waits for the group to replace it, see <c>RequireReadyAsync</c>), only then is the idle colour emptied to
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
        var existing = await ports.Ledger.GetAsync(plan.Application, input.Execution.DeploymentId, cancellationToken);
        if (plan.PreviousColour is { } previousColour)
        {
            if (existing?.Restore is { TrafficMoved: true } || await TrafficToAsync(topology, plan.TargetColour, cancellationToken) > 0)
            {
                await RequireReadyAsync(topology, previousColour, cancellationToken);
            }

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

    /// <summary>
    /// Traffic that green may carry (SwapTraffic marked the restore point before its first listener change, or the listener
    /// says so) goes back only to a previous colour that can take it: every desired instance ready, the health gate's
    /// test. Something outside Phoenix (an instance failure, a spot interruption) may have taken one away while green
    /// served; the group replaces it within minutes, and the state machine retries this step meanwhile
    /// (PreviousColourNotReady), leaving traffic where it is rather than sending it to a colour with no healthy instance.
    /// </summary>
    private async Task RequireReadyAsync(FleetTopology topology, Colour previousColour, CancellationToken cancellationToken)
    {
        var health = await ColourHealth.ReadAsync(ports.AutoScaling, ports.LoadBalancer, topology.For(previousColour), cancellationToken);
        if (!health.AtCapacity)
        {
            throw new PreviousColourNotReady(
                $"Traffic cannot go back to {previousColour.ToWire()} yet: {health}. Nothing was moved; the rollback waits for the group to replace what it lost.");
        }
    }

    private async Task<int> TrafficToAsync(FleetTopology topology, Colour colour, CancellationToken cancellationToken) =>
        (await ports.LoadBalancer.DescribeListenerWeightsAsync(topology.ListenerArn, cancellationToken))
            .Where(w => w.TargetGroupArn == topology.For(colour).TargetGroupArn)
            .Sum(w => w.Weight);
}
