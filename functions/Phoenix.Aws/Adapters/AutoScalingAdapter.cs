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

    public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"SuspendProcesses {groupName}", () => client.SuspendProcessesAsync(
            new Model.SuspendProcessesRequest { AutoScalingGroupName = groupName, ScalingProcesses = ProcessList(processes) }, cancellationToken), cancellationToken);

    public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"ResumeProcesses {groupName}", () => client.ResumeProcessesAsync(
            new Model.ResumeProcessesRequest { AutoScalingGroupName = groupName, ScalingProcesses = ProcessList(processes) }, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken)
    {
        // The API takes 1..100; anything else is a caller's mistake, better named here than as AWS's ValidationError.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRecords, 100);
        return AwsCall.RunAsync<IReadOnlyList<ScalingActivity>>($"DescribeScalingActivities {groupName}", async () =>
        {
            var response = await client.DescribeScalingActivitiesAsync(
                new Model.DescribeScalingActivitiesRequest { AutoScalingGroupName = groupName, MaxRecords = maxRecords }, cancellationToken).ConfigureAwait(false);

            // AWS lists newest first; sorting again by start time keeps that order for an emulator that does not.
            return (response.Activities ?? [])
                .Select(a => new ScalingActivity(
                    a.ActivityId ?? string.Empty,
                    a.StatusCode ?? string.Empty,
                    a.StatusMessage,
                    a.Description,
                    a.Cause,
                    Utc(a.StartTime) ?? DateTimeOffset.MinValue,
                    Utc(a.EndTime)))
                .OrderByDescending(a => a.StartTime)
                .Take(maxRecords)
                .ToList();
        }, cancellationToken);
    }

    public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AwsCall.RunAsync($"CreateAutoScalingGroup {request.AutoScalingGroupName}", () => client.CreateAutoScalingGroupAsync(
            new Model.CreateAutoScalingGroupRequest
            {
                AutoScalingGroupName = request.AutoScalingGroupName,
                LaunchTemplate = new Model.LaunchTemplateSpecification { LaunchTemplateId = request.LaunchTemplate.LaunchTemplateId, Version = request.LaunchTemplate.Version },
                MinSize = request.MinSize,
                MaxSize = request.MaxSize,
                DesiredCapacity = request.DesiredCapacity,
                VPCZoneIdentifier = string.IsNullOrEmpty(request.VpcZoneIdentifier) ? null : request.VpcZoneIdentifier,
                AvailabilityZones = request.AvailabilityZones is { Count: > 0 } zones ? [.. zones] : null,
                TargetGroupARNs = [.. request.TargetGroupArns],
                HealthCheckType = request.HealthCheckType,
                HealthCheckGracePeriod = request.HealthCheckGracePeriod,
                Tags = request.Tags.Count == 0 ? null : request.Tags.Select(t => new Model.Tag { Key = t.Key, Value = t.Value, PropagateAtLaunch = t.PropagateAtLaunch }).ToList(),
            },
            cancellationToken), cancellationToken);
    }

    public Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"DeleteAutoScalingGroup {groupName}", () => client.DeleteAutoScalingGroupAsync(
            new Model.DeleteAutoScalingGroupRequest { AutoScalingGroupName = groupName, ForceDelete = true }, cancellationToken), cancellationToken);

    public Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return AwsCall.RunAsync($"CreateOrUpdateTags {groupName}", () => client.CreateOrUpdateTagsAsync(
            new Model.CreateOrUpdateTagsRequest
            {
                Tags = tags.Select(t => new Model.Tag { ResourceId = groupName, ResourceType = "auto-scaling-group", Key = t.Key, Value = t.Value, PropagateAtLaunch = t.PropagateAtLaunch }).ToList(),
            },
            cancellationToken), cancellationToken);
    }

    // An empty ScalingProcesses means "every process" to the API: suspending or resuming nothing must never become that.
    private static List<string> ProcessList(IReadOnlyList<string> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        if (processes.Count == 0 || processes.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException(
                $"Scaling processes [{string.Join(", ", processes)}] must name at least one process and no blank one: an empty list would mean every process.",
                nameof(processes));
        }

        return [.. processes];
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;

    // A group launches from a launch template, a MixedInstancesPolicy or a launch configuration. A mixed-instances group has
    // no top-level LaunchTemplate: it is reported with the policy's template (HasMixedInstancesPolicy), and a
    // launch-configuration group with none (LaunchConfigurationName), so Validate and adopt refuse either by name instead of
    // this read failing. AWS names the policy's template by id and name; should only the name come back, the name stands in
    // (the value only ever appears in a refusal).
    private static AutoScalingGroup ToPort(Model.AutoScalingGroup group)
    {
        var template = ToPort(group.LaunchTemplate)
            ?? (group.MixedInstancesPolicy is { } policy ? MixedPolicyTemplate(policy.LaunchTemplate?.LaunchTemplateSpecification) : null);
        return new AutoScalingGroup(
            group.AutoScalingGroupName!,
            group.MinSize ?? 0,
            group.MaxSize ?? 0,
            group.DesiredCapacity ?? 0,
            template,
            (group.Instances ?? [])
                .Select(i => new AutoScalingInstance(i.InstanceId!, i.LifecycleState ?? string.Empty, i.HealthStatus ?? string.Empty, ToPort(i.LaunchTemplate), i.AvailabilityZone))
                .ToList(),
            group.TargetGroupARNs ?? [],
            group.HealthCheckGracePeriod ?? 0,
            group.SuspendedProcesses is { Count: > 0 } suspended ? suspended.Select(p => p.ProcessName).OfType<string>().ToList() : null,
            group.AvailabilityZones,
            HasMixedInstancesPolicy: group.MixedInstancesPolicy is not null,
            HasWarmPool: group.WarmPoolConfiguration is not null,
            VpcZoneIdentifier: group.VPCZoneIdentifier,
            HealthCheckType: group.HealthCheckType,
            Tags: group.Tags?.Select(t => new GroupTag(t.Key ?? string.Empty, t.Value ?? string.Empty, t.PropagateAtLaunch ?? false)).ToList(),
            LoadBalancerNames: group.LoadBalancerNames,
            LaunchConfigurationName: group.LaunchConfigurationName);
    }

    private static LaunchTemplateSpecification MixedPolicyTemplate(Model.LaunchTemplateSpecification? template) => new(
        template?.LaunchTemplateId ?? template?.LaunchTemplateName ?? string.Empty, template?.Version ?? "$Default");

    private static LaunchTemplateSpecification? ToPort(Model.LaunchTemplateSpecification? template) =>
        template?.LaunchTemplateId is { } id ? new LaunchTemplateSpecification(id, template.Version ?? "$Default") : null;
}
