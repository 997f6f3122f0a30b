using System.Collections.Immutable;
using System.Globalization;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

/// <summary>Lifecycle and health strings exactly as the AWS APIs return them.</summary>
public static class AwsStates
{
    public const string Pending = "Pending";
    public const string InService = "InService";
    public const string Terminating = "Terminating";
    public const string Terminated = "Terminated";
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";

    public const string TargetInitial = "initial";
    public const string TargetHealthy = "healthy";
    public const string TargetUnhealthy = "unhealthy";
    public const string TargetDraining = "draining";

    public const string AlarmOk = "OK";
    public const string AlarmAlarm = "ALARM";

    public const string ActivityInProgress = "InProgress";
    public const string ActivitySuccessful = "Successful";
    public const string ActivityFailed = "Failed";
}

internal sealed class SimGroup(
    string name, string launchTemplateId, string launchTemplateVersion, IReadOnlyList<string> targetGroupArns, TimeSpan gracePeriod, IReadOnlyList<string> zones)
{
    public string Name { get; } = name;

    public int MinSize { get; set; }

    public int MaxSize { get; set; }

    public int DesiredCapacity { get; set; }

    public string LaunchTemplateId { get; set; } = launchTemplateId;

    public string LaunchTemplateVersion { get; set; } = launchTemplateVersion;

    public IReadOnlyList<string> TargetGroupArns { get; } = targetGroupArns;

    public TimeSpan GracePeriod { get; } = gracePeriod;

    private readonly Dictionary<string, int> _activeByZone = new(StringComparer.Ordinal);

    /// <summary>Pending, InService and Terminating instances, in launch order; terminated ones leave the set (<see cref="Remove"/>).</summary>
    public OrderedCollection<SimInstance> Instances { get; } = new();

    // Counted as instances join, change lifecycle and leave, so what every change's observer reads costs nothing per
    // instance: counting the fleet at each change made a deployment's cost grow with the square of its size.
    public int PendingCount { get; private set; }

    public int InServiceCount { get; private set; }

    public int TerminatingCount { get; private set; }

    /// <summary>Pending and InService instances: what counts towards the desired capacity.</summary>
    public int ActiveCount => PendingCount + InServiceCount;

    /// <summary>Active (Pending or InService) instances in <paramref name="zone"/>.</summary>
    public int ActiveIn(string zone) => _activeByZone.GetValueOrDefault(zone);

    // What DescribeAutoScalingGroups lists for each instance, by launch order, kept as instances change once something
    // asked for it (describe lag, which snapshots the fleet after every change). A persistent map: a snapshot holds a
    // reference, not a copy of the fleet, and a change costs O(log n); copying made eventual consistency quadratic.
    private ImmutableSortedDictionary<long, AutoScalingInstance>? _described;
    private long _launches;

    /// <summary>The instances as DescribeAutoScalingGroups lists them now (launch order); immutable, so it can be kept.</summary>
    public ImmutableSortedDictionary<long, AutoScalingInstance> DescribedInstances =>
        _described ??= Instances.ToImmutableSortedDictionary(i => i.Sequence, i => i.Describe());

    public void Add(SimInstance instance)
    {
        Instances.Add(instance);
        instance.Owner = this;
        instance.Sequence = _launches++;
        Count(instance.Lifecycle, instance.AvailabilityZone, 1);
        Described(instance);
    }

    public void Remove(SimInstance instance)
    {
        if (Instances.Remove(instance))
        {
            Count(instance.Lifecycle, instance.AvailabilityZone, -1);
            instance.Owner = null;
            _described = _described?.Remove(instance.Sequence);
        }
    }

    internal void LifecycleChanged(SimInstance instance, string from, string to)
    {
        Count(from, instance.AvailabilityZone, -1);
        Count(to, instance.AvailabilityZone, 1);
        Described(instance);
    }

    internal void Described(SimInstance instance) => _described = _described?.SetItem(instance.Sequence, instance.Describe());

    private void Count(string lifecycle, string zone, int delta)
    {
        switch (lifecycle)
        {
            case AwsStates.Pending:
                PendingCount += delta;
                break;
            case AwsStates.InService:
                InServiceCount += delta;
                break;
            case AwsStates.Terminating:
                TerminatingCount += delta;
                return;
            default:
                return;
        }

        _activeByZone[zone] = _activeByZone.GetValueOrDefault(zone) + delta;
    }

    /// <summary>Whether a failed launch is already waiting to be retried.</summary>
    public bool LaunchRetryScheduled { get; set; }

    /// <summary>The replacement an AZRebalance launched (its surplus instance is terminated once it is InService).</summary>
    public SimInstance? RebalanceLaunch { get; set; }

    /// <summary>Whether an AZRebalance launch is under way: its replacement is still Pending (one terminated meanwhile ends it).</summary>
    public bool Rebalancing => RebalanceLaunch is { Lifecycle: AwsStates.Pending };

    public HashSet<string> SuspendedProcesses { get; } = new(StringComparer.Ordinal);

    /// <summary>Scaling activities, oldest first (DescribeScalingActivities returns them newest first).</summary>
    public List<ScalingActivity> Activities { get; } = [];

    /// <summary>The group's Availability Zones, in the order Auto Scaling balances over them.</summary>
    public IReadOnlyList<string> AvailabilityZones { get; } = zones;

    public bool HasMixedInstancesPolicy { get; set; }

    public bool HasWarmPool { get; set; }

    public List<GroupTag> Tags { get; } = [];

    /// <summary>The subnets, comma-separated, as CreateAutoScalingGroup took them (null: the region's two zones' private subnets).</summary>
    public string? VpcZoneIdentifier { get; init; }

    public string HealthCheckType { get; init; } = "ELB";

    /// <summary>
    /// Healthy capacity the group lost to something outside Phoenix (an instance that failed after passing its checks,
    /// an AZRebalance replacement) and has not yet got back: each target that turns healthy pays one back first. The
    /// safety invariant credits it, so it judges only what Phoenix did, except when Phoenix moves traffic onto the colour.
    /// </summary>
    public int ExternalDeficit { get; set; }

    /// <summary>
    /// Capacity a scaling policy or scheduled action added and that is not healthy yet: not a loss, so the invariant
    /// credits it even when traffic moves onto the colour (Phoenix checked the capacity the colour had).
    /// </summary>
    public int ExternalGrowth { get; set; }

    /// <summary>
    /// Capacity Phoenix added (a raised desired) that is not healthy yet: a colour that gains instances is no less safe,
    /// so the invariant credits it, but not when traffic moves onto the colour (SwapTraffic must wait for it).
    /// </summary>
    public int OwnGrowth { get; set; }

    /// <summary>When each outside loss became visible (its target unhealthy, or its termination): one younger than the describe lag is one Phoenix could not yet see.</summary>
    public List<DateTimeOffset> LossTimes { get; } = [];

    /// <summary>
    /// The group's desired was last lowered by a scaling policy or scheduled action, not by Phoenix: a colour that served
    /// may then be below one instance without Phoenix having done it.
    /// </summary>
    public bool ScaledInByOthers { get; set; }

    public bool IsSuspended(string process) => SuspendedProcesses.Contains(process);
}

