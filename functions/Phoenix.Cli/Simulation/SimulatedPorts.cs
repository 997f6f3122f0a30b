using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

// The port adapters of the simulated region: each call may be throttled first (a fault), then does its work on the
// region under its lock and completes synchronously, as if the API answered instantly at the current virtual instant.
// A changing call's response may then be lost (a fault after the side effect): the caller sees a transient error.

internal sealed class SimulatedAutoScaling(SimulatedRegion region) : IAutoScaling
{
    public Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeAutoScalingGroups");
        return Task.FromResult(region.DescribeGroup(groupName));
    }

    public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        region.Throttle("UpdateAutoScalingGroup");
        region.UpdateGroup(request);
        region.MaybeLoseResponse("UpdateAutoScalingGroup");
        return Task.CompletedTask;
    }

    public Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken)
    {
        region.Throttle("SetDesiredCapacity");
        region.SetDesired(groupName, desiredCapacity);
        region.MaybeLoseResponse("SetDesiredCapacity");
        return Task.CompletedTask;
    }

    public Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken)
    {
        region.Throttle("TerminateInstanceInAutoScalingGroup");
        region.TerminateInGroup(instanceId, shouldDecrementDesiredCapacity);
        region.MaybeLoseResponse("TerminateInstanceInAutoScalingGroup");
        return Task.CompletedTask;
    }

    public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken)
    {
        region.Throttle("SuspendProcesses");
        region.SetProcesses(groupName, processes, suspended: true);
        region.MaybeLoseResponse("SuspendProcesses");
        return Task.CompletedTask;
    }

    public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken)
    {
        region.Throttle("ResumeProcesses");
        region.SetProcesses(groupName, processes, suspended: false);
        region.MaybeLoseResponse("ResumeProcesses");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeScalingActivities");
        return Task.FromResult(region.DescribeActivities(groupName, maxRecords));
    }

    public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        region.Throttle("CreateAutoScalingGroup");
        region.CreateGroup(request);
        region.MaybeLoseResponse("CreateAutoScalingGroup");
        return Task.CompletedTask;
    }

    public Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken)
    {
        region.Throttle("DeleteAutoScalingGroup");
        region.DeleteGroup(groupName);
        return Task.CompletedTask;
    }

    public Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        region.Throttle("CreateOrUpdateTags");
        region.TagGroup(groupName, tags);
        region.MaybeLoseResponse("CreateOrUpdateTags");
        return Task.CompletedTask;
    }
}

internal sealed class SimulatedEc2(SimulatedRegion region) : IEc2
{
    public Task<ImageDescription?> DescribeImageAsync(string imageId, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeImages");
        return Task.FromResult(region.DescribeImage(imageId));
    }

    public Task<LaunchTemplateVersion> CreateLaunchTemplateVersionAsync(
        string launchTemplateId, string sourceVersion, string imageId, string clientToken, CancellationToken cancellationToken)
    {
        region.Throttle("CreateLaunchTemplateVersion");
        var version = region.CreateTemplateVersion(launchTemplateId, sourceVersion, imageId, clientToken);
        region.MaybeLoseResponse("CreateLaunchTemplateVersion");
        return Task.FromResult(version);
    }

    public Task<LaunchTemplateVersion?> DescribeLaunchTemplateVersionAsync(string launchTemplateId, string version, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeLaunchTemplateVersions");
        return Task.FromResult(region.DescribeTemplateVersion(launchTemplateId, version));
    }

    public Task<IReadOnlyList<InstanceDescription>> DescribeInstancesAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        region.Throttle("DescribeInstances");
        return Task.FromResult(region.DescribeInstances(instanceIds));
    }

    public Task CreateTagsAsync(string resourceId, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        region.Throttle("CreateTags");
        region.TagResources([resourceId], tags);
        region.MaybeLoseResponse("CreateTags");
        return Task.CompletedTask;
    }
}

internal sealed class SimulatedLoadBalancer(SimulatedRegion region) : ILoadBalancer
{
    public Task<IReadOnlyList<ListenerAction>> DescribeListenerActionsAsync(string listenerArn, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeListeners");
        return Task.FromResult(region.DescribeListenerActions(listenerArn));
    }

    public Task ModifyListenerActionsAsync(string listenerArn, IReadOnlyList<ListenerAction> defaultActions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(defaultActions);
        region.Throttle("ModifyListener");
        region.ModifyListenerActions(listenerArn, defaultActions);
        region.MaybeLoseResponse("ModifyListener");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeRules");
        return Task.FromResult(region.DescribeRules(listenerArn));
    }

