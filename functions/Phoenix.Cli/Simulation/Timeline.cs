using Phoenix.Core.Domain;

namespace Phoenix.Cli.Simulation;

/// <summary>
/// What the safety invariant looks at for one colour: its weight in the listener's default action and in its other
/// rules, its desired capacity, in-service instances, healthy targets, and the healthy capacity something outside
/// Phoenix took away and the group is still replacing (<see cref="ColourObservation.ExternalDeficit"/>).
/// </summary>
public sealed record ColourState(
    int Weight, int DesiredCapacity, int InService, int HealthyTargets, int RuleWeight = 0, int ExternalDeficit = 0, int ExternalGrowth = 0,
    bool ScaledInByOthers = false, int UnseenLosses = 0)
{
    public int Traffic => Weight + RuleWeight;

    public static ColourState From(ColourObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new ColourState(
            observation.Weight, observation.DesiredCapacity, observation.InService, observation.HealthyTargets, observation.RuleWeight, observation.ExternalDeficit, observation.ExternalGrowth,
            observation.ScaledInByOthers, observation.UnseenLosses);
    }
}

/// <summary>The fleet right after one change in the region; <see cref="Cause"/> is that change.</summary>
public sealed record TimelinePoint(DateTimeOffset At, RegionChange Cause, ColourState Blue, ColourState Green)
{
    public ColourState For(Colour colour) => colour == Colour.Blue ? Blue : Green;
}

public sealed record InvariantViolation(DateTimeOffset At, Colour Colour, ColourState State, int Required, RegionChange Cause)
{
    public override string ToString() =>
        $"{At:HH:mm:ss} {Colour.ToWire()} receives {State.Weight} weight (+{State.RuleWeight} in rules) with {State.HealthyTargets} healthy target(s)"
        + (State.ExternalDeficit > 0 ? $" and {State.ExternalDeficit} lost to outside faults or still launching" : "")
        + $", needs {Required} (desired {State.DesiredCapacity}), after {Cause.Kind} {Cause.Subject}: {Cause.Detail}";
}

/// <summary>
/// The safety invariant of a blue/green deployment: at every instant, every colour the listener sends traffic to
/// (weight &gt; 0) has at least its desired capacity of healthy targets. Desired capacity alone would let a colour
/// scaled to 0 keep its traffic, so a colour that has served (had traffic and a healthy target at some earlier point)
/// also needs at least one healthy target whenever it has traffic. A colour that never served — the empty blue of a
/// first deployment, which the listener points at before anything exists, and which a rolled-back first deployment
/// points at again — has nothing to protect, and only the desired-capacity rule applies to it.
/// Points are checked one by one, including several that share an instant, because AWS applies separate API calls
/// separately: a listener change and a scale-in in the same step are two moments, not one.
/// Traffic is the default action's weight plus the weights of the listener's other rules. Healthy capacity lost to
/// something outside Phoenix (an instance failing after it passed its checks, another actor's scale-out, an AZRebalance
/// replacement) counts as present while the group replaces it, since Phoenix cannot prevent it — except at a listener
/// change that gives a colour more traffic: Phoenix chose that moment, so the colour must have its full healthy capacity.
/// </summary>
public static class SafetyInvariant
{
    public static IReadOnlyList<InvariantViolation> Check(IEnumerable<TimelinePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var violations = new List<InvariantViolation>();
        var served = new ServedColours();
        foreach (var point in points)
        {
            Check(point, served, violations);
        }

        return violations;
    }

    /// <summary>Checks one point, given (and updating) which colours have served before it.</summary>
    internal static void Check(TimelinePoint point, ServedColours served, List<InvariantViolation> violations)
    {
        var previous = served.Previous;
        served.Previous = point;
        foreach (var colour in (ReadOnlySpan<Colour>)[Colour.Blue, Colour.Green])
        {
            var state = point.For(colour);
            if (state.Traffic <= 0)
            {
                continue;
            }

            // A colour that served must keep at least one healthy instance, unless a scaling actor, not Phoenix, took it lower.
            var required = Math.Max(state.DesiredCapacity, served.Has(colour) && !state.ScaledInByOthers ? 1 : 0);
            var trafficGrew = point.Cause.Kind is "Listener" or "ListenerRule" && previous is not null && Share(point, colour) > Share(previous, colour);
            // Moving traffic onto a colour that lost capacity is Phoenix's fault, unless the loss is younger than the describe
            // lag: then no describe could have shown it yet, as with a failure a moment after the move.
            var credited = (trafficGrew ? state.UnseenLosses : state.ExternalDeficit) + state.ExternalGrowth;
            if (state.HealthyTargets + credited < required)
            {
                violations.Add(new InvariantViolation(point.At, colour, state, required, point.Cause));
            }

            if (state.HealthyTargets > 0)
            {
                served.Add(colour);
            }
        }
    }