internal sealed class SimInstance(
    string id, string? groupName, string imageId, string? launchTemplateId, long launchTemplateVersion, DateTimeOffset launchedAt, string zone)
{
    public string Id { get; } = id;

    public string? GroupName { get; } = groupName;

    public string ImageId { get; set; } = imageId;

    public string? LaunchTemplateId { get; } = launchTemplateId;

    public long LaunchTemplateVersion { get; } = launchTemplateVersion;

    public DateTimeOffset LaunchedAt { get; } = launchedAt;

    public string AvailabilityZone { get; } = zone;

    /// <summary>Set when an external fault stopped the application after it had passed its health checks.</summary>
    public bool Failed { get; set; }

    /// <summary>The group whose counts this instance is in (null: not in a group's set).</summary>
    internal SimGroup? Owner { get; set; }

    /// <summary>Its place in its group's launch order.</summary>
    internal long Sequence { get; set; }

    public string Lifecycle
    {
        get;
        set
        {
            if (field == value)
            {
                return;
            }

            var from = field;
            field = value;
            Owner?.LifecycleChanged(this, from, value);
        }
    } = AwsStates.Pending;

    public string Health
    {
        get;
        set
        {
            field = value;
            Owner?.Described(this);
        }
    } = AwsStates.Healthy;

    /// <summary>This instance as DescribeAutoScalingGroups lists it.</summary>
    public AutoScalingInstance Describe() => new(
        Id, Lifecycle, Health, new LaunchTemplateSpecification(LaunchTemplateId!, LaunchTemplateVersion.ToString(CultureInfo.InvariantCulture)), AvailabilityZone);

    /// <summary>When the application starts answering health checks; null: never (a bad image).</summary>
    public DateTimeOffset? ReadyAt { get; set; }

    public string Ec2State => Lifecycle switch
    {
        AwsStates.Pending => "pending",
        AwsStates.Terminated => "terminated",
        _ => "running",
    };
}