    public Task ModifyRuleActionsAsync(string ruleArn, IReadOnlyList<ListenerAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actions);
        region.Throttle("ModifyRule");
        region.ModifyRule(ruleArn, actions);
        region.MaybeLoseResponse("ModifyRule");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeTargetHealth");
        return Task.FromResult(region.DescribeTargets(targetGroupArn));
    }

    public Task<ListenerDescription?> DescribeListenerAsync(string listenerArn, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeListeners");
        return Task.FromResult(region.DescribeListener(listenerArn));
    }

    public Task<TargetGroupDescription?> DescribeTargetGroupAsync(string arnOrName, bool byName, CancellationToken cancellationToken)
    {
        region.Throttle("DescribeTargetGroups");
        return Task.FromResult(region.DescribeTargetGroup(arnOrName, byName));
    }

    public Task<string> CreateTargetGroupAsync(TargetGroupSettings settings, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        region.Throttle("CreateTargetGroup");
        var arn = region.CreateTargetGroup(settings);
        region.MaybeLoseResponse("CreateTargetGroup");
        return Task.FromResult(arn);
    }

    public Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken)
    {
        region.Throttle("DeleteTargetGroup");
        region.DeleteTargetGroup(targetGroupArn);
        return Task.CompletedTask;
    }

    public Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceArns);
        ArgumentNullException.ThrowIfNull(tags);
        region.Throttle("AddTags");
        region.TagResources(resourceArns, tags);
        region.MaybeLoseResponse("AddTags");
        return Task.CompletedTask;
    }
}

internal sealed class SimulatedAlarms(SimulatedRegion region) : IAlarms
{
    public Task<IReadOnlyList<AlarmDescription>> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarmNames);
        region.Throttle("DescribeAlarms");
        return Task.FromResult(region.DescribeAlarms(alarmNames));
    }
}

internal sealed class SimulatedImageBaker(SimulatedRegion region) : IImageBaker
{
    public Task<string> StartBakeAsync(BakeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        region.Throttle("StartBuild");
        var bakeId = region.StartBake(request);
        region.MaybeLoseResponse("StartBuild");
        return Task.FromResult(bakeId);
    }

    public Task<BakeStatus> GetBakeAsync(string bakeId, CancellationToken cancellationToken)
    {
        region.Throttle("BatchGetBuilds");
        return Task.FromResult(region.GetBake(bakeId));
    }

    public Task<string?> GetSourceTypeAsync(string projectName, CancellationToken cancellationToken)
    {
        region.Throttle("BatchGetProjects");
        return Task.FromResult(region.BakeSourceType(projectName));
    }
}

internal sealed class SimulatedLockTable(SimulatedRegion region) : IDeploymentLock
{
    public Task<LockAttempt> TryAcquireAsync(string application, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        region.Throttle("PutItem");
        var attempt = region.TryAcquireLock(application, owner, expiresAt);
        region.MaybeLoseResponse("PutItem");
        return Task.FromResult(attempt);
    }

    public Task<bool> ReleaseAsync(string application, string owner, CancellationToken cancellationToken)
    {
        region.Throttle("DeleteItem");
        var released = region.ReleaseLock(application, owner);
        region.MaybeLoseResponse("DeleteItem");
        return Task.FromResult(released);
    }

    public Task<DeploymentLockRecord?> GetAsync(string application, CancellationToken cancellationToken)
    {
        region.Throttle("GetItem");
        return Task.FromResult(region.PeekLock(application));
    }
}

internal sealed class SimulatedLedger(SimulatedRegion region) : IDeploymentLedger
{
    public Task PutAsync(DeploymentRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        region.Throttle("PutItem");
        region.PutLedger(record);
        region.MaybeLoseResponse("PutItem");
        return Task.CompletedTask;
    }

    public Task<DeploymentRecord?> GetAsync(string application, string deploymentId, CancellationToken cancellationToken)
    {
        region.Throttle("Query");
        return Task.FromResult(region.GetLedger(application, deploymentId));
    }

    public Task<IReadOnlyList<DeploymentRecord>> ListAsync(string application, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "Limit must be positive.");
        }

        region.Throttle("Query");
        return Task.FromResult<IReadOnlyList<DeploymentRecord>>([.. region.LedgerEntries(application).Take(limit)]);
    }
}

internal sealed class SimulatedNotifier(SimulatedRegion region) : INotifier
{
    public Task PublishAsync(string topicArn, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        region.Throttle("PublishBatch");
        region.Publish(topicArn, messages);
        region.MaybeLoseResponse("PublishBatch");
        return Task.CompletedTask;
    }
}

internal sealed class SimulatedTopologyStore(SimulatedRegion region) : ITopologyStore
{
    public Task<FleetTopology?> GetAsync(string application, CancellationToken cancellationToken)
    {
        region.Throttle("GetParameter");
        return Task.FromResult(region.GetTopology(application));
    }

    public Task<bool> CreateAsync(FleetTopology topology, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topology);
        region.Throttle("PutParameter");
        var created = region.CreateTopology(topology);
        region.MaybeLoseResponse("PutParameter");
        return Task.FromResult(created);
    }

    public Task<bool> PutImageAsync(string application, Colour colour, string imageId, CancellationToken cancellationToken)
    {
        region.Throttle("PutParameter");
        var written = region.PutColourImage(application, colour, imageId);
        region.MaybeLoseResponse("PutParameter");
        return Task.FromResult(written);
    }

    public Task<string?> GetImageAsync(string application, Colour colour, CancellationToken cancellationToken)
    {
        region.Throttle("GetParameter");
        return Task.FromResult(region.GetColourImage(application, colour));
    }
}
