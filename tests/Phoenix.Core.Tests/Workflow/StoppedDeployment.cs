using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>A deployment driven through the real steps on the simulated region and then stopped from outside.</summary>
internal sealed record StoppedDeployment(RegionHarness H, DeploymentRequest Request, DeploymentPlan Plan, string Image, (int, int, int) BlueBefore)
{
    private static readonly TimeSpan HealthLimit = TimeSpan.FromMinutes(20);
    private static readonly CancellationToken None = CancellationToken.None;

    public DeploymentRecord Entry => H.Region.LedgerEntries(RegionHarness.Application).Single(r => r.DeploymentId == H.Execution.DeploymentId);

    public static (int, int, int) Sizes(ColourObservation colour) => (colour.MinSize, colour.MaxSize, colour.DesiredCapacity);

    public Task<CleanupReport> CleanupAsync(string status, string? error = null, string? cause = null) =>
        new DeploymentCleanup(H.Ports, H.Clock).CleanupAsync(new ExecutionEnding(H.Execution.Id, RegionHarness.Application, status, error, cause), None);

    /// <summary>
    /// A deployment of a new image to green, stopped after its traffic step: lock and ledger entry taken, green scaled up and
    /// healthy, scaling processes suspended on both groups with the restore point recorded (as ScaleUpGreen does), and
    /// <paramref name="greenWeight"/>% of traffic on green. Someone else suspended AlarmNotification on blue beforehand.
    /// </summary>
    public static async Task<StoppedDeployment> StartAsync(int greenWeight, int? initialCapacity = null)
    {
        var h = new RegionHarness(initialCapacity: initialCapacity);
        await h.Ports.AutoScaling.SuspendProcessesAsync(h.Topology.Blue.AutoScalingGroupName, [ScalingProcesses.AlarmNotification], None);
        var blueBefore = Sizes(h.Fleet.Blue);
        var image = h.RegisterImage();
        var steps = greenWeight is > 0 and < 100 ? $$""","strategy":{"trafficSteps":[{{greenWeight}},100]}""" : "";
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{image}}"{{steps}}}""");
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var plan = await h.ResolveAsync(request);
        var version = (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;

        var suspended = new Dictionary<string, IReadOnlyList<string>>
        {
            [h.Topology.Blue.AutoScalingGroupName] = FleetRestore.SuspendedDuringDeployment,
            [h.Topology.Green.AutoScalingGroupName] = FleetRestore.SuspendedDuringDeployment,
        };
        var entry = h.Region.LedgerEntries(RegionHarness.Application).Single();
        if (entry.Restore is null)
        {
            var previousCapacity = plan.PreviousCapacity is null ? null : new Capacity(blueBefore.Item1, blueBefore.Item2, blueBefore.Item3);
            await h.Ports.Ledger.PutAsync(entry with { Restore = new RestorePoint(plan.PreviousColour?.ToWire(), previousCapacity, plan.TargetColour.ToWire(), suspended) }, None);
        }

        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        foreach (var (group, processes) in suspended)
        {
            await h.Ports.AutoScaling.SuspendProcessesAsync(group, processes, None);
        }

        await h.WaitHealthyAsync(plan, version, HealthLimit);
        if (greenWeight > 0)
        {
            await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 0));
        }

        return new StoppedDeployment(h, request, plan, image, blueBefore);
    }
}
