using Phoenix.Aws.AutoScaling;
using Phoenix.Core.Ports;
using Model = Phoenix.Aws.AutoScaling.Model;

namespace Phoenix.Aws.Adapters;

public sealed class AutoScalingAdapter(AmazonAutoScalingClient client) : IAutoScaling
{
    public Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"DescribeAutoScalingGroups {groupName}", async () =>
        {
            var response = await client.DescribeAutoScalingGroupsAsync(
                new Model.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = [groupName] }, cancellationToken).ConfigureAwait(false);
            var group = response.AutoScalingGroups?.FirstOrDefault(g => g.AutoScalingGroupName == groupName);
            return group is null ? null : ToPort(group);
        }, cancellationToken);

    public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AwsCall.RunAsync($"UpdateAutoScalingGroup {request.AutoScalingGroupName}", () => client.UpdateAutoScalingGroupAsync(
            new Model.UpdateAutoScalingGroupRequest
            {
                AutoScalingGroupName = request.AutoScalingGroupName,
                MinSize = request.MinSize,
                MaxSize = request.MaxSize,
                DesiredCapacity = request.DesiredCapacity,
                LaunchTemplate = request.LaunchTemplate is { } template
                    ? new Model.LaunchTemplateSpecification { LaunchTemplateId = template.LaunchTemplateId, Version = template.Version }
                    : null,
            },
            cancellationToken), cancellationToken);
    }

    public Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"SetDesiredCapacity {groupName}", () => client.SetDesiredCapacityAsync(
            new Model.SetDesiredCapacityRequest { AutoScalingGroupName = groupName, DesiredCapacity = desiredCapacity, HonorCooldown = false }, cancellationToken), cancellationToken);

    public Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"TerminateInstanceInAutoScalingGroup {instanceId}", () => client.TerminateInstanceInAutoScalingGroupAsync(
            new Model.TerminateInstanceInAutoScalingGroupRequest { InstanceId = instanceId, ShouldDecrementDesiredCapacity = shouldDecrementDesiredCapacity },
            cancellationToken), cancellationToken);

    // Implemented over the wire by the adapter work of issue 11; until then a call fails loudly instead of doing nothing.
    public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("SuspendProcesses is not implemented yet.");

    public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("ResumeProcesses is not implemented yet.");

    public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken) =>
        throw new NotSupportedException("DescribeScalingActivities is not implemented yet.");

    private static AutoScalingGroup ToPort(Model.AutoScalingGroup group) => new(
        group.AutoScalingGroupName!,
        group.MinSize ?? 0,
        group.MaxSize ?? 0,
        group.DesiredCapacity ?? 0,
        ToPort(group.LaunchTemplate) ?? throw new InvalidOperationException(
            $"Auto Scaling group '{group.AutoScalingGroupName}' has no launch template; Phoenix manages only groups launched from a launch template."),
        (group.Instances ?? []).Select(i => new AutoScalingInstance(i.InstanceId!, i.LifecycleState ?? string.Empty, i.HealthStatus ?? string.Empty, ToPort(i.LaunchTemplate)))
            .ToList(),
        group.TargetGroupARNs ?? [],
        group.HealthCheckGracePeriod ?? 0);

    private static LaunchTemplateSpecification? ToPort(Model.LaunchTemplateSpecification? template) =>
        template?.LaunchTemplateId is { } id ? new LaunchTemplateSpecification(id, template.Version ?? "$Default") : null;
}
