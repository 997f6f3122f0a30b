using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>
/// <see cref="StepIndex"/> selects the entry of the strategy's trafficSteps to apply; <see cref="Rechecks"/> counts how
/// often this execution already found green not ready for a traffic step and sent it back through the health gate.
/// </summary>
public sealed record SwapTrafficInput(
    DeploymentPlan Plan, DeploymentRequest Request, long LaunchTemplateVersion, int StepIndex, int Rechecks = 0, ExecutionRef? Execution = null);

/// <summary>
/// <see cref="Ready"/> false: nothing moved; green goes back through the health gate (until <see cref="HealthDeadline"/>)
/// and then this same step (<see cref="NextIndex"/>) runs again, <see cref="NotReadyReason"/> says why. Ready:
/// <see cref="Weight"/> is the percentage now sent to green; <see cref="Complete"/> once it is 100.
/// </summary>
public sealed record SwapTrafficOutput(
    bool Ready,
    int Weight,
    int NextIndex,
    bool Complete,
    DateTimeOffset HealthDeadline,
    int Rechecks,
    string? NotReadyReason = null);

/// <summary>
/// Moves traffic one step, but only to a green that can carry it at this moment: right before it changes the weights
/// it reads green's health again (<see cref="GreenHealth"/>, the health gate's own definition), because an approval or
/// a canary wait may have passed since the gate, and compares green's size with the live group's, which scaling policies
/// may have grown meanwhile (the last step must not move all traffic to a smaller fleet). If either fails, nothing
/// moves: a live group that scaled out has green's desired raised to match, and the state machine sends green back
/// through the health gate with a fresh deadline, then retries this step; after
/// <see cref="ExecutionBudget.MaxHealthRechecks"/> such returns in one execution it fails with HealthCheckFailed. Otherwise it sets
/// the listener's weighted forward (after marking the ledger's restore point: traffic may now be on green): green gets the step's
/// percentage, the previous colour the rest. A first deployment
/// has nothing to share traffic with, so it goes straight to 100. The listener is left alone when it already has these
/// weights, so a retry changes nothing.
/// </summary>
public sealed class SwapTrafficStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<SwapTrafficOutput> ExecuteAsync(SwapTrafficInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var steps = input.Request.Strategy.TrafficSteps;
        if (input.StepIndex < 0 || input.StepIndex >= steps.Count)
        {
            throw new InvalidStepInput($"Traffic step index {input.StepIndex} is outside trafficSteps [{string.Join(", ", steps)}].");
        }

        var weight = plan.FirstDeployment ? 100 : steps[input.StepIndex];
        var reading = await GreenHealth.ReadAsync(ports, plan, input.LaunchTemplateVersion, cancellationToken);
        var reasons = new List<string>();
        if (!reading.Counts.Healthy)
        {
            reasons.Add($"green '{reading.Group.AutoScalingGroupName}' is not healthy: {reading.Describe()}");
        }

        // On a first deployment the other colour had no instances when the fleet was resolved, but a scaling policy may
        // have given it some since: green must still carry at least as much as it runs.
        if (input.Request.Capacity is null)
        {
            var live = await ports.AutoScaling.DescribeAutoScalingGroupAsync(plan.Other.AutoScalingGroupName, cancellationToken)
                ?? throw new FleetInconsistent($"Auto Scaling group '{plan.Other.AutoScalingGroupName}' from the topology does not exist.");
            var green = reading.Group;
            if (live.DesiredCapacity > green.DesiredCapacity)
            {
                await ports.AutoScaling.UpdateAutoScalingGroupAsync(
                    new UpdateAutoScalingGroup(
                        green.AutoScalingGroupName, MaxSize: Math.Max(green.MaxSize, live.DesiredCapacity), DesiredCapacity: live.DesiredCapacity),
                    cancellationToken);
                reasons.Add($"the live group '{live.AutoScalingGroupName}' scaled out to {live.DesiredCapacity} while green had {green.DesiredCapacity}: "
                    + $"green's desired is raised to {live.DesiredCapacity}");
            }
        }

        var healthDeadline = time.GetUtcNow().AddSeconds(input.Request.Strategy.HealthTimeoutSeconds);
        if (reasons.Count > 0)
        {
            var why = string.Join("; ", reasons);
            if (input.Rechecks >= ExecutionBudget.MaxHealthRechecks)
            {
                throw new HealthCheckFailed(
                    $"Green was not ready for traffic step {input.StepIndex + 1} ({weight}%), and this deployment already sent it back to the health gate "
                    + $"{input.Rechecks} times: {why}.");
            }

            var current = input.StepIndex == 0 ? 0 : steps[input.StepIndex - 1];
            return new SwapTrafficOutput(false, current, input.StepIndex, false, healthDeadline, input.Rechecks + 1, why);
        }

        await MarkTrafficMovedAsync(plan.Application, input.Execution, cancellationToken);
        await Listener.SetWeightsAsync(ports.LoadBalancer, plan.Topology, plan.TargetColour, weight, cancellationToken);
        return new SwapTrafficOutput(true, weight, input.StepIndex + 1, weight == 100, healthDeadline, input.Rechecks);
    }

    /// <summary>
    /// Records in the ledger's restore point, before the listener changes, that green may now carry traffic (see
    /// <see cref="RestorePoint.TrafficMoved"/>). Written once; a retry finds it set.
    /// </summary>
    private async Task MarkTrafficMovedAsync(string application, ExecutionRef? execution, CancellationToken cancellationToken)
    {
        if (execution is null)
        {
            return;
        }

        var record = await ports.Ledger.GetAsync(application, execution.DeploymentId, cancellationToken);
        if (record?.Restore is { TrafficMoved: false } restore)
        {
            await ports.Ledger.PutAsync(record with { Restore = restore with { TrafficMoved = true } }, cancellationToken);
        }
    }
}
