using System.Text.Json.Nodes;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// What guards a deployment against describes that lag a change made seconds before: ResolveFleet against a listener
/// that disagrees with the deployment that just ended, SwapTraffic's sizing on a first deployment, and the lock-release
/// retries of the definition.
/// </summary>
public sealed class ConsistencyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ResolveFleet_ListenerDisagreesWithADeploymentThatJustEnded_TransientFailureUntilTheWindowPasses()
    {
        var h = new RegionHarness();
        var request = await h.ValidateAsync("""{"application":"web"}""");
        var ended = h.Clock.GetUtcNow().AddSeconds(-10);
        await h.Ports.Ledger.PutAsync(
            new DeploymentRecord("web", "web-earlier", DeploymentResults.Deployed, "ami-0fedcba9876543210", RegionHarness.InitialImage, "green",
                null, null, "cli", "arn:aws:states:us-east-1:000000000000:execution:phoenix-deploy:web-earlier", ended.AddMinutes(-15), ended),
            None);
        var step = new ResolveFleetStep(h.Ports, h.Clock);

        var error = await Assert.ThrowsAsync<TransientFailure>(() => step.ExecuteAsync(new ResolveFleetInput(request), None));

        Assert.Contains("web-earlier", error.Message, StringComparison.Ordinal);
        Assert.Contains("green live", error.Message, StringComparison.Ordinal);
        h.Clock.Advance(ResolveFleetStep.ConsistencyWindow);
        var plan = (await step.ExecuteAsync(new ResolveFleetInput(request), None)).Plan;
        Assert.Equal(Colour.Blue, plan.PreviousColour);
    }

    [Fact]
    public async Task SwapTraffic_ManyTargetsNotHealthy_ReasonNamesTenAndCountsTheRest()
    {
        var h = new RegionHarness(capacity: 40);
        var image = h.RegisterImage(healthy: false);
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{image}}"}""");
        var plan = await h.ResolveAsync(request);
        var version = (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        h.Clock.Advance(TimeSpan.FromMinutes(10));

        var output = await new SwapTrafficStep(h.Ports, h.Clock).ExecuteAsync(new SwapTrafficInput(plan, request, version, 0, 0, h.Execution), None);

        Assert.False(output.Ready);
        var reason = output.NotReadyReason!;
        // The result stays small whatever the fleet (Step Functions caps it at 256 KB): ten named, the rest counted.
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Count(reason, @"\bi-[0-9a-f]+ "));
        Assert.Matches(@" and \d+ more\)$", reason);
    }

    [Fact]
    public async Task SwapTraffic_FirstDeploymentWhileTheOtherColourGrew_RaisesGreenAndMovesNothing()
    {
        var h = new RegionHarness(initialCapacity: 0);
        var image = h.RegisterImage();
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{image}}"}""");
        var plan = await h.ResolveAsync(request);
        Assert.True(plan.FirstDeployment);
        var version = (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        await h.WaitHealthyAsync(plan, version, TimeSpan.FromMinutes(20));
        var green = h.Fleet.Green.DesiredCapacity;
        // A scaling policy gives the empty colour, which still has the listener's weight, more instances than green has.
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(h.Topology.Blue.AutoScalingGroupName, MaxSize: green + 2, DesiredCapacity: green + 2), None);

        var output = await new SwapTrafficStep(h.Ports, h.Clock).ExecuteAsync(new SwapTrafficInput(plan, request, version, 0, 0, h.Execution), None);

        Assert.False(output.Ready);
        Assert.Equal(green + 2, h.Fleet.Green.DesiredCapacity);
        Assert.Equal(0, h.Fleet.Green.Weight);
    }

    [Theory]
    [InlineData("ReleaseLock")]
    [InlineData("ReleaseLockWithWarning")]
    [InlineData("ReleaseLockAfterFailure")]
    [InlineData("Rollback")]
    [InlineData("RecordRollbackFailure")]
    [InlineData("NotifyRollbackFailed")]
    public void Definition_LockReleasesAndTheRollbackPath_RetryATimedOutLambda(string state)
    {
        var retry = JsonNode.Parse(File.ReadAllText(Repository.DeployDefinitionPath))!["States"]![state]!["Retry"]!.AsArray();

        Assert.Contains(retry, r => r!["ErrorEquals"]!.AsArray().Select(e => e!.GetValue<string>()).Contains("Lambda.Unknown"));
    }
}
