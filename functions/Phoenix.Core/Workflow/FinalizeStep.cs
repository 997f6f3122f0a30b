using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record FinalizeInput(DeploymentPlan Plan, DeploymentRequest Request, string ImageId, ExecutionRef Execution);

public sealed record FinalizeOutput(string Result, string DeploymentId, DateTimeOffset FinishedAt);

/// <summary>
/// The new colour is live and survived the bake-time watch: unpin it (min/max back to the planned capacity, desired
/// untouched unless the previous colour turns out to have scaled out past it, so scaling policies take over again), resume the scaling processes the deployment suspended on it
/// (<see cref="FleetRestore"/>, from the ledger's restore point), record the deployed image as the colour's image
/// parameter (<see cref="FleetConventions.ImageParameter"/>: its launch template resolves it, so a launch-template version
/// CloudFormation makes later still launches this image) and record DEPLOYED in the ledger. The previous colour stays
/// pinned, suspended and warm until ScaleDownPrevious. A retry finds the image already recorded and the record already
/// DEPLOYED, and keeps its finish time.
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
        var desired = group.DesiredCapacity;
        int? raised = null;
        if (input.Request.Capacity is null)
        {
            // SwapTraffic sized the new colour to the live one (on a first deployment, to whatever a scaling policy gave the
            // empty one) right before the final step, but a describe can answer from before a scale-out made seconds
            // earlier. The previous colour is still warm and pinned; minutes later its desired has settled, and the new
            // colour must carry at least what it did.
            var warm = await ports.AutoScaling.DescribeAutoScalingGroupAsync(plan.Other.AutoScalingGroupName, cancellationToken);
            if (warm is not null && warm.DesiredCapacity > desired)
            {
                desired = warm.DesiredCapacity;
                raised = desired;
            }
        }

        await ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(
                target.AutoScalingGroupName,
                MinSize: Math.Min(capacity.Min, desired),
                MaxSize: Math.Max(capacity.Max, desired),
                DesiredCapacity: raised),
            cancellationToken);

        // Before the ledger says DEPLOYED, so a crash in between leaves a retry that writes both.
        await ports.Topologies.PutImageAsync(plan.Application, plan.TargetColour, input.ImageId, cancellationToken);

        var deploymentId = input.Execution.DeploymentId;
        var existing = await ports.Ledger.GetAsync(plan.Application, deploymentId, cancellationToken);
        if (existing?.Restore is { } restore)
        {
            await FleetRestore.RestoreAsync(ports.AutoScaling, plan.Topology, RestorePoints.ProcessesOf(restore, target.AutoScalingGroupName), cancellationToken);
        }

        if (existing is { Result: DeploymentResults.Deployed, FinishedAt: { } finished })
        {
            return new FinalizeOutput(DeploymentResults.Deployed, deploymentId, finished);
        }

        var now = time.GetUtcNow();
        await ports.Ledger.PutAsync(
            Ledger.Close(existing, input.Request, plan, input.Execution, DeploymentResults.Deployed, input.ImageId, now, null), cancellationToken);
        return new FinalizeOutput(DeploymentResults.Deployed, deploymentId, now);
    }
}

internal static class Ledger
{
    /// <summary>
    /// The execution's record with its end state. What earlier steps wrote and no ending replaces (the restore point, a
    /// warning) is kept; the approval token is dropped, since nothing waits for it any more.
    /// </summary>
    public static DeploymentRecord Close(
        DeploymentRecord? existing, DeploymentRequest request, DeploymentPlan plan, ExecutionRef execution, string result, string? imageId,
        DateTimeOffset finishedAt, StepError? error, string? warning = null) =>
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
            existing?.StartedAt ?? execution.StartedAt,
            finishedAt,
            error?.Error,
            error?.Cause,
            existing?.Restore,
            warning ?? existing?.Warning,
            ApprovalToken: null);
}
