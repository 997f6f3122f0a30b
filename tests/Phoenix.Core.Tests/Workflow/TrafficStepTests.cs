using Phoenix.Asl;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// Traffic moves only to a green that can carry it at that moment (issue 11, item 5), and the state machine's traffic
/// loop reads top-down: no wait after the last step (item 10).
/// </summary>
public class TrafficStepTests
{
    private static readonly TimeSpan HealthLimit = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task SwapTraffic_GreenLostAnInstance_MovesNothingAndSendsGreenBackToTheGate()
    {
        var (h, request, plan, version) = await HealthyAsync("[10,50,100]");
        await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 0));
        await TerminateOneAsync(h, plan.Target.AutoScalingGroupName);

        var output = await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 1));

        Assert.Equal((false, 10, 1, false, 1), (output.Ready, output.Weight, output.NextIndex, output.Complete, output.Rechecks));
        Assert.Contains("is not healthy", output.NotReadyReason, StringComparison.Ordinal);
        Assert.Equal(h.Clock.GetUtcNow().AddSeconds(request.Strategy.HealthTimeoutSeconds), output.HealthDeadline);
        Assert.Equal((90, 10), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
    }

    [Fact]
    public async Task SwapTraffic_LiveGroupScaledOut_RaisesGreenAndMovesNothing()
    {
        var (h, request, plan, version) = await HealthyAsync("[50,100]");
        await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 0));
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup("phoenix-web-blue", MaxSize: 6, DesiredCapacity: 5), CancellationToken.None);

        var output = await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 1));

        Assert.False(output.Ready);
        Assert.Contains("scaled out to 5 while green had 3", output.NotReadyReason, StringComparison.Ordinal);
        Assert.Equal((50, 50), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
        Assert.Equal(5, h.Fleet.Green.DesiredCapacity);
        Assert.True(h.Fleet.Green.MaxSize >= 5);
    }

    [Fact]
    public async Task SwapTraffic_ExplicitCapacity_DoesNotGrowGreenWithTheLiveGroup()
    {
        var (h, request, plan, version) = await HealthyAsync("[100]", ""","capacity":{"desired":3}""");
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup("phoenix-web-blue", MaxSize: 6, DesiredCapacity: 5), CancellationToken.None);

        var output = await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 0));

        Assert.True(output.Ready);
        Assert.Equal((0, 100, 3), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight, h.Fleet.Green.DesiredCapacity));
    }

    [Fact]
    public async Task SwapTraffic_NotReadyAfterTheLastAllowedRecheck_ThrowsHealthCheckFailedNamingTheStep()
    {
        var (h, request, plan, version) = await HealthyAsync("[10,100]");
        await TerminateOneAsync(h, plan.Target.AutoScalingGroupName);

        var error = await Assert.ThrowsAsync<HealthCheckFailed>(() => h.RunAsync<SwapTrafficInput, SwapTrafficOutput>(
            "SwapTraffic", new SwapTrafficInput(plan, request, version, 0, ExecutionBudget.MaxHealthRechecks)));

        Assert.Contains("traffic step 1 (10%)", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not healthy", error.Message, StringComparison.Ordinal);
        Assert.Equal((100, 0), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
    }

    [Fact]
    public async Task SwapTraffic_ReadyAfterARecheck_KeepsCountingForTheWholeExecution()
    {
        var (h, request, plan, version) = await HealthyAsync("[10,100]");

        var output = await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 0, Rechecks: 2));

        Assert.Equal((true, 10, 2), (output.Ready, output.Weight, output.Rechecks));
    }

    [Fact]
    public async Task Engine_GreenLosesAnInstanceDuringCanaryWait_HealthGateRunsAgainBeforeTheNextStep()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        var (result, calls) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"trafficSteps":[10,50,100],"stepWaitSeconds":60,"bakeTimeSeconds":0}}""",
            before: async (step, number) =>
            {
                if (step == "SwapTraffic" && number == 2)
                {
                    await TerminateOneAsync(harness, "phoenix-web-green");
                }
            });

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        var swaps = calls.Where(c => c.Step == "SwapTraffic").Select(c => ((bool)c.Output!["ready"]!, (int)c.Output!["weight"]!)).ToList();
        Assert.Equal([(true, 10), (false, 10), (true, 50), (true, 100)], swaps);
        var entered = WorkflowRunner.Entered(result);
        var notReady = IndexOfNth(entered, "SwapTraffic", 2);
        Assert.Equal(["IsTrafficStepDone", "WaitForGreen", "CheckHealth"], entered.Skip(notReady + 1).Take(3));
        Assert.Equal((100, 3, image), (harness.Fleet.Green.Weight, harness.Fleet.Green.DesiredCapacity, harness.Fleet.Green.ImageId));
    }

    [Fact]
    public async Task Engine_LiveGroupScalesOutBeforeTheLastStep_GreenGrowsAndIsHealthyBeforeAllTrafficMoves()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();
        (int Desired, int Healthy)? greenAtFullTraffic = null;

        var (result, _) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"trafficSteps":[50,100],"stepWaitSeconds":60,"bakeTimeSeconds":0}}""",
            before: async (step, number) =>
            {
                if (step == "SwapTraffic" && number == 2)
                {
                    await harness.Ports.AutoScaling.UpdateAutoScalingGroupAsync(
                        new UpdateAutoScalingGroup("phoenix-web-blue", MaxSize: 6, DesiredCapacity: 5), CancellationToken.None);
                }
            },
            after: (step, _, output) =>
            {
                if (step == "SwapTraffic" && (int)output!["weight"]! == 100)
                {
                    greenAtFullTraffic = (harness.Fleet.Green.DesiredCapacity, harness.Fleet.Green.HealthyTargets);
                }

                return Task.CompletedTask;
            });

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        Assert.Equal((5, 5), greenAtFullTraffic);
        Assert.Equal((100, 5), (harness.Fleet.Green.Weight, harness.Fleet.Green.DesiredCapacity));
    }

    [Fact]
    public async Task Engine_GreenNeverRecovers_RollsBackWithHealthCheckFailed()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        // Every time traffic is about to move past the first step, an instance of green dies.
        var (result, calls) = await WorkflowRunner.RunAsync(
            harness,
            $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"trafficSteps":[10,100],"stepWaitSeconds":60,"bakeTimeSeconds":0}}""",
            before: async (step, number) =>
            {
                if (step == "SwapTraffic" && number >= 2)
                {
                    await TerminateOneAsync(harness, "phoenix-web-green");
                }
            });

        Assert.Equal("HealthCheckFailed", result.Error);
        Assert.Contains("traffic step 2 (100%)", result.Cause, StringComparison.Ordinal);
        Assert.Equal(1 + 1 + ExecutionBudget.MaxHealthRechecks, calls.Count(c => c.Step == "SwapTraffic"));
        Assert.Equal((100, 0), (harness.Fleet.Blue.Weight, harness.Fleet.Green.Weight));
        Assert.Equal(DeploymentResults.RolledBack, Assert.Single(harness.Region.LedgerEntries("web")).Result);
    }

    [Fact]
    public async Task Engine_OneStepStrategy_GoesStraightFromTheSwapToTheBakeTimeWatch()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        var (result, _) = await WorkflowRunner.RunAsync(harness, $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"stepWaitSeconds":600}}""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var entered = WorkflowRunner.Entered(result);
        Assert.DoesNotContain("WaitAfterTrafficStep", entered);
        Assert.DoesNotContain("CheckCanaryAlarms", entered);
        var swap = entered.ToList().IndexOf("SwapTraffic");
        Assert.Equal(["IsTrafficStepDone", "StartBakeTimeWatch"], entered.Skip(swap + 1).Take(2));
    }

    [Fact]
    public async Task Engine_CanaryStrategy_WaitsAfterEveryStepButTheLast()
    {
        var harness = new RegionHarness();
        var image = harness.RegisterImage();

        var (result, _) = await WorkflowRunner.RunAsync(
            harness, $$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"trafficSteps":[10,50,100],"stepWaitSeconds":60}}""");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var entered = WorkflowRunner.Entered(result);
        Assert.Equal(2, entered.Count(s => s == "WaitAfterTrafficStep"));
        Assert.Equal(2, entered.Count(s => s == "CheckCanaryAlarms"));
    }

    private static int IndexOfNth(IReadOnlyList<string> names, string name, int n)
    {
        var seen = 0;
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name && ++seen == n)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{name} was entered {seen} times, not {n}.");
    }

    private static async Task TerminateOneAsync(RegionHarness h, string group)
    {
        var described = await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(group, CancellationToken.None);
        var instance = described!.Instances.First(i => i.LifecycleState == "InService");
        await h.Ports.AutoScaling.TerminateInstanceInAutoScalingGroupAsync(instance.InstanceId, shouldDecrementDesiredCapacity: false, CancellationToken.None);
    }

    private static async Task<(RegionHarness H, DeploymentRequest Request, DeploymentPlan Plan, long Version)> HealthyAsync(string steps, string extra = "")
    {
        var h = new RegionHarness();
        var image = h.RegisterImage();
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{image}}","strategy":{"trafficSteps":{{steps}}}{{extra}}}""");
        var plan = await h.ResolveAsync(request);
        var version = (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        await h.WaitHealthyAsync(plan, version, HealthLimit);
        return (h, request, plan, version);
    }
}
