namespace Phoenix.Core.Workflow;

/// <summary><see cref="StepIndex"/> selects the entry of <see cref="TrafficSteps"/> to apply.</summary>
public sealed record SwapTrafficInput(DeploymentPlan Plan, IReadOnlyList<int> TrafficSteps, int StepIndex);

/// <summary><see cref="Weight"/>: the percentage now sent to the new colour; <see cref="Complete"/> once it is 100.</summary>
public sealed record SwapTrafficOutput(int Weight, int NextIndex, bool Complete);

/// <summary>
/// Sets the listener's weighted forward to one traffic step: the new colour gets the step's percentage, the previous
/// colour the rest. A first deployment has nothing to share traffic with, so it goes straight to 100. The listener is
/// left alone when it already has these weights, so a retry changes nothing.
/// </summary>
public sealed class SwapTrafficStep(WorkflowPorts ports)
{
    public async Task<SwapTrafficOutput> ExecuteAsync(SwapTrafficInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        if (input.StepIndex < 0 || input.StepIndex >= input.TrafficSteps.Count)
        {
            throw new InvalidStepInput(
                $"Traffic step index {input.StepIndex} is outside trafficSteps [{string.Join(", ", input.TrafficSteps)}].");
        }

        var weight = plan.FirstDeployment ? 100 : input.TrafficSteps[input.StepIndex];
        await Listener.SetWeightsAsync(ports.LoadBalancer, plan.Topology, plan.TargetColour, weight, cancellationToken);
        return new SwapTrafficOutput(weight, input.StepIndex + 1, weight == 100);
    }
}
