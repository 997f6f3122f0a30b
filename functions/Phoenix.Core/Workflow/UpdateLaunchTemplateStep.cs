using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

public sealed record UpdateLaunchTemplateInput(DeploymentPlan Plan, string ImageId, ExecutionRef Execution);

public sealed record UpdateLaunchTemplateOutput(string LaunchTemplateId, long Version, string ImageId, string ClientToken);

/// <summary>
/// The first change of a deployment: a new launch-template version for the idle colour with only the image replaced,
/// and the idle group pointed at it. The version derives from <c>$Default</c> (the fleet stack's configuration, which
/// Phoenix never moves) and carries a ClientToken derived from the execution, so a retry gets the same version back
/// instead of a new one.
/// </summary>
public sealed class UpdateLaunchTemplateStep(WorkflowPorts ports)
{
    public const string SourceVersion = "$Default";

    public async Task<UpdateLaunchTemplateOutput> ExecuteAsync(UpdateLaunchTemplateInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var target = input.Plan.Target;
        var clientToken = Tokens.Derive("launch-template", input.Execution.Id, target.LaunchTemplateId, input.ImageId);
        var version = await ports.Ec2.CreateLaunchTemplateVersionAsync(
            target.LaunchTemplateId, SourceVersion, input.ImageId, clientToken, cancellationToken);
        await ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(
                target.AutoScalingGroupName,
                LaunchTemplate: new LaunchTemplateSpecification(target.LaunchTemplateId, version.VersionNumber.ToString())),
            cancellationToken);
        return new UpdateLaunchTemplateOutput(target.LaunchTemplateId, version.VersionNumber, version.ImageId, clientToken);
    }
}
