using Phoenix.Core.Ports;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// An Auto Scaling port whose DescribeAutoScalingGroups answer for one group is rewritten (a feature AWS reports that the
/// simulated region has not, or a replica answering from before a write); everything else goes to the real port.
/// </summary>
internal sealed class RewrittenDescribe(IAutoScaling inner, string group, Func<AutoScalingGroup, AutoScalingGroup> rewrite) : IAutoScaling
{
    public async Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken)
    {
        var found = await inner.DescribeAutoScalingGroupAsync(groupName, cancellationToken);
        return found is not null && groupName == group ? rewrite(found) : found;
    }

    public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken) =>
        inner.UpdateAutoScalingGroupAsync(request, cancellationToken);

    public Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken) =>
        inner.SetDesiredCapacityAsync(groupName, desiredCapacity, cancellationToken);

    public Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken) =>
        inner.TerminateInstanceInAutoScalingGroupAsync(instanceId, shouldDecrementDesiredCapacity, cancellationToken);

    public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) =>
        inner.SuspendProcessesAsync(groupName, processes, cancellationToken);

    public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) =>
        inner.ResumeProcessesAsync(groupName, processes, cancellationToken);

    public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken) =>
        inner.DescribeScalingActivitiesAsync(groupName, maxRecords, cancellationToken);

    public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken) =>
        inner.CreateAutoScalingGroupAsync(request, cancellationToken);

    public Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) =>
        inner.DeleteAutoScalingGroupAsync(groupName, cancellationToken);

    public Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken) =>
        inner.CreateOrUpdateTagsAsync(groupName, tags, cancellationToken);
}
