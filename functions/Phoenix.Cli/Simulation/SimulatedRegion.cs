using System.Buffers;
using System.Globalization;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

/// <summary>
/// An in-memory AWS region for Phoenix: Auto Scaling groups over two Availability Zones with launch templates, images
/// and scaling activities, target groups and a listener with its rules, alarms, an image baker, the lock table, the
/// ledger, SNS and the topology parameters, all on one <see cref="TimeProvider"/>. Every delayed change (an instance
/// reaching InService, a target passing its health checks, a draining target leaving, another actor's scaling) is a
/// timer on that clock, so on a virtual clock the timeline is exact: each change happens at the instant the timing
/// model says, and observers see every one of them. One partial file per service; this one holds the clock plumbing,
/// the fleet builder and what tests and the report observe.
/// </summary>
public sealed partial class SimulatedRegion
{
    public const string AccountId = "000000000000";
    public const string RegionName = "us-east-1";

    /// <summary>The Availability Zones every group spans, as the fleet stack's two private subnets do.</summary>
    public static readonly IReadOnlyList<string> Zones = ["us-east-1a", "us-east-1b"];

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    private readonly Lock _gate = new();
    private readonly HashSet<ITimer> _timers = [];
    private readonly List<Action<RegionChange>> _observers = [];
    private readonly Dictionary<string, FleetTopology> _topologies = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Application, Colour Colour), string> _colourImages = [];
    private readonly Random _random;
    private readonly DateTimeOffset _epoch;
    private long _sequence;

    /// <param name="epoch">The instant the fault plan's times count from (default: now).</param>
    public SimulatedRegion(TimeProvider time, SimulationTimings? timings = null, FaultPlan? faults = null, DateTimeOffset? epoch = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        Timings = timings ?? SimulationTimings.Default;
        Timings.Validate();
        Faults = faults ?? FaultPlan.None;
        Faults.Validate();
#pragma warning disable CA5394 // Fault draws only need to be reproducible, not unpredictable.
        _random = new Random(Faults.Seed);
#pragma warning restore CA5394
        _epoch = epoch ?? time.GetUtcNow();
        AutoScaling = new SimulatedAutoScaling(this);
        Ec2 = new SimulatedEc2(this);
        LoadBalancer = new SimulatedLoadBalancer(this);
        Alarms = new SimulatedAlarms(this);
        Baker = new SimulatedImageBaker(this);
        Locks = new SimulatedLockTable(this);
        Ledger = new SimulatedLedger(this);
        Notifier = new SimulatedNotifier(this);
        Topology = new SimulatedTopologyStore(this);
        ScheduleFaults();
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
    /// Builds a blue/green fleet the way the fleet stack does: one launch template, Auto Scaling group (over
    /// <see cref="Zones"/>) and target group per colour, a listener forwarding 100% to blue (with whatever else
    /// <see cref="FleetSpec.Listener"/> asks for), the application's alarms (OK), its topology parameter and a bake
    /// project. Blue starts with <see cref="FleetSpec.InitialCapacity"/> instances already in service and healthy,
    /// spread over the zones; green is empty.
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
                var targetGroupArn = AddTargetGroup(TargetGroupSettingsFor($"{spec.Application}-{wire}"));
                var group = new SimGroup($"phoenix-{spec.Application}-{wire}", template.Id, "1", [targetGroupArn], gracePeriod, Zones)
                {
                    MaxSize = Math.Max(spec.Capacity, spec.InitialCapacity) * 2,
                };
                _groups.Add(group.Name, group);
                return new ColourResources(group.Name, targetGroupArn, template.Id);
            }

            var blue = Build(Colour.Blue);
            var green = Build(Colour.Green);
            var listenerArn = $"arn:aws:elasticloadbalancing:{RegionName}:{AccountId}:listener/app/{spec.Application}/{NextHex(16)}/{NextHex(16)}";
            CreateListener(listenerArn, spec.Application, blue.TargetGroupArn, green.TargetGroupArn, spec.Listener ?? ListenerSpec.Plain);
            var alarmNames = new[] { $"{spec.Application}-target-5xx", $"{spec.Application}-p99-latency" };
            foreach (var alarm in alarmNames)
            {
                _alarms[alarm] = new AlarmDescription(alarm, AwsStates.AlarmOk, "Threshold Crossed: no datapoints were breaching", Now);
            }

            // No bake source: as the Phoenix stacks without a repository to bake from, no bake project at all.
            string? bakeProject = null;
            if (spec.BakeSourceType is { } sourceType)
            {
                bakeProject = $"phoenix-bake-{spec.Application}";
                _bakeProjects.Add(bakeProject, sourceType);
            }

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
            // As the fleet stack does: each colour's image parameter starts at the image the fleet starts from.
            _colourImages[(spec.Application, Colour.Blue)] = spec.ImageId;
            _colourImages[(spec.Application, Colour.Green)] = spec.ImageId;

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

    /// <summary>Per-colour capacity, health and traffic of one application's fleet, now.</summary>
    public FleetObservation ObserveFleet(FleetTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        lock (_gate)
        {
            if (!_listeners.TryGetValue(topology.ListenerArn, out var listener))
            {
                throw new ArgumentException($"No listener '{topology.ListenerArn}'.", nameof(topology));
            }

            ColourObservation Of(ColourResources resources)
            {
                var group = _groups[resources.AutoScalingGroupName];
                var targetGroup = _targetGroups[resources.TargetGroupArn];
                var template = _templates[group.LaunchTemplateId];
                var version = template.Resolve(group.LaunchTemplateVersion);
                var healthy = targetGroup.HealthyCount;
                // What the invariant may credit, each bounded by what is actually missing.
                var shortfall = Math.Max(0, group.DesiredCapacity - healthy);
                var deficit = Math.Min(group.ExternalDeficit + group.OwnGrowth, shortfall);
                var growth = Math.Min(group.ExternalGrowth, shortfall - deficit);
                var unseen = Faults.DescribeLag > TimeSpan.Zero
                    ? Math.Min(Math.Min(group.ExternalDeficit, shortfall), group.LossTimes.Count(t => t > Now - Faults.DescribeLag && t <= Now))
                    : 0;
                return new ColourObservation(
                    WeightOf(listener.DefaultActions, resources.TargetGroupArn),
                    group.MinSize,
                    group.MaxSize,
                    group.DesiredCapacity,
                    group.PendingCount,
                    group.InServiceCount,
                    group.TerminatingCount,
                    healthy,
                    targetGroup.DrainingCount,
                    version?.ToString(CultureInfo.InvariantCulture) ?? group.LaunchTemplateVersion,
                    version is { } v ? template.ImageOf(v) : null,
                    listener.Rules.Sum(r => WeightOf(r.Actions, resources.TargetGroupArn)),
                    deficit,
                    growth,
                    group.ScaledInByOthers,
                    unseen);
            }

            return new FleetObservation(Now, Of(topology.Blue), Of(topology.Green));
        }
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
        RecordSnapshot();
        var change = new RegionChange(Now, kind, subject, detail);
        foreach (var observer in _observers)
        {
            observer(change);
        }
    }

    /// <summary>Ids that look like AWS ids (spread over the hex range) yet are deterministic: a sequence number mixed by
    /// an odd 64-bit constant, a bijection, so ids never collide.</summary>
    private string NextHex(int digits)
    {
        var mixed = unchecked((ulong)++_sequence * 0x9E3779B97F4A7C15UL);
        var hex = mixed.ToString("x16", CultureInfo.InvariantCulture);
        return digits <= 16 ? hex[^digits..] : hex.PadLeft(digits, '0');
    }

    private string TargetGroupArn(string name) => $"arn:aws:elasticloadbalancing:{RegionName}:{AccountId}:targetgroup/{name}/{NextHex(16)}";

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
/// <param name="Listener">What the listener has besides the weighted forward Phoenix owns; null: nothing.</param>
/// <param name="BakeSourceType">
/// The source type of the fleet's bake project (CodeBuild's): GITHUB, as the Phoenix stacks make it with a repository to
/// bake from; S3, as stacks before them made it without one; null, no bake project (every deployment names its image).
/// </param>
public sealed record FleetSpec(
    string Application, int Capacity, string ImageId, int InitialCapacity, TimeSpan? HealthCheckGracePeriod = null, ListenerSpec? Listener = null,
    string? BakeSourceType = "GITHUB")
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

        Listener?.Validate();
    }
}

