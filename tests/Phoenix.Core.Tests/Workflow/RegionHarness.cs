using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Serialization;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// The simulated region on a virtual clock with one fleet ("web", blue live), and the real StepCatalog over its ports.
/// Steps run through the catalog, so every test also exercises the JSON contract the state machine uses.
/// </summary>
internal sealed class RegionHarness
{
    public const string Application = "web";
    public const string InitialImage = "ami-0123456789abcdef0";
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly List<RegionChange> _changes = [];

    /// <param name="bakeSourceType">The bake project's source type (<see cref="FleetSpec.BakeSourceType"/>); null: no bake project.</param>
    public RegionHarness(int capacity = 3, int? initialCapacity = null, FaultPlan? faults = null, string? bakeSourceType = "GITHUB")
    {
        Clock = new VirtualClock(Start);
        Region = new SimulatedRegion(Clock, faults: faults);
        Topology = Region.CreateFleet(new FleetSpec(Application, capacity, InitialImage, initialCapacity ?? capacity, BakeSourceType: bakeSourceType));
        Ports = new WorkflowPorts(
            Region.Topology, Region.AutoScaling, Region.Ec2, Region.LoadBalancer, Region.Alarms, Region.Baker, Region.Locks, Region.Ledger, Region.Notifier);
        Catalog = new StepCatalog(Ports, Clock);
        Execution = NewExecution("deploy-1");
        Region.Observe(_changes.Add);
    }

    public VirtualClock Clock { get; }

    public SimulatedRegion Region { get; }

    public FleetTopology Topology { get; }

    public WorkflowPorts Ports { get; }

    public StepCatalog Catalog { get; }

    public ExecutionRef Execution { get; }

    /// <summary>Every change the region reported since the harness was built (fleet creation excluded).</summary>
    public IReadOnlyList<RegionChange> Changes => _changes;

    public ExecutionRef NewExecution(string name) =>
        new($"arn:aws:states:us-east-1:000000000000:execution:phoenix-deploy:{name}", Clock.GetUtcNow());

    public async Task<TOutput> RunAsync<TInput, TOutput>(string step, TInput input)
    {
        var node = JsonSerializer.SerializeToNode(input, typeof(TInput), CoreJsonContext.Default);
        var output = await Catalog.InvokeAsync(step, node, CancellationToken.None);
        return (TOutput)output.Deserialize(typeof(TOutput), CoreJsonContext.Default)!;
    }

    public async Task<DeploymentRequest> ValidateAsync(string json) =>
        (await RunAsync<ValidateInput, ValidateOutput>("Validate", new ValidateInput(JsonNode.Parse(json)))).Request;

    public async Task<DeploymentPlan> ResolveAsync(DeploymentRequest request) =>
        (await RunAsync<ResolveFleetInput, ResolveFleetOutput>("ResolveFleet", new ResolveFleetInput(request))).Plan;

    public string RegisterImage(bool healthy = true) => Region.RegisterImage(healthy: healthy);

    public FleetObservation Fleet => Region.ObserveFleet(Topology);

    /// <summary>
    /// Everything a step could change: fleet, listener, launch templates, lock, ledger, notifications. Not the clock:
    /// an execution on it may move time forward to the region's own timers without anything changing.
    /// </summary>
    public string Snapshot()
    {
        var text = new StringBuilder();
        var fleet = Fleet;
        text.AppendLine("blue " + fleet.Blue);
        text.AppendLine("green " + fleet.Green);
        text.AppendLine("blue versions " + string.Join(",", Region.LaunchTemplateVersions(Topology.Blue.LaunchTemplateId)));
        text.AppendLine("green versions " + string.Join(",", Region.LaunchTemplateVersions(Topology.Green.LaunchTemplateId)));
        text.AppendLine($"image parameters blue={Region.GetColourImage(Application, Colour.Blue)} green={Region.GetColourImage(Application, Colour.Green)}");
        text.AppendLine("lock " + Region.PeekLock(Application));
        foreach (var record in Region.LedgerEntries(Application))
        {
            text.AppendLine("ledger " + record);
        }

        text.AppendLine("published " + Region.Published.Count);
        return text.ToString();
    }

    /// <summary>Advances virtual time in small steps until CheckHealth says healthy, or fails after <paramref name="limit"/>.</summary>
    public async Task<CheckHealthOutput> WaitHealthyAsync(DeploymentPlan plan, long version, TimeSpan limit)
    {
        var deadline = Clock.GetUtcNow() + limit;
        while (true)
        {
            var health = await RunAsync<CheckHealthInput, CheckHealthOutput>("CheckHealth", new CheckHealthInput(plan, version, deadline));
            if (health.Healthy)
            {
                return health;
            }

            Clock.Advance(TimeSpan.FromSeconds(15));
        }
    }
}
