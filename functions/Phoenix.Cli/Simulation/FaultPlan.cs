namespace Phoenix.Cli.Simulation;

/// <summary>
/// Faults the simulated region injects and the other actors that change the fleet while Phoenix works on it. Step
/// crashes, Lambda timeouts, aborts, approvals and concurrent deployments belong to the runner (the deployment runner),
/// which drives the workflow; everything here is something AWS itself, or someone else in the account, does. The plan is
/// declarative and every draw comes from <see cref="Seed"/>, so a run replays exactly from the plan.
/// </summary>
public sealed record FaultPlan
{
    /// <summary>Share of port calls (0..1) that fail with a throttling error before doing anything.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>
    /// Share of changing calls (0..1: UpdateAutoScalingGroup, ModifyListener, PutItem, …) whose change is made but whose
    /// response is lost: the caller gets a transient error and must retry without doing the change twice.
    /// </summary>
    public double LostResponseRate { get; init; }

    /// <summary>
    /// After a throttled call or a lost response this many calls pass unharmed, as a token bucket refills while the
    /// caller backs off: a retried step then gets through, so the fault tests that retries happen, not that AWS is down.
    /// </summary>
    public int CallsAfterThrottle { get; init; } = 10;

    /// <summary>
    /// Eventual consistency: half the Describe calls (Auto Scaling groups, target health, listeners, rules) answer with
    /// the state of a moment drawn between this long ago and now; the others are up to date.
    /// </summary>
    public TimeSpan DescribeLag { get; init; }

    /// <summary>Seeds every draw (throttling, lost responses, describe lag) so a run is reproducible.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>When set, every bake fails with this reason (e.g. a Packer provisioner error).</summary>
    public string? BakeFailureReason { get; init; }

    /// <summary>Bakes produce images that never pass health checks.</summary>
    public bool BakedImagesUnhealthy { get; init; }

    /// <summary>
    /// When set, the fleet's first alarm goes to ALARM this long after the listener first sends traffic to a target
    /// group that had none (the swap, or the first canary step).
    /// </summary>
    public TimeSpan? AlarmAfterSwap { get; init; }

    /// <summary>Windows in which launches fail, in one Availability Zone or all of them.</summary>
    public IReadOnlyList<LaunchFailure> LaunchFailures { get; init; } = [];

    /// <summary>Windows in which one API operation fails every call (a regional service event).</summary>
    public IReadOnlyList<ServiceOutage> Outages { get; init; } = [];

    /// <summary>Things other actors do to the fleet at given instants (scaling policies, scheduled actions, failures).</summary>
    public IReadOnlyList<FleetEvent> Events { get; init; } = [];

    public static FaultPlan None { get; } = new();

    internal void Validate()
    {
        if (ThrottleRate is < 0 or > 1 || double.IsNaN(ThrottleRate))
        {
            throw new ArgumentException($"Throttle rate {ThrottleRate} must be between 0 and 1.", nameof(FaultPlan));
        }

        if (LostResponseRate is < 0 or > 1 || double.IsNaN(LostResponseRate))
        {
            throw new ArgumentException($"Lost-response rate {LostResponseRate} must be between 0 and 1.", nameof(FaultPlan));
        }

        if (CallsAfterThrottle < 0)
        {
            throw new ArgumentException($"CallsAfterThrottle {CallsAfterThrottle} cannot be negative.", nameof(FaultPlan));
        }

        if (DescribeLag < TimeSpan.Zero)
        {
            throw new ArgumentException($"DescribeLag {DescribeLag} cannot be negative.", nameof(FaultPlan));
        }

        if (AlarmAfterSwap < TimeSpan.Zero)
        {
            throw new ArgumentException($"AlarmAfterSwap {AlarmAfterSwap} cannot be negative.", nameof(FaultPlan));
        }

        foreach (var failure in LaunchFailures)
        {
            failure.Validate();
        }

        foreach (var e in Events)
        {
            e.Validate();
        }

        foreach (var outage in Outages)
        {
            outage.Validate();
        }
    }
}

