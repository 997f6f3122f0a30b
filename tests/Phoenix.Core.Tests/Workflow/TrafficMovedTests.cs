using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// The restore point's TrafficMoved mark (written by SwapTraffic before its first listener change) and what Rollback does
/// with it: traffic goes back only to a previous colour at full healthy capacity, and only when traffic may have moved
/// does Rollback wait for one.
/// </summary>
public sealed class TrafficMovedTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task SwapTraffic_FirstStep_MarksTheRestorePointAndARetryKeepsIt()
    {
        var (h, plan, request, version) = await ArrangeHealthyGreenAsync(FaultPlan.None);
        Assert.False(Entry(h).Restore!.TrafficMoved);
        var swap = new SwapTrafficStep(h.Ports, h.Clock);

        await swap.ExecuteAsync(new SwapTrafficInput(plan, request, version, 0, 0, h.Execution), None);
        await swap.ExecuteAsync(new SwapTrafficInput(plan, request, version, 0, 0, h.Execution), None);

        Assert.True(Entry(h).Restore!.TrafficMoved);
        Assert.Equal((0, 100), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
    }

    [Fact]
    public async Task Rollback_PreviousColourLostAnInstanceAfterTheSwap_WaitsWithTrafficOnGreenThenMovesItBackOnceReplaced()
    {
        var failure = new FaultPlan { Events = [new InstanceFailure(TimeSpan.FromMinutes(10), FleetRole.Idle)] };
        var (h, plan, request, version) = await ArrangeHealthyGreenAsync(failure);
        await new SwapTrafficStep(h.Ports, h.Clock).ExecuteAsync(new SwapTrafficInput(plan, request, version, 0, 0, h.Execution), None);
        h.Clock.Advance(RegionHarness.Start.AddMinutes(10).AddSeconds(75) - h.Clock.GetUtcNow());
        var rollback = new RollbackStep(h.Ports, h.Clock);
        var input = new RollbackInput(plan, request, plan.ImageId, h.Execution, new StepError("AlarmTriggered", "test"));

        var wait = await Assert.ThrowsAsync<PreviousColourNotReady>(() => rollback.ExecuteAsync(input, None));

        Assert.Contains("blue", wait.Message, StringComparison.Ordinal);
        Assert.Equal((0, 100), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
        Assert.Equal(3, h.Fleet.Green.DesiredCapacity);
        for (var i = 0; i < 80 && h.Fleet.Blue.HealthyTargets < h.Fleet.Blue.DesiredCapacity; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(15));
            await Task.Yield();
        }

        var output = await rollback.ExecuteAsync(input, None);

        Assert.Equal(DeploymentResults.RolledBack, output.Result);
        Assert.Equal((100, 0, 0), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight, h.Fleet.Green.DesiredCapacity));
    }

    [Fact]
    public async Task Rollback_PreviousColourShortButNoTrafficEverMoved_DoesNotWait()
    {
        var failure = new FaultPlan { Events = [new InstanceFailure(TimeSpan.FromMinutes(10), FleetRole.Live)] };
        var (h, plan, request, _) = await ArrangeHealthyGreenAsync(failure);
        h.Clock.Advance(RegionHarness.Start.AddMinutes(10).AddSeconds(75) - h.Clock.GetUtcNow());
        Assert.True(h.Fleet.Blue.HealthyTargets < h.Fleet.Blue.DesiredCapacity, "blue lost an instance");

        var output = await new RollbackStep(h.Ports, h.Clock).ExecuteAsync(
            new RollbackInput(plan, request, plan.ImageId, h.Execution, new StepError("HealthCheckFailed", "test")), None);

        Assert.Equal(DeploymentResults.RolledBack, output.Result);
        Assert.Equal((100, 0), (h.Fleet.Blue.Weight, h.Fleet.Green.DesiredCapacity));
    }

    /// <summary>Validate → AcquireLock → ResolveFleet → UpdateLaunchTemplate → ScaleUpGreen (restore point recorded), green healthy.</summary>
    private static async Task<(RegionHarness H, DeploymentPlan Plan, DeploymentRequest Request, long Version)> ArrangeHealthyGreenAsync(FaultPlan faults)
    {
        var h = new RegionHarness(faults: faults);
        var image = h.RegisterImage();
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{image}}"}""");
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var plan = await h.ResolveAsync(request);
        var version = (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request, h.Execution));
        await h.WaitHealthyAsync(plan, version, TimeSpan.FromMinutes(20));
        return (h, plan, request, version);
    }

    private static DeploymentRecord Entry(RegionHarness h) => h.Region.LedgerEntries(RegionHarness.Application).Single();
}
