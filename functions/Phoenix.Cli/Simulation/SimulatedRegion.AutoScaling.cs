using System.Globalization;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

// EC2 Auto Scaling: groups over two Availability Zones, launches that can fail per zone, scaling activities with
// AWS's texts, the processes SuspendProcesses stops, AZRebalance, and health-check replacement.
public sealed partial class SimulatedRegion
{
    /// <summary>The fleet stack's default instance type; it appears in capacity failure messages.</summary>
    public const string InstanceType = "t3.medium";

    /// <summary>How long Auto Scaling waits before it tries a failed launch again.</summary>
    public static readonly TimeSpan LaunchRetryDelay = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, SimGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimInstance> _instances = new(StringComparer.Ordinal);

    /// <summary>The processes suspended on a group now.</summary>
    public IReadOnlyList<string> SuspendedProcessesOf(string groupName)
    {
        lock (_gate)
        {
            return [.. RequireGroup(groupName).SuspendedProcesses.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Every scaling activity of a group, oldest first.</summary>
    public IReadOnlyList<ScalingActivity> ActivitiesOf(string groupName)
    {
        lock (_gate)
        {
            return [.. RequireGroup(groupName).Activities];
        }
    }

    /// <summary>The Availability Zone of each instance of a group that is not terminating.</summary>
    public IReadOnlyList<string> InstanceZonesOf(string groupName)
    {
        lock (_gate)
        {
            return [.. RequireGroup(groupName).Instances.Where(i => i.Lifecycle is AwsStates.Pending or AwsStates.InService).Select(i => i.AvailabilityZone)];
        }
    }

    /// <summary>
    /// Sets a group's sizes as someone outside Phoenix would (a console user, a failed earlier deployment): same rules as
    /// UpdateAutoScalingGroup, no faults injected. Used to arrange leftovers before a deployment.
    /// </summary>
    public void ArrangeGroup(string groupName, int? minSize = null, int? maxSize = null, int? desiredCapacity = null) =>
        UpdateGroup(new UpdateAutoScalingGroup(groupName, minSize, maxSize, desiredCapacity));

    /// <summary>Suspends processes on a group as someone outside Phoenix would (no faults injected).</summary>
    public void ArrangeSuspended(string groupName, IReadOnlyList<string> processes) => SetProcesses(groupName, processes, suspended: true);

    /// <summary>Gives a group a MixedInstancesPolicy and/or a warm pool, which Phoenix does not manage.</summary>
    public void SetGroupFeatures(string groupName, bool mixedInstancesPolicy, bool warmPool)
    {
        lock (_gate)
        {
            var group = RequireGroup(groupName);
            group.HasMixedInstancesPolicy = mixedInstancesPolicy;
            group.HasWarmPool = warmPool;
            Changed("AutoScalingGroup", groupName, $"mixed instances policy {mixedInstancesPolicy}, warm pool {warmPool}");
        }
    }

    internal AutoScalingGroup? DescribeGroup(string name)
    {
        lock (_gate)
        {
            return Lagged($"asg:{name}", () => _groups.TryGetValue(name, out var group) ? Describe(group) : null);
        }
    }

    private static AutoScalingGroup Describe(SimGroup group) => Describe(group, [.. group.Instances.Select(i => i.Describe())]);

    private static AutoScalingGroup Describe(SimGroup group, IReadOnlyList<AutoScalingInstance> instances) => new(
        group.Name,
        group.MinSize,
        group.MaxSize,
        group.DesiredCapacity,
        new LaunchTemplateSpecification(group.LaunchTemplateId, group.LaunchTemplateVersion),
        instances,
        [.. group.TargetGroupArns],
        (int)group.GracePeriod.TotalSeconds,
        group.SuspendedProcesses.Count == 0 ? null : [.. group.SuspendedProcesses.Order(StringComparer.Ordinal)],
        [.. group.AvailabilityZones],
        group.HasMixedInstancesPolicy,
        group.HasWarmPool,
        group.VpcZoneIdentifier ?? string.Join(',', group.AvailabilityZones.Select(z => $"subnet-{z}")),
        group.HealthCheckType,
        [.. group.Tags]);

    internal void SetProcesses(string groupName, IReadOnlyList<string> processes, bool suspended)
    {
        lock (_gate)
        {
            var group = RequireGroup(groupName);
            var unknown = processes.FirstOrDefault(p => !KnownProcesses.Contains(p));
            if (unknown is not null)
            {
                throw new SimulatedServiceException("ValidationError", $"Process name {unknown} is not a valid scaling process.");
            }

            foreach (var process in processes)
            {
                var changed = suspended ? group.SuspendedProcesses.Add(process) : group.SuspendedProcesses.Remove(process);
                if (changed)
                {
                    Changed("AutoScalingGroup", groupName, $"{process} {(suspended ? "suspended" : "resumed")}");
                }
            }

            if (!suspended)
            {
                // Resumed Launch/Terminate catch up with the desired capacity; a resumed AZRebalance balances the zones.
                Reconcile(group);
                Rebalance(group);
            }
        }
    }

    private static readonly HashSet<string> KnownProcesses = new(StringComparer.Ordinal)
    {
        ScalingProcesses.Launch, ScalingProcesses.Terminate, ScalingProcesses.AzRebalance, ScalingProcesses.ScheduledActions,
        ScalingProcesses.AlarmNotification, "HealthCheck", "ReplaceUnhealthy", "AddToLoadBalancer", "InstanceRefresh",
    };

    internal IReadOnlyList<ScalingActivity> DescribeActivities(string groupName, int maxRecords)
    {
        lock (_gate)
        {
            if (maxRecords is < 1 or > 100)
            {
                throw new SimulatedServiceException("ValidationError", $"MaxRecords {maxRecords} must be between 1 and 100.");
            }

            var group = RequireGroup(groupName);
            return [.. Enumerable.Reverse(group.Activities).Take(maxRecords)];
        }
    }

    internal void UpdateGroup(UpdateAutoScalingGroup request)
    {
        lock (_gate)
        {
            var group = RequireGroup(request.AutoScalingGroupName);
            var min = request.MinSize ?? group.MinSize;
            var max = request.MaxSize ?? group.MaxSize;
            var desired = request.DesiredCapacity ?? group.DesiredCapacity;

            // As in UpdateAutoScalingGroup: a new MinSize above the current size raises DesiredCapacity, a new MaxSize
            // below it lowers it, when DesiredCapacity is not given.
            if (request.DesiredCapacity is null)
            {
                if (request.MinSize is { } newMin && newMin > desired)
                {
                    desired = newMin;
                }

                if (request.MaxSize is { } newMax && newMax < desired)
                {
                    desired = newMax;
                }
            }

            if (min < 0 || max < 0 || desired < 0)
            {
                throw new SimulatedServiceException("ValidationError", $"Sizes cannot be negative (min {min}, max {max}, desired {desired}) for {group.Name}.");
            }

            if (min > max)
            {
                throw new SimulatedServiceException("ValidationError", $"Max bound, {max}, must be greater than or equal to min bound, {min}, for {group.Name}.");
            }

            if (desired < min || desired > max)
            {
                throw new SimulatedServiceException(
                    "ValidationError",
                    $"Desired capacity:{desired} must be between the specified min size:{min} and max size:{max} for {group.Name}.");
            }

            if (request.LaunchTemplate is { } spec)
            {
                var template = RequireTemplate(spec.LaunchTemplateId);
                if (template.Resolve(spec.Version) is null)
                {
                    throw new SimulatedServiceException("ValidationError", $"Launch template {spec.LaunchTemplateId} has no version '{spec.Version}'.");
                }

                group.LaunchTemplateId = spec.LaunchTemplateId;
                group.LaunchTemplateVersion = spec.Version;
            }

            group.MinSize = min;
            group.MaxSize = max;
            group.OwnGrowth += Math.Max(0, desired - group.DesiredCapacity);
            group.DesiredCapacity = desired;
            group.ScaledInByOthers = false;
            Changed("AutoScalingGroup", group.Name, $"min {min} max {max} desired {desired} template {group.LaunchTemplateId}:{group.LaunchTemplateVersion}");
            Reconcile(group);
        }
    }

    internal void SetDesired(string groupName, int desired)
    {
        lock (_gate)
        {
            var group = RequireGroup(groupName);
            if (desired > group.MaxSize)
            {
                throw new SimulatedServiceException("ValidationError", $"New SetDesiredCapacity value {desired} is above max value {group.MaxSize} for the AutoScalingGroup.");
            }

            if (desired < group.MinSize)
            {
                throw new SimulatedServiceException("ValidationError", $"New SetDesiredCapacity value {desired} is below min value {group.MinSize} for the AutoScalingGroup.");
            }

            group.OwnGrowth += Math.Max(0, desired - group.DesiredCapacity);
            group.DesiredCapacity = desired;
            group.ScaledInByOthers = false;
            Changed("AutoScalingGroup", group.Name, $"desired {desired}");
            Reconcile(group);
        }
    }

    internal void TerminateInGroup(string instanceId, bool decrement)
    {
        lock (_gate)
        {
            if (!_instances.TryGetValue(instanceId, out var instance) || instance.GroupName is null
                || instance.Lifecycle is AwsStates.Terminated)
            {
                throw new SimulatedServiceException("ValidationError", $"Instance Id not found - No managed instance found for instance ID: {instanceId}");
            }

            var group = _groups[instance.GroupName];
            if (instance.Lifecycle == AwsStates.Terminating)
            {
                return;
            }

            var before = group.ActiveCount;
            if (decrement)
            {
                if (group.DesiredCapacity - 1 < group.MinSize)
                {
                    throw new SimulatedServiceException(
                        "ValidationError",
                        $"Currently, desiredSize equals minSize ({group.MinSize}). Terminating instance without replacement will violate group's min size constraint.");
                }

                group.DesiredCapacity--;
            }

            BeginTerminate(instance, "TerminateInstanceInAutoScalingGroup", decrement
                ? $"At {Stamp()} instance {instanceId} was taken out of service in response to a user request, shrinking the capacity from {before} to {before - 1}."
                : $"At {Stamp()} instance {instanceId} was taken out of service in response to a user request.");
            Reconcile(group);
        }
    }

    /// <summary>Pending and InService instances, in launch order: what counts towards the desired capacity.</summary>
    private static List<SimInstance> Active(SimGroup group) =>
        group.Instances.Where(i => i.Lifecycle is AwsStates.Pending or AwsStates.InService).ToList();

    private void Reconcile(SimGroup group)
    {
        var active = group.ActiveCount;
        if (active < group.DesiredCapacity && !group.IsSuspended(ScalingProcesses.Launch))
        {
            var from = active;
            for (var n = active; n < group.DesiredCapacity; n++)
            {
                if (!Launch(group, from, group.DesiredCapacity, zone: null, onInService: null))
                {
                    break;
                }
            }
        }
        else if (active > Ceiling(group, active) && !group.IsSuspended(ScalingProcesses.Terminate))
        {
            var template = _templates[group.LaunchTemplateId];
            var victims = new ScaleInOrder(group, template.Resolve(group.LaunchTemplateVersion));
            var from = active;
            var ceiling = Ceiling(group, active);
            for (var n = active; n > ceiling; n--)
            {
                BeginTerminate(victims.Next(), "scale-in",
                    $"At {Stamp()} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from {from} to {group.DesiredCapacity}.");
            }
        }
    }

    /// <summary>
    /// How many instances the group keeps before scaling in: its desired capacity, plus the replacement an AZRebalance
    /// launched, whose surplus the rebalance terminates itself once it is InService (AWS lets a rebalancing group exceed its
    /// desired capacity for that; scaling in at once would take a healthy instance away before its replacement serves).
    /// A desired capacity lowered meanwhile ends the rebalance: the group scales in as usual.
    /// </summary>
    private static int Ceiling(SimGroup group, int active)
    {
        if (!group.Rebalancing)
        {
            return group.DesiredCapacity;
        }

        if (group.DesiredCapacity > 0 && active - 1 <= group.DesiredCapacity)
        {
            return group.DesiredCapacity + 1;
        }

        group.RebalanceLaunch = null;
        return group.DesiredCapacity;
    }

    /// <summary>
    /// Launches one instance, in <paramref name="zone"/> or else in the zone with the fewest instances where EC2 can
    /// launch now. A failed attempt is a Failed scaling activity with EC2's reason; when no zone can launch, Auto Scaling
    /// tries again after <see cref="LaunchRetryDelay"/>. Returns whether an instance was launched.
    /// </summary>
    private bool Launch(SimGroup group, int from, int to, string? zone, Action<SimInstance>? onInService)
    {
        var template = _templates[group.LaunchTemplateId];
        var version = template.Resolve(group.LaunchTemplateVersion)!.Value;
        var imageId = template.ImageOf(version);
        var cause = $"At {Stamp()} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from {from} to {to}.";
        if (!_images.TryGetValue(imageId, out var image))
        {
            FailLaunch(group, cause, $"The image id '[{imageId}]' does not exist. Launching EC2 instance failed.", group.AvailabilityZones[0]);
            return false;
        }

        var candidates = zone is not null
            ? [zone]
            : group.AvailabilityZones.OrderBy(group.ActiveIn).ThenBy(z => z, StringComparer.Ordinal).ToList();
        string? chosen = null;
        foreach (var candidate in candidates)
        {
            if (LaunchFailureIn(candidate) is { } failure)
            {
                FailLaunch(group, cause, FailureMessage(failure, candidate, group), candidate);
                continue;
            }

            chosen = candidate;
            break;
        }

        if (chosen is null)
        {
            return false;
        }

        var instance = new SimInstance($"i-{NextHex(17)}", group.Name, imageId, template.Id, version, Now, chosen);
        _instances.Add(instance.Id, instance);
        group.Add(instance);
        var activity = AddActivity(group, $"Launching a new EC2 instance: {instance.Id}", cause, AwsStates.ActivityInProgress, null);
        Changed("Instance", instance.Id, $"Pending in {group.Name} ({chosen}) from {imageId} (template version {version})");
        At(Now + Timings.InstanceLaunch, () =>
        {
            if (instance.Lifecycle != AwsStates.Pending)
            {
                return;
            }

            instance.Lifecycle = AwsStates.InService;
            instance.ReadyAt = image.Healthy ? Now + (image.Boot ?? Timings.ApplicationBoot) : null;
            CompleteActivity(group, activity);
            Changed("Instance", instance.Id, $"InService in {group.Name}");
            foreach (var arn in group.TargetGroupArns)
            {
                Register(_targetGroups[arn], instance, group);
            }

            onInService?.Invoke(instance);
        });
        return true;
    }

    private void FailLaunch(SimGroup group, string cause, string message, string zone)
    {
        AddActivity(group, $"Launching a new EC2 instance. Status Reason: {message}", cause, AwsStates.ActivityFailed, message);
        Changed("AutoScalingGroup", group.Name, $"launch failed in {zone}: {message}");
        if (!group.LaunchRetryScheduled)
        {
            group.LaunchRetryScheduled = true;
            At(Now + LaunchRetryDelay, () =>
            {
                group.LaunchRetryScheduled = false;
                Reconcile(group);
            });
        }
    }

    private LaunchFailure? LaunchFailureIn(string zone)
    {
        var since = Now - _epoch;
        return Faults.LaunchFailures.FirstOrDefault(f => f.Covers(zone, since));
    }

    private static string FailureMessage(LaunchFailure failure, string zone, SimGroup group) => failure.Kind switch
    {
        LaunchFailureKind.InsufficientCapacity =>
            $"We currently do not have sufficient {InstanceType} capacity in the Availability Zone you requested ({zone}). Our system will be working on "
            + $"provisioning additional capacity. You can currently get {InstanceType} capacity by not specifying an Availability Zone in your request or "
            + $"choosing {string.Join(", ", group.AvailabilityZones.Where(z => z != zone))}. Launching EC2 instance failed.",
        LaunchFailureKind.KmsKeyNotUsable => "Client.InternalError: Client error on launch. Launching EC2 instance failed.",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure.Kind, "Unknown launch failure kind."),
    };

    private int AddActivity(SimGroup group, string description, string cause, string status, string? message)
    {
        var done = status != AwsStates.ActivityInProgress;
        group.Activities.Add(new ScalingActivity(
            Guid.CreateVersion7(Now).ToString("D", CultureInfo.InvariantCulture),
            status,
            message,
            description,
            cause,
            Now,
            done ? Now : null));
        return group.Activities.Count - 1;
    }

    private void CompleteActivity(SimGroup group, int index) =>
        group.Activities[index] = group.Activities[index] with { StatusCode = AwsStates.ActivitySuccessful, EndTime = Now };

    private void LaunchAlreadyServing(SimGroup group)
    {
        var template = _templates[group.LaunchTemplateId];
        var version = template.Resolve(group.LaunchTemplateVersion)!.Value;
        var zone = group.AvailabilityZones.OrderBy(group.ActiveIn).First();
        var instance = new SimInstance($"i-{NextHex(17)}", group.Name, template.ImageOf(version), template.Id, version, Now - TimeSpan.FromDays(1), zone)
        {
            Lifecycle = AwsStates.InService,
            ReadyAt = Now - TimeSpan.FromDays(1),
        };
        _instances.Add(instance.Id, instance);
        group.Add(instance);
        foreach (var arn in group.TargetGroupArns)
        {
            _targetGroups[arn].Add(new SimTarget(instance.Id, instance.LaunchedAt) { State = AwsStates.TargetHealthy, Reason = null });
        }
    }

    private void BeginTerminate(SimInstance instance, string why, string? cause = null)
    {
        if (instance.Lifecycle is AwsStates.Terminating or AwsStates.Terminated)
        {
            return;
        }

        instance.Lifecycle = AwsStates.Terminating;
        var group = instance.GroupName is { } name ? _groups[name] : null;
        var activity = group is null
            ? -1
            : AddActivity(group, $"Terminating EC2 instance: {instance.Id}", cause ?? $"At {Stamp()} an instance was taken out of service ({why}).",
                AwsStates.ActivityInProgress, null);
        Changed("Instance", instance.Id, $"Terminating ({why})");
        var draining = false;
        foreach (var targetGroup in _targetGroups.Values)
        {
            if (targetGroup.Find(instance.Id) is { } target)
            {
                target.State = AwsStates.TargetDraining;
                target.Reason = "Target.DeregistrationInProgress";
                draining = true;
                Changed("Target", instance.Id, $"draining in {ShortTargetGroup(targetGroup.Arn)}");
            }
        }

        void Finish()
        {
            FinishTerminate(instance);
            if (group is not null)
            {
                CompleteActivity(group, activity);
            }
        }

        if (draining && Timings.DeregistrationDelay > TimeSpan.Zero)
        {
            At(Now + Timings.DeregistrationDelay, Finish);
        }
        else
        {
            Finish();
        }
    }

    private void FinishTerminate(SimInstance instance)
    {
        foreach (var targetGroup in _targetGroups.Values)
        {
            targetGroup.Remove(instance.Id);
        }

        instance.Lifecycle = AwsStates.Terminated;
        if (instance.GroupName is { } name)
        {
            _groups[name].Remove(instance);
        }

        Changed("Instance", instance.Id, "terminated");
    }

    /// <summary>
    /// AZRebalance: when the zones differ by more than one instance (after a zone could not launch for a while), Auto
    /// Scaling launches in the smallest zone first and terminates a surplus instance in the largest once the new one is
    /// InService — not once it is healthy behind the load balancer, so the group's healthy capacity dips meanwhile. That
    /// dip is why a deployment suspends AZRebalance.
    /// </summary>
    private void Rebalance(SimGroup group)
    {
        if (group.Rebalancing || group.IsSuspended(ScalingProcesses.AzRebalance) || group.IsSuspended(ScalingProcesses.Launch))
        {
            return;
        }

        var active = group.ActiveCount;
        var counts = group.AvailabilityZones.ToDictionary(z => z, group.ActiveIn, StringComparer.Ordinal);
        var smallest = counts.OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First();
        var largest = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First();
        if (largest.Value - smallest.Value <= 1 || LaunchFailureIn(smallest.Key) is not null)
        {
            return;
        }

        var launched = Launch(group, active, active + 1, smallest.Key, replacement =>
        {
            var surplus = Active(group).Where(i => i.AvailabilityZone == largest.Key).OrderBy(i => i.LaunchedAt).FirstOrDefault();
            if (group.RebalanceLaunch == replacement && surplus is not null && group.ActiveCount == group.DesiredCapacity + 1
                && !group.IsSuspended(ScalingProcesses.Terminate))
            {
                // Healthy capacity dips until the replacement passes its checks: an outside loss the invariant credits.
                group.ExternalDeficit++;
                group.LossTimes.Add(Now);
                BeginTerminate(surplus, "AZRebalance",
                    $"At {Stamp()} an instance was taken out of service in response to a difference between desired and actual capacity, "
                    + $"to balance instances across Availability Zones ({largest.Key} had {largest.Value}, {smallest.Key} had {smallest.Value}).");
            }

            group.RebalanceLaunch = null;
            Reconcile(group);
            Rebalance(group);
        });
        if (launched)
        {
            group.RebalanceLaunch = group.Instances.Last;
        }
    }

    private SimGroup RequireGroup(string name) =>
        _groups.TryGetValue(name, out var group)
            ? group
            : throw new SimulatedServiceException("ValidationError", $"AutoScalingGroup name not found - AutoScalingGroup '{name}' not found");

    private string Stamp() => Now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// The default termination policy's order, one victim at a time: unhealthy instances first, then the zone with the
    /// most active instances (counted anew after each victim), then instances from another launch template version than
    /// the group's, then the oldest, then launch order. The same choice as sorting the active instances before each
    /// victim, at the cost of one sort per scale-in instead of one per instance.
    /// </summary>
    private sealed class ScaleInOrder
    {
        private readonly SimGroup _group;
        private readonly List<Queue<(SimInstance Instance, int Position)>> _queues = [];
        private readonly Func<SimInstance, int> _versionRank;

        public ScaleInOrder(SimGroup group, long? currentVersion)
        {
            _group = group;
            _versionRank = i => i.LaunchTemplateId == group.LaunchTemplateId && i.LaunchTemplateVersion == currentVersion ? 1 : 0;
            var ranked = Active(group).Select((instance, position) => (Instance: instance, Position: position));
            foreach (var bucket in ranked.GroupBy(r => (HealthRank(r.Instance), r.Instance.AvailabilityZone)))
            {
                _queues.Add(new Queue<(SimInstance, int)>(bucket
                    .OrderBy(r => _versionRank(r.Instance))
                    .ThenBy(r => r.Instance.LaunchedAt)
                    .ThenBy(r => r.Position)));
            }
        }

        public SimInstance Next()
        {
            (SimInstance Instance, int Position)? best = null;
            Queue<(SimInstance, int)>? from = null;
            foreach (var queue in _queues)
            {
                // A victim leaves the active set when it starts terminating; nothing else changes during a scale-in.
                while (queue.TryPeek(out var stale) && stale.Item1.Lifecycle is not (AwsStates.Pending or AwsStates.InService))
                {
                    queue.Dequeue();
                }

                if (queue.TryPeek(out var head) && (best is null || Before(head, best.Value)))
                {
                    best = head;
                    from = queue;
                }
            }

            from!.Dequeue();
            return best!.Value.Instance;
        }

        private static int HealthRank(SimInstance instance) => instance.Health == AwsStates.Unhealthy ? 0 : 1;

        private bool Before((SimInstance Instance, int Position) a, (SimInstance Instance, int Position) b)
        {
            var order = HealthRank(a.Instance).CompareTo(HealthRank(b.Instance));
            order = order != 0 ? order : _group.ActiveIn(b.Instance.AvailabilityZone).CompareTo(_group.ActiveIn(a.Instance.AvailabilityZone));
            order = order != 0 ? order : _versionRank(a.Instance).CompareTo(_versionRank(b.Instance));
            order = order != 0 ? order : a.Instance.LaunchedAt.CompareTo(b.Instance.LaunchedAt);
            return (order != 0 ? order : a.Position.CompareTo(b.Position)) < 0;
        }
    }
}
