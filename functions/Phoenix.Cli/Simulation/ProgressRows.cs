using System.Globalization;
using Phoenix.Core.Domain;

namespace Phoenix.Cli.Simulation;

/// <summary>One state an execution went through: when it was entered and left, and the fleet at both moments.</summary>
public sealed record StateVisit(string State, TimeSpan Entered, TimeSpan Left, FleetObservation Before, FleetObservation After);

/// <summary>
/// Turns the states an execution enters into the live rows of <c>phoenix simulate</c> and <c>deploy --local</c>: a row is
/// written when its state has run (when the next one is entered), so it shows the fleet the state left behind, not the
/// one it found. Consecutive passes through a loop of the workflow (a state of <see cref="_loopStates"/> entered again
/// before the loop was left) become one row, "CheckHealth ×12 over 3 min", with what changed over it, so a 15-minute
/// health wait is one line that says how many polls it took instead of hiding them.
/// </summary>
public sealed class ProgressRows(TextWriter output, IReadOnlySet<string> loopStates, IReadOnlySet<string> taskStates)
{
    public const int LabelWidth = 34;
    private readonly IReadOnlySet<string> _loopStates = loopStates;
    private readonly Dictionary<string, Execution> _executions = new(StringComparer.Ordinal);

    /// <summary>The execution entered <paramref name="state"/> at <paramref name="elapsed"/>, with the fleet as it was then.</summary>
    public void Entered(string execution, string prefix, string state, TimeSpan elapsed, FleetObservation fleet)
    {
        var e = For(execution, prefix);
        if (e.Pending is { } pending)
        {
            Accept(e, new StateVisit(pending.State, pending.Entered, elapsed, pending.Fleet, fleet));
        }

        e.Pending = (state, elapsed, fleet);
    }

    /// <summary>The execution ended: its last state ran until <paramref name="elapsed"/> and left <paramref name="fleet"/>.</summary>
    public void Ended(string execution, TimeSpan elapsed, FleetObservation fleet)
    {
        if (!_executions.TryGetValue(execution, out var e))
        {
            return;
        }

        if (e.Pending is { } pending)
        {
            Accept(e, new StateVisit(pending.State, pending.Entered, elapsed, pending.Fleet, fleet));
            e.Pending = null;
        }

        Flush(e);
    }

    /// <summary>Ends every execution still open with the fleet its last state saw (a host that gets no end event).</summary>
    public void EndAll()
    {
        foreach (var (name, e) in _executions)
        {
            if (e.Pending is { } pending)
            {
                Ended(name, pending.Entered, pending.Fleet);
            }
            else
            {
                Flush(e);
            }
        }
    }

    private Execution For(string name, string prefix)
    {
        if (!_executions.TryGetValue(name, out var e))
        {
            _executions[name] = e = new Execution(prefix);
        }

        return e;
    }

    private void Accept(Execution e, StateVisit visit)
    {
        if (!_loopStates.Contains(visit.State))
        {
            Flush(e);
            Row(e, visit);
            return;
        }

        var earlier = e.Held.FindIndex(v => v.State == visit.State);
        if (earlier >= 0)
        {
            e.LoopStart = Math.Min(e.LoopStart ?? earlier, earlier);
        }
        else if (e.LoopStart is not null)
        {
            // A loop state not seen in this loop: the loop was left.
            Flush(e);
        }

        e.Held.Add(visit);
    }

    private void Flush(Execution e)
    {
        var loopStart = e.LoopStart ?? e.Held.Count;
        foreach (var visit in e.Held.Take(loopStart))
        {
            Row(e, visit);
        }

        if (loopStart < e.Held.Count)
        {
            Loop(e, e.Held.GetRange(loopStart, e.Held.Count - loopStart));
        }

        e.Held.Clear();
        e.LoopStart = null;
    }

    private void Row(Execution e, StateVisit visit) =>
        output.WriteLine($"{Clock(visit.Left)}  {(e.Prefix + visit.State).PadRight(LabelWidth)} {Fleet(visit.After)}");

    private void Loop(Execution e, List<StateVisit> visits)
    {
        // Named after the loop's first Task (the poll), counted by how often that ran.
        var head = visits.FirstOrDefault(v => taskStates.Contains(v.State))?.State ?? visits[0].State;
        var count = visits.Count(v => v.State == head);
        var span = visits[^1].Left - visits[0].Entered;
        var label = $"{e.Prefix}{head} ×{count.ToString(CultureInfo.InvariantCulture)} over {Duration(span)}";
        output.WriteLine($"{Clock(visits[^1].Left)}  {label.PadRight(LabelWidth)} {Fleet(visits[^1].After)}  ({Change(visits)})");
    }

    /// <summary>What a loop changed: traffic steps in order, healthy and in-service counts from first to last.</summary>
    internal static string Change(IReadOnlyList<StateVisit> visits)
    {
        var parts = new List<string>();
        foreach (var colour in (ReadOnlySpan<Colour>)[Colour.Blue, Colour.Green])
        {
            var name = colour.ToWire();
            var weights = new List<int> { visits[0].Before.For(colour).Weight };
            foreach (var v in visits)
            {
                if (v.After.For(colour).Weight != weights[^1])
                {
                    weights.Add(v.After.For(colour).Weight);
                }
            }

            if (weights.Count > 1)
            {
                parts.Add($"{name} traffic {string.Join("→", weights.Select(w => $"{w}%"))}");
            }

            var (before, after) = (visits[0].Before.For(colour), visits[^1].After.For(colour));
            if (before.HealthyTargets != after.HealthyTargets)
            {
                parts.Add($"{name} {before.HealthyTargets}→{after.HealthyTargets} healthy");
            }
            else if (before.InService != after.InService)
            {
                parts.Add($"{name} {before.InService}→{after.InService} in service");
            }
        }

        return parts.Count == 0 ? "fleet unchanged" : string.Join(", ", parts);
    }

    internal static string Fleet(FleetObservation fleet) => $"| {Describe("blue", fleet.Blue)} | {Describe("green", fleet.Green)}";

    private static string Describe(string name, ColourObservation c) =>
        $"{name,-5} {c.Weight,3}%  desired {c.DesiredCapacity,-3} in service {c.InService,-3} healthy {c.HealthyTargets,-3}";

    internal static string Clock(TimeSpan elapsed) => $"{(int)elapsed.TotalHours:00}:{elapsed.Minutes:00}:{elapsed.Seconds:00}";

    /// <summary>"45 s", "3 min", "2 min 30 s", "1 h 5 min": how long something took, in words a reader does not convert.</summary>
    internal static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return $"{span.TotalSeconds:0} s";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return span.Seconds == 0 ? $"{span.Minutes} min" : $"{span.Minutes} min {span.Seconds} s";
        }

        return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
    }

    private sealed class Execution(string prefix)
    {
        public string Prefix { get; } = prefix;

        public (string State, TimeSpan Entered, FleetObservation Fleet)? Pending { get; set; }

        public List<StateVisit> Held { get; } = [];

        public int? LoopStart { get; set; }
    }
}