/// <summary>
/// Every call of <see cref="Operation"/> (the API's name: ModifyListener, UpdateAutoScalingGroup, …) fails with
/// ServiceUnavailable from <see cref="From"/> until <see cref="Until"/> (since the fault plan's epoch; null: for good).
/// </summary>
public sealed record ServiceOutage(string Operation, TimeSpan From, TimeSpan? Until = null)
{
    public bool Covers(string operation, TimeSpan sinceStart) =>
        operation == Operation && sinceStart >= From && (Until is null || sinceStart < Until);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Operation) || From < TimeSpan.Zero || Until < From)
        {
            throw new ArgumentException($"Outage of '{Operation}' from {From} until {Until} needs an operation name and a window starting at or after 0.", nameof(FaultPlan));
        }
    }
}

/// <summary>Why EC2 refused a launch; each maps to the StatusMessage Auto Scaling records for it.</summary>
public enum LaunchFailureKind
{
    /// <summary>InsufficientInstanceCapacity in that Availability Zone: the group tries its other zones.</summary>
    InsufficientCapacity,

    /// <summary>The launch template's encrypted volume uses a KMS key the service-linked role may not use: every zone fails.</summary>
    KmsKeyNotUsable,
}

/// <summary>
/// Launches of every group fail from <see cref="From"/> until <see cref="Until"/> (both since the fault plan's epoch, the deployment's start;
/// null Until: for good) in <see cref="Zone"/> (null: every zone).
/// </summary>
public sealed record LaunchFailure(LaunchFailureKind Kind, string? Zone, TimeSpan From, TimeSpan? Until = null)
{
    public bool Covers(string zone, TimeSpan sinceStart) =>
        (Zone is null || Zone == zone) && sinceStart >= From && (Until is null || sinceStart < Until);

    internal void Validate()
    {
        if (From < TimeSpan.Zero || Until < From)
        {
            throw new ArgumentException($"Launch failure window {From}..{Until} must start at or after 0 and not end before it starts.", nameof(FaultPlan));
        }

        if (Zone is not null && !SimulatedRegion.Zones.Contains(Zone))
        {
            throw new ArgumentException($"Launch failure zone '{Zone}' is not one of {string.Join(", ", SimulatedRegion.Zones)}.", nameof(FaultPlan));
        }
    }
}

/// <summary>Which colour an event acts on, decided when it happens from the listener's weights.</summary>
public enum FleetRole
{
    /// <summary>The colour with the larger weight in the listener's default action (blue on a tie).</summary>
    Live,

    /// <summary>The other colour.</summary>
    Idle,
}

/// <summary>Something another actor does to the fleet <see cref="At"/> (since the fault plan's epoch, the deployment's start).</summary>
public abstract record FleetEvent(TimeSpan At, FleetRole Target)
{
    internal virtual void Validate()
    {
        if (At < TimeSpan.Zero)
        {
            throw new ArgumentException($"Event time {At} cannot be negative.", nameof(FaultPlan));
        }
    }
}

/// <summary>Where a change of desired capacity comes from; decides which suspended process stops it.</summary>
public enum CapacitySource
{
    /// <summary>A scheduled action: does not run while ScheduledActions is suspended (and is skipped, not deferred).</summary>
    ScheduledAction,

    /// <summary>A scaling policy driven by a CloudWatch alarm: does not run while AlarmNotification is suspended.</summary>
    ScalingPolicy,
}

/// <summary>Desired capacity moves by <see cref="Delta"/>, kept within the group's min and max as Auto Scaling does.</summary>
public sealed record CapacityChange(TimeSpan At, FleetRole Target, int Delta, CapacitySource Source) : FleetEvent(At, Target)
{
    internal override void Validate()
    {
        base.Validate();
        if (Delta == 0)
        {
            throw new ArgumentException("A capacity change of 0 changes nothing.", nameof(FaultPlan));
        }
    }
}

/// <summary>
/// <see cref="Count"/> instances of the colour that are in service and healthy stop answering their health checks
/// (a crashed process, a full disk): the target group marks them unhealthy and the group replaces them.
/// </summary>
public sealed record InstanceFailure(TimeSpan At, FleetRole Target, int Count = 1) : FleetEvent(At, Target)
{
    internal override void Validate()
    {
        base.Validate();
        if (Count <= 0)
        {
            throw new ArgumentException($"Instance failure count {Count} must be positive.", nameof(FaultPlan));
        }
    }
}
