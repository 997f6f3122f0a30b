using Phoenix.Core.Domain;

namespace Phoenix.Cli.Simulation;

/// <summary>What the safety invariant looks at for one colour.</summary>
public sealed record ColourState(int Weight, int DesiredCapacity, int InService, int HealthyTargets)
{
    public static ColourState From(ColourObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new ColourState(observation.Weight, observation.DesiredCapacity, observation.InService, observation.HealthyTargets);
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
        $"{At:HH:mm:ss} {Colour.ToWire()} receives {State.Weight} weight with {State.HealthyTargets} healthy target(s), needs {Required} "
        + $"(desired {State.DesiredCapacity}), after {Cause.Kind} {Cause.Subject}: {Cause.Detail}";
}

/// <summary>
/// The safety invariant of a blue/green deployment: at every instant, every colour the listener sends traffic to
/// (weight &gt; 0) has at least its desired capacity of healthy targets. Desired capacity alone would let a colour
/// scaled to 0 keep its traffic, so once the fleet has served (some colour with traffic had a healthy target), a colour
/// with traffic also needs at least one healthy target. Before that — a first deployment to an empty fleet, whose
/// listener points at an empty group — there is no service to protect and only the desired-capacity rule applies.
/// Points are checked one by one, including several that share an instant, because AWS applies separate API calls
/// separately: a listener change and a scale-in in the same step are two moments, not one.
/// </summary>
public static class SafetyInvariant
{
    public static IReadOnlyList<InvariantViolation> Check(IEnumerable<TimelinePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var violations = new List<InvariantViolation>();
        var served = false;
        foreach (var point in points)
        {
            served = Check(point, served, violations);
        }

        return violations;
    }

    /// <summary>Checks one point given whether the fleet had served before it; returns whether it has served after it.</summary>
    internal static bool Check(TimelinePoint point, bool servedBefore, List<InvariantViolation> violations)
    {
        var served = servedBefore || point.Blue is { Weight: > 0, HealthyTargets: > 0 } || point.Green is { Weight: > 0, HealthyTargets: > 0 };
        foreach (var colour in (ReadOnlySpan<Colour>)[Colour.Blue, Colour.Green])
        {
            var state = point.For(colour);
            if (state.Weight <= 0)
            {
                continue;
            }

            var required = Math.Max(state.DesiredCapacity, served ? 1 : 0);
            if (state.HealthyTargets < required)
            {
                violations.Add(new InvariantViolation(point.At, colour, state, required, point.Cause));
            }
        }

        return served;
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
    private bool _served;

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
        _served = SafetyInvariant.Check(point, _served, _violations);
        PointRecorded?.Invoke(this, point);
    }
}
