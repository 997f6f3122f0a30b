using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;

namespace Phoenix.Cli.Tests.Simulation;

/// <summary>A region on a virtual clock with one fleet and a timeline recorder, for tests that drive it by hand. Its timings
/// default to ELBv2's own (30 s checks, healthy after 5), which the hand-computed instants in these tests use.</summary>
internal sealed class RegionFixture
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    public const string OldImage = "ami-0aaaaaaaaaaaaaaa1";

    public RegionFixture(int capacity = 3, int? initialCapacity = null, SimulationTimings? timings = null, FaultPlan? faults = null, ListenerSpec? listener = null)
    {
        Clock = new VirtualClock(Start);
        Region = new SimulatedRegion(Clock, timings ?? SimulationTimings.ElbDefaults, faults);
        Topology = Region.CreateFleet(new FleetSpec("web", capacity, OldImage, initialCapacity ?? capacity, Listener: listener));
        Timeline = new TimelineRecorder(Region, Topology);
    }

    public VirtualClock Clock { get; }

    public SimulatedRegion Region { get; }

    public FleetTopology Topology { get; }

    public TimelineRecorder Timeline { get; }

    public FleetObservation Fleet => Region.ObserveFleet(Topology);

    public TimeSpan Elapsed => Clock.GetUtcNow() - Start;

    public void AdvanceTo(TimeSpan sinceStart) => Clock.Advance(sinceStart - Elapsed);

    /// <summary>The first instant (since the start) at which <paramref name="condition"/> held on the timeline.</summary>
    public TimeSpan? FirstTime(Func<TimelinePoint, bool> condition) =>
        Timeline.Points.FirstOrDefault(condition) is { } point ? point.At - Start : null;
}