internal sealed class SimTarget(string instanceId, DateTimeOffset registeredAt)
{
    public string InstanceId { get; } = instanceId;

    public DateTimeOffset RegisteredAt { get; } = registeredAt;

    /// <summary>The target group whose counts this target is in (null: not registered).</summary>
    internal SimTargetGroup? Owner { get; set; }

    public string State
    {
        get;
        set
        {
            if (field == value)
            {
                return;
            }

            var from = field;
            field = value;
            Owner?.StateChanged(from, value);
            Owner?.Described(this);
        }
    } = AwsStates.TargetInitial;

    public string? Reason
    {
        get;
        set
        {
            field = value;
            Owner?.Described(this);
        }
    } = "Elb.InitialHealthChecking";

    /// <summary>Its place in its target group's registration order.</summary>
    internal long Sequence { get; set; }

    /// <summary>This target as DescribeTargetHealth reports it.</summary>
    public TargetHealthDescription Describe() => new(InstanceId, State, Reason);
}

internal sealed class SimTargetGroup(string arn, TargetGroupSettings settings)
{
    public string Arn { get; } = arn;

    /// <summary>What DescribeTargetGroups reports; the health check itself runs on <see cref="SimulationTimings"/>.</summary>
    public TargetGroupSettings Settings { get; } = settings;

    private readonly Dictionary<string, SimTarget> _byInstance = new(StringComparer.Ordinal);

    /// <summary>Registration order is kept so DescribeTargetHealth answers are stable.</summary>
    public OrderedCollection<SimTarget> Targets { get; } = new();

    /// <summary>Targets in state healthy, counted as they change (see <see cref="SimGroup.PendingCount"/> for why).</summary>
    public int HealthyCount { get; private set; }

    public int DrainingCount { get; private set; }

    public SimTarget? Find(string instanceId) => _byInstance.GetValueOrDefault(instanceId);

    public bool Contains(SimTarget target) => Targets.Contains(target);

    /// <summary>Registers <paramref name="target"/>; an instance is registered at most once per target group.</summary>
    public void Add(SimTarget target)
    {
        if (!_byInstance.TryAdd(target.InstanceId, target))
        {
            throw new InvalidOperationException($"{target.InstanceId} is already registered in {Arn}.");
        }

        Targets.Add(target);
        target.Owner = this;
        target.Sequence = _registrations++;
        StateChanged(null, target.State);
        Described(target);
    }

    public void Remove(string instanceId)
    {
        if (_byInstance.Remove(instanceId, out var target))
        {
            Targets.Remove(target);
            target.Owner = null;
            StateChanged(target.State, null);
            _described = _described?.Remove(target.Sequence);
        }
    }

    // As SimGroup.DescribedInstances, for DescribeTargetHealth under describe lag.
    private ImmutableSortedDictionary<long, TargetHealthDescription>? _described;
    private long _registrations;

    /// <summary>The targets as DescribeTargetHealth reports them now (registration order); immutable, so it can be kept.</summary>
    public ImmutableSortedDictionary<long, TargetHealthDescription> DescribedTargets =>
        _described ??= Targets.ToImmutableSortedDictionary(t => t.Sequence, t => t.Describe());

    internal void Described(SimTarget target) => _described = _described?.SetItem(target.Sequence, target.Describe());

    internal void StateChanged(string? from, string? to)
    {
        HealthyCount += (to == AwsStates.TargetHealthy ? 1 : 0) - (from == AwsStates.TargetHealthy ? 1 : 0);
        DrainingCount += (to == AwsStates.TargetDraining ? 1 : 0) - (from == AwsStates.TargetDraining ? 1 : 0);
    }
}