    /// <summary>
    /// The colour's share of the default action plus its share of the rules' forwards: weights are relative, so rewriting a
    /// plain forward to blue (weight 1) as blue=100, green=0 moves no traffic, while 90/10 to 0/100 does.
    /// </summary>
    private static double Share(TimelinePoint point, Colour colour)
    {
        var (own, other) = (point.For(colour), point.For(colour == Colour.Blue ? Colour.Green : Colour.Blue));
        double forward = own.Weight + other.Weight;
        double rules = own.RuleWeight + other.RuleWeight;
        return (forward > 0 ? own.Weight / forward : 0) + (rules > 0 ? own.RuleWeight / rules : 0);
    }

    internal sealed class ServedColours
    {
        private bool _blue;
        private bool _green;

        /// <summary>The point checked last, to tell which colours a listener change gave more traffic.</summary>
        public TimelinePoint? Previous { get; set; }

        public bool Has(Colour colour) => colour == Colour.Blue ? _blue : _green;

        public void Add(Colour colour)
        {
            if (colour == Colour.Blue)
            {
                _blue = true;
            }
            else
            {
                _green = true;
            }
        }
    }
}

/// <summary>
/// Records one application's fleet after every change in the region (a point whenever weights, desired capacity,
/// InService or healthy-target counts change) and checks the safety invariant at each of them as they happen.
/// </summary>
public sealed class TimelineRecorder
{
    private readonly SimulatedRegion _region;
    private readonly FleetTopology _topology;
    private readonly List<TimelinePoint> _points = [];
    private readonly List<RegionChange> _changes = [];
    private readonly List<InvariantViolation> _violations = [];
    private readonly SafetyInvariant.ServedColours _served = new();

    public TimelineRecorder(SimulatedRegion region, FleetTopology topology)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(topology);
        _region = region;
        _topology = topology;
        lock (region.Gate)
        {
            Record(new RegionChange(region.Now, "Start", topology.Application, "recording starts"));
            region.Observe(Record);
        }
    }

    /// <summary>Raised, under the region's lock, for each new point: keep handlers short.</summary>
    public event EventHandler<TimelinePoint>? PointRecorded;

    public IReadOnlyList<TimelinePoint> Points
    {
        get
        {
            lock (_region.Gate)
            {
                return [.. _points];
            }
        }
    }

    /// <summary>Every change in the region, including those that moved no counter (a ledger write, a bake start).</summary>
    public IReadOnlyList<RegionChange> Changes
    {
        get
        {
            lock (_region.Gate)
            {
                return [.. _changes];
            }
        }
    }

    public IReadOnlyList<InvariantViolation> Violations
    {
        get
        {
            lock (_region.Gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>The points at which the listener's weights changed, starting with the initial weights.</summary>
    public IReadOnlyList<TimelinePoint> TrafficChanges()
    {
        var points = Points;
        var result = new List<TimelinePoint>();
        foreach (var point in points)
        {
            if (result.Count == 0 || result[^1].Blue.Weight != point.Blue.Weight || result[^1].Green.Weight != point.Green.Weight)
            {
                result.Add(point);
            }
        }

        return result;
    }

    private void Record(RegionChange change)
    {
        _changes.Add(change);
        var observation = _region.ObserveFleet(_topology);
        var point = new TimelinePoint(change.At, change, ColourState.From(observation.Blue), ColourState.From(observation.Green));
        if (_points.Count > 0 && _points[^1].Blue == point.Blue && _points[^1].Green == point.Green)
        {
            return;
        }

        _points.Add(point);
        SafetyInvariant.Check(point, _served, _violations);
        PointRecorded?.Invoke(this, point);
    }
}