/// <summary>
/// The parts of a listener Phoenix does not own. <see cref="OidcConfiguration"/>: an authenticate-oidc action before
/// the forward (its configuration, opaque to Phoenix, stored and returned verbatim). <see cref="StickinessSeconds"/>:
/// target-group stickiness on the forward. <see cref="Rules"/>: three rules besides the default one, one forwarding to
/// the live colour behind the same authentication, one to a target group Phoenix does not own, one fixed response.
/// </summary>
public sealed record ListenerSpec(string? OidcConfiguration = null, int? StickinessSeconds = null, bool Rules = false)
{
    public const string ExampleOidc =
        "{\"Issuer\":\"https://login.acme.example\",\"AuthorizationEndpoint\":\"https://login.acme.example/authorize\","
        + "\"TokenEndpoint\":\"https://login.acme.example/token\",\"UserInfoEndpoint\":\"https://login.acme.example/userinfo\","
        + "\"ClientId\":\"phoenix-web\",\"SessionCookieName\":\"AWSELBAuthSessionCookie\",\"Scope\":\"openid\","
        + "\"SessionTimeout\":604800,\"OnUnauthenticatedRequest\":\"authenticate\"}";

    public static ListenerSpec Plain { get; } = new();

    /// <summary>Authentication, one-hour stickiness and the three rules.</summary>
    public static ListenerSpec Full { get; } = new(ExampleOidc, 3600, Rules: true);

    internal void Validate()
    {
        if (StickinessSeconds is < 1 or > 604_800)
        {
            throw new ArgumentException($"Stickiness duration {StickinessSeconds} s must be 1 to 604800 seconds (7 days).", nameof(StickinessSeconds));
        }
    }
}