/// <summary>
/// A set that keeps insertion order with constant-time add, remove and membership (a list's removal and search grow
/// with the fleet, and the region does both once per instance).
/// </summary>
internal sealed class OrderedCollection<T> : IEnumerable<T>
    where T : class
{
    private readonly LinkedList<T> _items = new();
    private readonly Dictionary<T, LinkedListNode<T>> _nodes = new(ReferenceEqualityComparer.Instance);

    public int Count => _items.Count;

    /// <summary>The item added last and still in the set.</summary>
    public T? Last => _items.Last?.Value;

    public bool Contains(T item) => _nodes.ContainsKey(item);

    public void Add(T item) => _nodes.Add(item, _items.AddLast(item));

    public bool Remove(T item)
    {
        if (!_nodes.Remove(item, out var node))
        {
            return false;
        }

        _items.Remove(node);
        return true;
    }

    public LinkedList<T>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A listener: its default actions (the default rule) and its other rules, as ELBv2 stores them.</summary>
internal sealed class SimListener(string arn)
{
    public string Arn { get; } = arn;

    public string LoadBalancerArn { get; init; } = string.Empty;

    public string Protocol { get; init; } = "HTTP";

    public int Port { get; init; } = 80;

    public IReadOnlyList<ListenerAction> DefaultActions { get; set; } = [];

    /// <summary>Non-default rules; DescribeRules lists them by priority, then the default rule.</summary>
    public List<SimRule> Rules { get; } = [];
}

internal sealed class SimRule(string arn, int priority, string conditions, IReadOnlyList<ListenerAction> actions)
{
    public string Arn { get; } = arn;

    public int Priority { get; } = priority;

    /// <summary>The rule's conditions, in the encoding the port reports; ModifyRule never changes them.</summary>
    public string Conditions { get; } = conditions;

    public IReadOnlyList<ListenerAction> Actions { get; set; } = actions;
}

internal sealed class SimLaunchTemplate(string id, string name)
{
    public string Id { get; } = id;

    public string Name { get; } = name;

    public List<(long Version, string ImageId, string? ClientToken)> Versions { get; } = [];

    public long DefaultVersion { get; set; } = 1;

    public long? Resolve(string version)
    {
        if (version == "$Latest")
        {
            return Versions.Count == 0 ? null : Versions[^1].Version;
        }

        if (version == "$Default")
        {
            return DefaultVersion;
        }

        return long.TryParse(version, out var number) && Versions.Exists(v => v.Version == number) ? number : null;
    }

    public string ImageOf(long version) => Versions.Find(v => v.Version == version).ImageId;
}

internal sealed record SimImage(string ImageId, string Name, bool Healthy, TimeSpan? Boot, IReadOnlyDictionary<string, string> Tags);

internal sealed record SimBake(string BakeId, BakeRequest Request, DateTimeOffset StartedAt, DateTimeOffset FinishesAt)
{
    public BakeState State { get; set; } = BakeState.InProgress;

    public string? ImageId { get; set; }

    public string? Reason { get; set; }
}

/// <summary>A message the notifier published, with the virtual instant it was sent.</summary>
public sealed record PublishedMessage(DateTimeOffset At, string TopicArn, string Id, string? Subject, string Message);

/// <summary>What one change in the region was, for the timeline and the live view.</summary>
public sealed record RegionChange(DateTimeOffset At, string Kind, string Subject, string Detail);

/// <summary>One colour of a fleet as observed at an instant.</summary>
/// <param name="Weight">The colour's weight in the listener's default forward action.</param>
/// <param name="RuleWeight">The sum of its weights in the forwards of the listener's other rules.</param>
/// <param name="ExternalDeficit">Healthy capacity lost to something outside Phoenix and not yet replaced, plus capacity Phoenix added that is still launching (see SimGroup).</param>
/// <param name="ExternalGrowth">Capacity a scaling policy or scheduled action added that is not healthy yet (see SimGroup).</param>
/// <param name="UnseenLosses">Of the outside losses, those younger than the describe lag: no describe could show them yet.</param>
/// <param name="ScaledInByOthers">The desired capacity was last lowered by a scaling actor, not by Phoenix (see SimGroup).</param>
public sealed record ColourObservation(
    int Weight,
    int MinSize,
    int MaxSize,
    int DesiredCapacity,
    int Pending,
    int InService,
    int Terminating,
    int HealthyTargets,
    int DrainingTargets,
    string LaunchTemplateVersion,
    string? ImageId,
    int RuleWeight = 0,
    int ExternalDeficit = 0,
    int ExternalGrowth = 0,
    bool ScaledInByOthers = false,
    int UnseenLosses = 0)
{
    /// <summary>All weight the listener gives the colour, default action and rules together.</summary>
    public int Traffic => Weight + RuleWeight;
}

public sealed record FleetObservation(DateTimeOffset At, ColourObservation Blue, ColourObservation Green)
{
    public ColourObservation For(Phoenix.Core.Domain.Colour colour) => colour == Phoenix.Core.Domain.Colour.Blue ? Blue : Green;
}
