using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record FinalizeInput(DeploymentPlan Plan, DeploymentRequest Request, string ImageId, ExecutionRef Execution);

public sealed record FinalizeOutput(string Result, string DeploymentId, DateTimeOffset FinishedAt);

/// <summary>
/// The new colour is live and survived the bake-time watch: unpin it (min/max back to the planned capacity, desired
/// untouched, so scaling policies take over again) and record SUCCEEDED in the ledger. The previous colour stays
/// pinned and warm until ScaleDownPrevious. A retry finds the record already SUCCEEDED and keeps its finish time.
/// </summary>
public sealed class FinalizeStep(WorkflowPorts ports, TimeProvider time)
{
    public async Task<FinalizeOutput> ExecuteAsync(FinalizeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = input.Plan;
        var target = plan.Target;
        var group = await ports.AutoScaling.DescribeAutoScalingGroupAsync(target.AutoScalingGroupName, cancellationToken)
            ?? throw new FleetInconsistent($"Auto Scaling group '{target.AutoScalingGroupName}' from the topology does not exist.");
        var capacity = plan.TargetCapacity;
        await ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(
                target.AutoScalingGroupName,
                MinSize: Math.Min(capacity.Min, group.DesiredCapacity),
                MaxSize: Math.Max(capacity.Max, group.DesiredCapacity)),
            cancellationToken);

        var deploymentId = input.Execution.DeploymentId;
        var existing = await ports.Ledger.GetAsync(plan.Application, deploymentId, cancellationToken);
        if (existing is { Result: DeploymentResults.Deployed, FinishedAt: { } finished })
        {
            return new FinalizeOutput(DeploymentResults.Deployed, deploymentId, finished);
        }

        var now = time.GetUtcNow();
        await ports.Ledger.PutAsync(Ledger.Record(input.Request, plan, input.Execution, DeploymentResults.Deployed, input.ImageId, now, null), cancellationToken);
        return new FinalizeOutput(DeploymentResults.Deployed, deploymentId, now);
    }
}

internal static class Ledger
{
    public static DeploymentRecord Record(
        DeploymentRequest request, DeploymentPlan plan, ExecutionRef execution, string result, string? imageId, DateTimeOffset finishedAt, StepError? error) =>
        new(
            plan.Application,
            execution.DeploymentId,
            result,
            imageId,
            plan.PreviousImageId,
            plan.TargetColour.ToWire(),
            request.Source.Commit,
            request.Source.Repository,
            request.Source.Trigger,
            execution.Id,
            execution.StartedAt,
            finishedAt,
            error?.Error,
            error?.Cause);
}
