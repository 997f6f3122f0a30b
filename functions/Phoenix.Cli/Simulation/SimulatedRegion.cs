using System.Buffers;
using System.Globalization;
using Phoenix.Core;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

/// <summary>
/// An in-memory AWS region for Phoenix: Auto Scaling groups, launch templates and images, target groups and a weighted
/// listener, alarms, an image baker, the lock table, the ledger, SNS and the topology parameters, all on one
/// <see cref="TimeProvider"/>. Every delayed change (an instance reaching InService, a target passing its health checks,
/// a draining target leaving) is a timer on that clock, so on a virtual clock the timeline is exact: each change
/// happens at the instant the timing model says, and observers see every one of them.
/// </summary>
public sealed class SimulatedRegion
{
    public const string AccountId = "000000000000";
    public const string RegionName = "us-east-1";

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    private readonly Lock _gate = new();
    private readonly HashSet<ITimer> _timers = [];
    private readonly List<Action<RegionChange>> _observers = [];
    private readonly Dictionary<string, SimGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimInstance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimLaunchTemplate> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimImage> _images = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimTargetGroup> _targetGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TargetGroupWeight>> _listeners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlarmDescription> _alarms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FleetTopology> _topologies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimBake> _bakes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeploymentLockRecord> _locks = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Application, string DeploymentId), DeploymentRecord> _ledger = [];
    private readonly List<PublishedMessage> _published = [];
    private readonly HashSet<string> _bakeProjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _unmanagedTags = new(StringComparer.Ordinal);
    private readonly Random _random;
    private long _sequence;
    private int _callsUntilThrottling;
    private bool _alarmAfterSwapArmed;

    public SimulatedRegion(TimeProvider time, SimulationTimings? timings = null, FaultPlan? faults = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        Timings = timings ?? SimulationTimings.Default;
        Timings.Validate();
        Faults = faults ?? FaultPlan.None;
        Faults.Validate();
#pragma warning disable CA5394 // Throttling draws only need to be reproducible, not unpredictable.
        _random = new Random(Faults.Seed);
#pragma warning restore CA5394
        AutoScaling = new SimulatedAutoScaling(this);
        Ec2 = new SimulatedEc2(this);
        LoadBalancer = new SimulatedLoadBalancer(this);
        Alarms = new SimulatedAlarms(this);
        Baker = new SimulatedImageBaker(this);
        Locks = new SimulatedLockTable(this);
        Ledger = new SimulatedLedger(this);
        Notifier = new SimulatedNotifier(this);
        Topology = new SimulatedTopologyStore(this);
    }

    public TimeProvider Time { get; }

    public SimulationTimings Timings { get; }

    public FaultPlan Faults { get; }

    public IAutoScaling AutoScaling { get; }

    public IEc2 Ec2 { get; }

    public ILoadBalancer LoadBalancer { get; }

    public IAlarms Alarms { get; }

    public IImageBaker Baker { get; }

    public IDeploymentLock Locks { get; }

    public IDeploymentLedger Ledger { get; }

    public INotifier Notifier { get; }

    public ITopologyStore Topology { get; }

    /// <summary>Calls that failed with a simulated throttling error.</summary>
    public int ThrottledCalls { get; private set; }

    /// <summary>Timers scheduled and not yet fired: zero means the region has settled.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    public DateTimeOffset Now => Time.GetUtcNow();

    public IReadOnlyList<PublishedMessage> Published
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    internal Lock Gate => _gate;

    /// <summary>
    /// Called synchronously, under the region's lock, after every single change, so an observer sees each intermediate
    /// state even when several changes share a virtual instant.
    /// </summary>
    public void Observe(Action<RegionChange> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            _observers.Add(observer);
        }
    }

    /// <summary>
    /// Builds a blue/green fleet the way the fleet stack does: one launch template, Auto Scaling group and target group
    /// per colour, a listener forwarding 100% to blue, the application's alarms (OK), its topology parameter and a
    /// bake project. Blue starts with <see cref="FleetSpec.Capacity"/> instances already in service and healthy;
    /// green is empty.
    /// </summary>
    public FleetTopology CreateFleet(FleetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        lock (_gate)
        {
            if (_topologies.ContainsKey(spec.Application))
            {
                throw new ArgumentException($"Application '{spec.Application}' already has a fleet in this region.", nameof(spec));
            }

            if (!_images.ContainsKey(spec.ImageId))
            {
                AddImage(spec.ImageId, $"{spec.Application}-initial", healthy: true, boot: null);
            }

            var gracePeriod = spec.HealthCheckGracePeriod ?? Timings.HealthCheckGracePeriod;
            ColourResources Build(Colour colour)
            {
                var wire = colour.ToWire();
                var template = new SimLaunchTemplate($"lt-{NextHex(17)}", $"phoenix-{spec.Application}-{wire}");
                template.Versions.Add((1, spec.ImageId, null));
                _templates.Add(template.Id, template);
                var targetGroupArn = $"arn:aws:elasticloadbalancing:{RegionName}:{AccountId}:targetgroup/{spec.Application}-{wire}/{NextHex(16)}";
                _targetGroups.Add(targetGroupArn, new SimTargetGroup(targetGroupArn));
                var group = new SimGroup($"phoenix-{spec.Application}-{wire}", template.Id, "1", [targetGroupArn], gracePeriod)
                {
                    MaxSize = Math.Max(spec.Capacity, spec.InitialCapacity) * 2,
                };
                _groups.Add(group.Name, group);
                return new ColourResources(group.Name, targetGroupArn, template.Id);
            }

            var blue = Build(Colour.Blue);
            var green = Build(Colour.Green);
            var listenerArn = $"arn:aws:elasticloadbalancing:{RegionName}:{AccountId}:listener/app/{spec.Application}/{NextHex(16)}/{NextHex(16)}";
            _listeners.Add(listenerArn, [new TargetGroupWeight(blue.TargetGroupArn, 100), new TargetGroupWeight(green.TargetGroupArn, 0)]);
            var alarmNames = new[] { $"{spec.Application}-target-5xx", $"{spec.Application}-p99-latency" };
            foreach (var alarm in alarmNames)
            {
                _alarms[alarm] = new AlarmDescription(alarm, AwsStates.AlarmOk, "Threshold Crossed: no datapoints were breaching", Now);
            }

            var bakeProject = $"phoenix-bake-{spec.Application}";
            _bakeProjects.Add(bakeProject);
            var topology = new FleetTopology(
                spec.Application,
                blue,
                green,
                listenerArn,
                alarmNames,
                bakeProject,
                $"arn:aws:sns:{RegionName}:{AccountId}:phoenix-deployments",
                DefaultCapacity: spec.Capacity);
            _topologies.Add(spec.Application, topology);

            var blueGroup = _groups[blue.AutoScalingGroupName];
            blueGroup.MinSize = spec.InitialCapacity;
            blueGroup.DesiredCapacity = spec.InitialCapacity;
            for (var i = 0; i < spec.InitialCapacity; i++)
            {
                LaunchAlreadyServing(blueGroup);
            }

            Changed("Fleet", spec.Application, $"created with {spec.InitialCapacity} blue instance(s) of {spec.ImageId}");
            return topology;
        }
    }

    /// <summary>Registers an available image. <paramref name="healthy"/> false: instances of it never pass health checks.</summary>
    public string RegisterImage(string? imageId = null, string? name = null, bool healthy = true, TimeSpan? boot = null)
    {
        lock (_gate)
        {
            var id = imageId ?? $"ami-{NextHex(17)}";
            AddImage(id, name ?? id, healthy, boot);
            return id;
        }
    }

    /// <summary>Sets an alarm's state, as CloudWatch would when its metric crosses the threshold.</summary>
    public void SetAlarmState(string alarmName, string state, string reason)
    {
        lock (_gate)
        {
            if (!_alarms.ContainsKey(alarmName))
            {
                throw new ArgumentException($"No alarm named '{alarmName}'.", nameof(alarmName));
            }

            _alarms[alarmName] = new AlarmDescription(alarmName, state, reason, Now);
            Changed("Alarm", alarmName, $"{state}: {reason}");
        }
    }

    /// <summary>Puts or replaces an application's topology parameter.</summary>
    public void PutTopology(FleetTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        lock (_gate)
        {
            _topologies[topology.Application] = topology;
            Changed("Topology", topology.Application, "parameter written");
        }
    }

    /// <summary>
    /// Launches an instance outside any Auto Scaling group (someone ran RunInstances by hand): it runs at once and is
    /// tagged only with the given tags. Drift detection uses this.
    /// </summary>
    public string LaunchUnmanagedInstance(string imageId, IReadOnlyDictionary<string, string>? tags = null)
    {
        lock (_gate)
        {
            RequireImage(imageId);
            var instance = new SimInstance($"i-{NextHex(17)}", null, imageId, null, 0, Now) { Lifecycle = AwsStates.InService };
            _instances.Add(instance.Id, instance);
            _unmanagedTags[instance.Id] = tags ?? new Dictionary<string, string>();
            Changed("Instance", instance.Id, $"launched outside any group from {imageId}");
            return instance.Id;
        }
    }

    /// <summary>Sets a launch template's default version (ModifyLaunchTemplate), e.g. to create drift between
    /// running instances and what their group would launch now.</summary>
    public void SetDefaultLaunchTemplateVersion(string launchTemplateId, long version)
    {
        lock (_gate)
        {
            var template = RequireTemplate(launchTemplateId);
            if (template.Resolve(version.ToString(CultureInfo.InvariantCulture)) is null)
            {
                throw new ArgumentException($"Launch template {launchTemplateId} has no version {version}.", nameof(version));
            }

            template.DefaultVersion = version;
            Changed("LaunchTemplate", launchTemplateId, $"default version {version}");
        }
    }

    /// <summary>Per-colour capacity, health and traffic of one application's fleet, now.</summary>
    public FleetObservation ObserveFleet(FleetTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        lock (_gate)
        {
            if (!_listeners.TryGetValue(topology.ListenerArn, out var weights))
            {
                throw new ArgumentException($"No listener '{topology.ListenerArn}'.", nameof(topology));
            }

            ColourObservation Of(ColourResources resources)
            {
                var group = _groups[resources.AutoScalingGroupName];
                var targets = _targetGroups[resources.TargetGroupArn].Targets;
                var template = _templates[group.LaunchTemplateId];
                var version = template.Resolve(group.LaunchTemplateVersion);
                return new ColourObservation(
                    weights.Find(w => w.TargetGroupArn == resources.TargetGroupArn)?.Weight ?? 0,
                    group.MinSize,
                    group.MaxSize,
                    group.DesiredCapacity,
                    group.Instances.Count(i => i.Lifecycle == AwsStates.Pending),
                    group.Instances.Count(i => i.Lifecycle == AwsStates.InService),
                    group.Instances.Count(i => i.Lifecycle == AwsStates.Terminating),
                    targets.Count(t => t.State == AwsStates.TargetHealthy),
                    targets.Count(t => t.State == AwsStates.TargetDraining),
                    version?.ToString(CultureInfo.InvariantCulture) ?? group.LaunchTemplateVersion,
                    version is { } v ? template.ImageOf(v) : null);
            }

            return new FleetObservation(Now, Of(topology.Blue), Of(topology.Green));
        }
    }

    /// <summary>The lock record as stored, whether or not it has expired.</summary>
    public DeploymentLockRecord? PeekLock(string application)
    {
        lock (_gate)
        {
            return _locks.GetValueOrDefault(application);
        }
    }

    public IReadOnlyList<DeploymentRecord> LedgerEntries(string application)
    {
        lock (_gate)
        {
            return [.. _ledger.Values.Where(r => r.Application == application).OrderByDescending(r => r.StartedAt)];
        }
    }

    public string? ImageOfLaunchTemplateVersion(string launchTemplateId, long version)
    {
        lock (_gate)
        {
            return _templates.TryGetValue(launchTemplateId, out var t) && t.Resolve(version.ToString(CultureInfo.InvariantCulture)) is { } v
                ? t.ImageOf(v)
                : null;
        }
    }

    public IReadOnlyList<long> LaunchTemplateVersions(string launchTemplateId)
    {
        lock (_gate)
        {
            return [.. RequireTemplate(launchTemplateId).Versions.Select(v => v.Version)];
        }
    }

    // ---- operations used by the port adapters (all under the lock) ----

    internal void Throttle(string operation)
    {
        lock (_gate)
        {
            if (Faults.ThrottleRate <= 0)
            {
                return;
            }

            if (_callsUntilThrottling > 0)
            {
                _callsUntilThrottling--;
                return;
            }

#pragma warning disable CA5394 // Reproducible fault draws, not security.
            var throttled = _random.NextDouble() < Faults.ThrottleRate;
#pragma warning restore CA5394
            if (throttled)
            {
                ThrottledCalls++;
                _callsUntilThrottling = Faults.CallsAfterThrottle;
                throw new TransientFailure($"Throttling: Rate exceeded for {operation} (simulated fault, {Faults.ThrottleRate:P0} of calls).");
            }
        }
    }

    internal AutoScalingGroup? DescribeGroup(string name)
    {
        lock (_gate)
        {
            if (!_groups.TryGetValue(name, out var group))
            {
                return null;
            }

            return new AutoScalingGroup(
                group.Name,
                group.MinSize,
                group.MaxSize,
                group.DesiredCapacity,
                new LaunchTemplateSpecification(group.LaunchTemplateId, group.LaunchTemplateVersion),
                [.. group.Instances.Select(i => new AutoScalingInstance(
                    i.Id,
                    i.Lifecycle,
                    i.Health,
                    new LaunchTemplateSpecification(i.LaunchTemplateId!, i.LaunchTemplateVersion.ToString(CultureInfo.InvariantCulture))))],
                [.. group.TargetGroupArns],
                (int)group.GracePeriod.TotalSeconds,
                group.SuspendedProcesses.Count == 0 ? null : [.. group.SuspendedProcesses.Order(StringComparer.Ordinal)]);
        }
    }

    internal void SetProcesses(string groupName, IReadOnlyList<string> processes, bool suspended)
    {
        lock (_gate)
        {
            var group = RequireGroup(groupName);
            foreach (var process in processes)
            {
                var changed = suspended ? group.SuspendedProcesses.Add(process) : group.SuspendedProcesses.Remove(process);
                if (changed)
                {
                    Changed("AutoScalingGroup", groupName, $"{process} {(suspended ? "suspended" : "resumed")}");
                }
            }
        }
    }

    internal IReadOnlyList<ScalingActivity> DescribeActivities(string groupName, int maxRecords)
    {
        lock (_gate)
        {
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
            group.DesiredCapacity = desired;
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

            group.DesiredCapacity = desired;
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

            BeginTerminate(instance, "TerminateInstanceInAutoScalingGroup");
            Reconcile(group);
        }
    }

    internal ImageDescription? DescribeImage(string imageId)
    {
        lock (_gate)
        {
            return _images.TryGetValue(imageId, out var image)
                ? new ImageDescription(image.ImageId, "available", image.Name, image.Tags)
                : null;
        }
    }

    internal LaunchTemplateVersion CreateTemplateVersion(string launchTemplateId, string sourceVersion, string imageId, string clientToken)
    {
        lock (_gate)
        {
            var template = RequireTemplate(launchTemplateId);
            var existing = template.Versions.FindIndex(v => v.ClientToken == clientToken);
            if (existing >= 0)
            {
                var previous = template.Versions[existing];
                if (previous.ImageId != imageId)
                {
                    throw new SimulatedServiceException(
                        "IdempotentParameterMismatch",
                        $"Client token '{clientToken}' was used for version {previous.Version} with image {previous.ImageId}, not {imageId}.");
                }

                return new LaunchTemplateVersion(launchTemplateId, previous.Version, previous.ImageId);
            }

            if (template.Resolve(sourceVersion) is null)
            {
                throw new SimulatedServiceException("InvalidLaunchTemplateId.VersionNotFound", $"Launch template {launchTemplateId} has no version '{sourceVersion}'.");
            }

            if (!IsImageIdShape(imageId))
            {
                throw new SimulatedServiceException("InvalidAMIID.Malformed", $"Invalid id: \"{imageId}\"");
            }

            var number = template.Versions[^1].Version + 1;
            template.Versions.Add((number, imageId, clientToken));
            Changed("LaunchTemplate", launchTemplateId, $"version {number} with {imageId}");
            return new LaunchTemplateVersion(launchTemplateId, number, imageId);
        }
    }

    internal LaunchTemplateVersion? DescribeTemplateVersion(string launchTemplateId, string version)
    {
        lock (_gate)
        {
            if (!_templates.TryGetValue(launchTemplateId, out var template) || template.Resolve(version) is not { } number)
            {
                return null;
            }

            return new LaunchTemplateVersion(launchTemplateId, number, template.ImageOf(number));
        }
    }

    internal IReadOnlyList<InstanceDescription> DescribeInstances(IReadOnlyList<string> instanceIds)
    {
        lock (_gate)
        {
            var result = new List<InstanceDescription>();
            foreach (var id in instanceIds)
            {
                if (!_instances.TryGetValue(id, out var instance))
                {
                    throw new SimulatedServiceException("InvalidInstanceID.NotFound", $"The instance ID '{id}' does not exist");
                }

                var tags = instance.GroupName is { } group
                    ? new Dictionary<string, string>(StringComparer.Ordinal) { ["aws:autoscaling:groupName"] = group }
                    : _unmanagedTags.GetValueOrDefault(instance.Id) ?? new Dictionary<string, string>();
                result.Add(new InstanceDescription(instance.Id, instance.ImageId, instance.Ec2State, tags));
            }

            return result;
        }
    }

    internal IReadOnlyList<TargetGroupWeight> DescribeListener(string listenerArn)
    {
        lock (_gate)
        {
            return _listeners.TryGetValue(listenerArn, out var weights)
                ? [.. weights]
                : throw new SimulatedServiceException("ListenerNotFound", $"One or more listeners not found: '{listenerArn}'");
        }
    }

    internal void ModifyListener(string listenerArn, IReadOnlyList<TargetGroupWeight> weights)
    {
        lock (_gate)
        {
            if (!_listeners.TryGetValue(listenerArn, out var current))
            {
                throw new SimulatedServiceException("ListenerNotFound", $"One or more listeners not found: '{listenerArn}'");
            }

            if (weights.Count is 0 or > 5)
            {
                throw new SimulatedServiceException("ValidationError", $"A weighted forward action needs 1 to 5 target groups, not {weights.Count}.");
            }

            foreach (var weight in weights)
            {
                if (!_targetGroups.ContainsKey(weight.TargetGroupArn))
                {
                    throw new SimulatedServiceException("TargetGroupNotFound", $"One or more target groups not found: '{weight.TargetGroupArn}'");
                }

                if (weight.Weight is < 0 or > 999)
                {
                    throw new SimulatedServiceException("ValidationError", $"Target group weight {weight.Weight} must be between 0 and 999.");
                }
            }

            if (weights.Select(w => w.TargetGroupArn).Distinct(StringComparer.Ordinal).Count() != weights.Count)
            {
                throw new SimulatedServiceException("ValidationError", "A target group can appear only once in a forward action.");
            }

            var newlyServing = weights.Any(w => w.Weight > 0 && (current.Find(c => c.TargetGroupArn == w.TargetGroupArn)?.Weight ?? 0) == 0);
            current.Clear();
            current.AddRange(weights);
            Changed("Listener", listenerArn, string.Join(", ", weights.Select(w => $"{ShortTargetGroup(w.TargetGroupArn)}={w.Weight}")));

            if (newlyServing && Faults.AlarmAfterSwap is { } delay && !_alarmAfterSwapArmed
                && _topologies.Values.FirstOrDefault(t => t.ListenerArn == listenerArn) is { AlarmNames.Count: > 0 } topology)
            {
                _alarmAfterSwapArmed = true;
                var alarm = topology.AlarmNames[0];
                At(Now + delay, () =>
                {
                    _alarms[alarm] = new AlarmDescription(alarm, AwsStates.AlarmAlarm, "Threshold Crossed: 3 datapoints were greater than the threshold (5.0) (simulated fault)", Now);
                    Changed("Alarm", alarm, "ALARM after the swap (simulated fault)");
                });
            }
        }
    }

    internal IReadOnlyList<TargetHealthDescription> DescribeTargets(string targetGroupArn)
    {
        lock (_gate)
        {
            return _targetGroups.TryGetValue(targetGroupArn, out var group)
                ? [.. group.Targets.Select(t => new TargetHealthDescription(t.InstanceId, t.State, t.Reason))]
                : throw new SimulatedServiceException("TargetGroupNotFound", $"One or more target groups not found: '{targetGroupArn}'");
        }
    }

    internal IReadOnlyList<AlarmDescription> DescribeAlarms(IReadOnlyList<string> names)
    {
        lock (_gate)
        {
            // DescribeAlarms silently omits names that do not exist, as CloudWatch does.
            return [.. names.Where(_alarms.ContainsKey).Select(n => _alarms[n])];
        }
    }

    internal string StartBake(BakeRequest request)
    {
        lock (_gate)
        {
            if (!_bakeProjects.Contains(request.ProjectName))
            {
                throw new SimulatedServiceException("ResourceNotFoundException", $"Project cannot be found: {request.ProjectName}");
            }

            if (_bakes.Values.FirstOrDefault(b => b.Request.IdempotencyToken == request.IdempotencyToken) is { } existing)
            {
                return existing.BakeId;
            }

            var bake = new SimBake($"{request.ProjectName}:{Guid.CreateVersion7(Now):D}", request, Now, Now + Timings.Bake);
            _bakes.Add(bake.BakeId, bake);
            Changed("Bake", bake.BakeId, $"started for {request.Application} at {request.Commit ?? "HEAD"}");
            At(bake.FinishesAt, () =>
            {
                if (Faults.BakeFailureReason is { } reason)
                {
                    bake.State = BakeState.Failed;
                    bake.Reason = reason;
                    Changed("Bake", bake.BakeId, $"failed: {reason}");
                    return;
                }

                var imageId = $"ami-{NextHex(17)}";
                AddImage(imageId, $"{request.Application}-{request.Commit ?? "build"}", healthy: !Faults.BakedImagesUnhealthy, boot: null);
                bake.State = BakeState.Succeeded;
                bake.ImageId = imageId;
                Changed("Bake", bake.BakeId, $"succeeded: {imageId}");
            });
            return bake.BakeId;
        }
    }

    internal BakeStatus GetBake(string bakeId)
    {
        lock (_gate)
        {
            return _bakes.TryGetValue(bakeId, out var bake)
                ? new BakeStatus(bake.BakeId, bake.State, bake.ImageId, bake.Reason)
                : throw new SimulatedServiceException("InvalidInputException", $"Build not found: {bakeId}");
        }
    }

    internal LockAttempt TryAcquireLock(string application, string owner, DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            // The DynamoDB condition: attribute_not_exists(pk) OR expiresAt < :now OR owner = :owner.
            if (_locks.TryGetValue(application, out var held) && held.ExpiresAt > Now && held.Owner != owner)
            {
                return new LockAttempt(false, held);
            }

            var record = held is not null && held.Owner == owner
                ? held with { ExpiresAt = expiresAt }
                : new DeploymentLockRecord(application, owner, Now, expiresAt);
            _locks[application] = record;
            Changed("Lock", application, $"held by {owner} until {expiresAt:O}");
            return new LockAttempt(true, record);
        }
    }

    internal bool ReleaseLock(string application, string owner)
    {
        lock (_gate)
        {
            if (!_locks.TryGetValue(application, out var held) || held.Owner != owner)
            {
                return false;
            }

            _locks.Remove(application);
            Changed("Lock", application, $"released by {owner}");
            return true;
        }
    }

    internal DeploymentLockRecord? GetLock(string application)
    {
        lock (_gate)
        {
            // An expired lock reads as absent: a GetItem plus the same expiry test the conditional write makes.
            return _locks.TryGetValue(application, out var held) && held.ExpiresAt > Now ? held : null;
        }
    }

    internal void PutLedger(DeploymentRecord record)
    {
        lock (_gate)
        {
            _ledger[(record.Application, record.DeploymentId)] = record;
            Changed("Ledger", record.Application, $"{record.DeploymentId} {record.Result}");
        }
    }

    internal DeploymentRecord? GetLedger(string application, string deploymentId)
    {
        lock (_gate)
        {
            return _ledger.GetValueOrDefault((application, deploymentId));
        }
    }

    internal void Publish(string topicArn, IReadOnlyList<OutgoingMessage> messages)
    {
        lock (_gate)
        {
            if (!topicArn.StartsWith($"arn:aws:sns:{RegionName}:", StringComparison.Ordinal))
            {
                throw new SimulatedServiceException("NotFound", $"Topic does not exist: {topicArn}");
            }

            if (messages.Count is 0 or > 10)
            {
                throw new SimulatedServiceException("TooManyEntriesInBatchRequest", $"A batch holds 1 to 10 messages, not {messages.Count}.");
            }

            if (messages.Select(m => m.Id).Distinct(StringComparer.Ordinal).Count() != messages.Count)
            {
                throw new SimulatedServiceException("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
            }

            if (messages.FirstOrDefault(m => m.Subject is { Length: > 100 }) is { } longSubject)
            {
                throw new SimulatedServiceException("InvalidParameter", $"Subject of message '{longSubject.Id}' is longer than 100 characters.");
            }

            foreach (var message in messages)
            {
                _published.Add(new PublishedMessage(Now, topicArn, message.Id, message.Subject, message.Message));
                Changed("Notification", topicArn, message.Subject ?? message.Id);
            }
        }
    }

    internal FleetTopology? GetTopology(string application)
    {
        lock (_gate)
        {
            return _topologies.GetValueOrDefault(application);
        }
    }

    // ---- the model ----

    private void Reconcile(SimGroup group)
    {
        var active = group.Instances.Where(i => i.Lifecycle is AwsStates.Pending or AwsStates.InService).ToList();
        if (active.Count < group.DesiredCapacity)
        {
            for (var n = active.Count; n < group.DesiredCapacity; n++)
            {
                if (!Launch(group))
                {
                    break;
                }
            }
        }
        else if (active.Count > group.DesiredCapacity)
        {
            // Default termination policy, simplified to one Availability Zone: unhealthy first, then instances from an
            // older launch template version, then the oldest.
            var template = _templates[group.LaunchTemplateId];
            var current = template.Resolve(group.LaunchTemplateVersion);
            var victims = active
                .OrderBy(i => i.Health == AwsStates.Unhealthy ? 0 : 1)
                .ThenBy(i => i.LaunchTemplateId == group.LaunchTemplateId && i.LaunchTemplateVersion == current ? 1 : 0)
                .ThenBy(i => i.LaunchedAt)
                .Take(active.Count - group.DesiredCapacity)
                .ToList();
            foreach (var victim in victims)
            {
                BeginTerminate(victim, "scale-in");
            }
        }
    }

    private bool Launch(SimGroup group)
    {
        var template = _templates[group.LaunchTemplateId];
        var version = template.Resolve(group.LaunchTemplateVersion)!.Value;
        var imageId = template.ImageOf(version);
        if (!_images.TryGetValue(imageId, out var image))
        {
            // The scaling activity fails (InvalidAMIID.NotFound) and Auto Scaling tries again later.
            if (!group.LaunchRetryScheduled)
            {
                group.LaunchRetryScheduled = true;
                Changed("AutoScalingGroup", group.Name, $"launch failed: image {imageId} not found; retrying in 60 s");
                At(Now + TimeSpan.FromSeconds(60), () =>
                {
                    group.LaunchRetryScheduled = false;
                    Reconcile(group);
                });
            }

            return false;
        }

        var instance = new SimInstance($"i-{NextHex(17)}", group.Name, imageId, template.Id, version, Now);
        _instances.Add(instance.Id, instance);
        group.Instances.Add(instance);
        Changed("Instance", instance.Id, $"Pending in {group.Name} from {imageId} (template version {version})");
        At(Now + Timings.InstanceLaunch, () =>
        {
            if (instance.Lifecycle != AwsStates.Pending)
            {
                return;
            }

            instance.Lifecycle = AwsStates.InService;
            instance.ReadyAt = image.Healthy ? Now + (image.Boot ?? Timings.ApplicationBoot) : null;
            Changed("Instance", instance.Id, $"InService in {group.Name}");
            foreach (var arn in group.TargetGroupArns)
            {
                Register(_targetGroups[arn], instance, group);
            }
        });
        return true;
    }

    private void LaunchAlreadyServing(SimGroup group)
    {
        var template = _templates[group.LaunchTemplateId];
        var version = template.Resolve(group.LaunchTemplateVersion)!.Value;
        var instance = new SimInstance($"i-{NextHex(17)}", group.Name, template.ImageOf(version), template.Id, version, Now - TimeSpan.FromDays(1))
        {
            Lifecycle = AwsStates.InService,
            ReadyAt = Now - TimeSpan.FromDays(1),
        };
        _instances.Add(instance.Id, instance);
        group.Instances.Add(instance);
        foreach (var arn in group.TargetGroupArns)
        {
            _targetGroups[arn].Targets.Add(new SimTarget(instance.Id, instance.LaunchedAt) { State = AwsStates.TargetHealthy, Reason = null });
        }
    }

    /// <summary>
    /// Health checks run every interval after registration. A target turns healthy on the HealthyThreshold-th
    /// consecutive passing check, and unhealthy once UnhealthyThreshold consecutive checks have failed (each failure is
    /// known only after the check's timeout). Both instants are computed here, so only two timers exist per target.
    /// </summary>
    private void Register(SimTargetGroup targetGroup, SimInstance instance, SimGroup group)
    {
        var target = new SimTarget(instance.Id, Now);
        targetGroup.Targets.Add(target);
        Changed("Target", instance.Id, $"registered in {ShortTargetGroup(targetGroup.Arn)} (initial)");
        var interval = Timings.HealthCheckInterval;
        var failingChecksBeforeReady = int.MaxValue;
        if (instance.ReadyAt is { } ready)
        {
            var firstPassing = Math.Max(1, (int)Math.Ceiling((ready - target.RegisteredAt) / interval));
            failingChecksBeforeReady = firstPassing - 1;
            var healthyAt = target.RegisteredAt + (interval * (firstPassing + Timings.HealthyThreshold - 1));
            At(healthyAt, () =>
            {
                if (target.State is AwsStates.TargetInitial or AwsStates.TargetUnhealthy && targetGroup.Targets.Contains(target))
                {
                    target.State = AwsStates.TargetHealthy;
                    target.Reason = null;
                    Changed("Target", instance.Id, $"healthy in {ShortTargetGroup(targetGroup.Arn)}");
                }
            });
        }

        if (failingChecksBeforeReady >= Timings.UnhealthyThreshold)
        {
            var unhealthyAt = target.RegisteredAt + (interval * Timings.UnhealthyThreshold) + Timings.HealthCheckTimeout;
            At(unhealthyAt, () =>
            {
                if (target.State != AwsStates.TargetInitial || !targetGroup.Targets.Contains(target))
                {
                    return;
                }

                target.State = AwsStates.TargetUnhealthy;
                target.Reason = "Target.FailedHealthChecks";
                Changed("Target", instance.Id, $"unhealthy in {ShortTargetGroup(targetGroup.Arn)}");

                // ELB health checks on the group: after the grace period an instance whose target is unhealthy is
                // marked Unhealthy and replaced.
                At(Max(Now, instance.LaunchedAt + group.GracePeriod), () =>
                {
                    if (target.State == AwsStates.TargetUnhealthy && instance.Lifecycle == AwsStates.InService && targetGroup.Targets.Contains(target))
                    {
                        instance.Health = AwsStates.Unhealthy;
                        Changed("Instance", instance.Id, "marked Unhealthy by ELB health check; replacing");
                        BeginTerminate(instance, "health check replacement");
                        Reconcile(group);
                    }
                });
            });
        }
    }

    private void BeginTerminate(SimInstance instance, string why)
    {
        if (instance.Lifecycle is AwsStates.Terminating or AwsStates.Terminated)
        {
            return;
        }

        instance.Lifecycle = AwsStates.Terminating;
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

        if (draining && Timings.DeregistrationDelay > TimeSpan.Zero)
        {
            At(Now + Timings.DeregistrationDelay, () => FinishTerminate(instance));
        }
        else
        {
            FinishTerminate(instance);
        }
    }

    private void FinishTerminate(SimInstance instance)
    {
        foreach (var targetGroup in _targetGroups.Values)
        {
            targetGroup.Targets.RemoveAll(t => t.InstanceId == instance.Id);
        }

        instance.Lifecycle = AwsStates.Terminated;
        if (instance.GroupName is { } name)
        {
            _groups[name].Instances.Remove(instance);
        }

        Changed("Instance", instance.Id, "terminated");
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the lock at <paramref name="when"/>. A due instant that is not in the future
    /// runs inline: the caller already holds the lock at the right instant, and a zero-delay timer could fire on another
    /// thread in the middle of the caller's change.
    /// </summary>
    private void At(DateTimeOffset when, Action action)
    {
        var due = when - Now;
        if (due <= TimeSpan.Zero)
        {
            action();
            return;
        }

        var holder = new TimerHolder();
        holder.Timer = Time.CreateTimer(
            _ =>
            {
                lock (_gate)
                {
                    if (holder.Timer is { } timer)
                    {
                        _timers.Remove(timer);
                        timer.Dispose();
                    }

                    action();
                }
            },
            null,
            due,
            Timeout.InfiniteTimeSpan);
        lock (_gate)
        {
            _timers.Add(holder.Timer);
        }
    }

    private void Changed(string kind, string subject, string detail)
    {
        var change = new RegionChange(Now, kind, subject, detail);
        foreach (var observer in _observers)
        {
            observer(change);
        }
    }

    private void AddImage(string id, string name, bool healthy, TimeSpan? boot)
    {
        if (!IsImageIdShape(id))
        {
            throw new ArgumentException($"Image id '{id}' is not of the form ami-<8 or 17 hex digits>.", nameof(id));
        }

        _images[id] = new SimImage(id, name, healthy, boot, new Dictionary<string, string>(StringComparer.Ordinal) { ["Name"] = name });
        Changed("Image", id, healthy ? "available" : "available (never passes health checks)");
    }

    private void RequireImage(string imageId)
    {
        if (!_images.ContainsKey(imageId))
        {
            throw new SimulatedServiceException("InvalidAMIID.NotFound", $"The image id '[{imageId}]' does not exist");
        }
    }

    private SimGroup RequireGroup(string name) =>
        _groups.TryGetValue(name, out var group)
            ? group
            : throw new SimulatedServiceException("ValidationError", $"AutoScalingGroup name not found - AutoScalingGroup '{name}' not found");

    private SimLaunchTemplate RequireTemplate(string id) =>
        _templates.TryGetValue(id, out var template)
            ? template
            : throw new SimulatedServiceException("InvalidLaunchTemplateId.NotFound", $"The specified launch template, with template ID {id}, does not exist.");

    /// <summary>Ids that look like AWS ids (spread over the hex range) yet are deterministic: a sequence number mixed by
    /// an odd 64-bit constant, a bijection, so ids never collide.</summary>
    private string NextHex(int digits)
    {
        var mixed = unchecked((ulong)++_sequence * 0x9E3779B97F4A7C15UL);
        var hex = mixed.ToString("x16", CultureInfo.InvariantCulture);
        return digits <= 16 ? hex[^digits..] : hex.PadLeft(digits, '0');
    }

    internal static bool IsImageIdShape(string imageId) =>
        imageId.StartsWith("ami-", StringComparison.Ordinal)
        && imageId.Length is 12 or 21
        && !imageId.AsSpan(4).ContainsAnyExcept(HexDigits);

    private static string ShortTargetGroup(string arn) => arn.Split('/') is { Length: >= 2 } parts ? parts[1] : arn;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class TimerHolder
    {
        public ITimer? Timer { get; set; }
    }
}

/// <summary>A fleet to build in the simulated region.</summary>
/// <param name="Capacity">The fleet's capacity (its topology's DefaultCapacity).</param>
/// <param name="InitialCapacity">Instances blue runs at the start; 0 for a first deployment to an empty fleet.</param>
public sealed record FleetSpec(string Application, int Capacity, string ImageId, int InitialCapacity, TimeSpan? HealthCheckGracePeriod = null)
{
    public FleetSpec(string application, int capacity, string imageId)
        : this(application, capacity, imageId, capacity)
    {
    }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Application))
        {
            throw new ArgumentException("Application name is empty.", nameof(Application));
        }

        if (Capacity <= 0)
        {
            throw new ArgumentException($"Capacity {Capacity} must be positive.", nameof(Capacity));
        }

        if (InitialCapacity < 0)
        {
            throw new ArgumentException($"Initial capacity {InitialCapacity} cannot be negative.", nameof(InitialCapacity));
        }

        if (!SimulatedRegion.IsImageIdShape(ImageId))
        {
            throw new ArgumentException($"Image id '{ImageId}' is not of the form ami-<8 or 17 hex digits>.", nameof(ImageId));
        }
    }
}
