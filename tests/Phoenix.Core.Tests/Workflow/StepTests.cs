using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

public class StepTests
{
    private const string Steps = ""","strategy":{"trafficSteps":[10,50,100]}""";
    private static readonly TimeSpan HealthLimit = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task AcquireLock_FreeLock_TakesLockAndOpensLedgerEntry()
    {
        var (h, request, _, _) = await PlannedAsync();

        var output = await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));

        Assert.Equal(h.Execution.Id, output.Owner);
        Assert.Equal("deploy-1", output.DeploymentId);
        Assert.Equal(h.Execution.Id, h.Region.PeekLock("web")?.Owner);
        var entry = Assert.Single(h.Region.LedgerEntries("web"));
        Assert.Equal(DeploymentResults.InProgress, entry.Result);
    }

    [Fact]
    public async Task AcquireLock_SameExecutionTwice_LeavesSameState()
    {
        var (h, request, _, _) = await PlannedAsync();
        var input = new AcquireLockInput(request, h.Execution);

        await AssertIdempotentAsync<AcquireLockInput, AcquireLockOutput>(h, "AcquireLock", input);
    }

    [Fact]
    public async Task AcquireLock_HeldByAnotherExecution_ThrowsDeploymentLockedAndKeepsHolder()
    {
        var (h, request, _, _) = await PlannedAsync();
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var other = h.NewExecution("deploy-2");

        var error = await Assert.ThrowsAsync<DeploymentLocked>(() =>
            h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, other)));

        Assert.Contains(h.Execution.Id, error.Message, StringComparison.Ordinal);
        Assert.Equal(h.Execution.Id, h.Region.PeekLock("web")?.Owner);
        Assert.DoesNotContain(h.Region.LedgerEntries("web"), e => e.DeploymentId == "deploy-2");
    }

    [Fact]
    public async Task ResolveFleet_BlueLive_TargetsGreenWithLiveCapacityAndImage()
    {
        var (_, _, plan, image) = await PlannedAsync();

        Assert.Equal(Colour.Blue, plan.PreviousColour);
        Assert.Equal(Colour.Green, plan.TargetColour);
        Assert.Equal(3, plan.PreviousCapacity?.Desired);
        Assert.Equal(3, plan.TargetCapacity.Desired);
        Assert.Equal(RegionHarness.InitialImage, plan.PreviousImageId);
        Assert.Equal(image, plan.ImageId);
        Assert.False(plan.FirstDeployment);
    }

    [Fact]
    public async Task ResolveFleet_EmptyFleet_IsFirstDeploymentWithDefaultCapacity()
    {
        var (_, _, plan, _) = await PlannedAsync(capacity: 4, initialCapacity: 0);

        Assert.True(plan.FirstDeployment);
        Assert.Null(plan.PreviousColour);
        Assert.Equal(Colour.Green, plan.TargetColour);
        Assert.Equal(new Capacity(4, 4, 4), plan.TargetCapacity);
    }

    [Fact]
    public async Task ResolveFleet_RequestCapacity_OverridesLiveCapacity()
    {
        var (_, _, plan, _) = await PlannedAsync(extra: ""","capacity":{"min":1,"desired":5,"max":6}""");

        Assert.Equal(new Capacity(1, 6, 5), plan.TargetCapacity);
    }

    [Fact]
    public async Task ResolveFleet_GreenLive_TargetsBlue()
    {
        var h = new RegionHarness();
        await h.Ports.LoadBalancer.ModifyListenerWeightsAsync(h.Topology.ListenerArn,
            [new TargetGroupWeight(h.Topology.Blue.TargetGroupArn, 0), new TargetGroupWeight(h.Topology.Green.TargetGroupArn, 100)], CancellationToken.None);
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(h.Topology.Green.AutoScalingGroupName, MinSize: 2, MaxSize: 6, DesiredCapacity: 2), CancellationToken.None);
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{h.RegisterImage()}}"}""");

        var plan = await h.ResolveAsync(request);

        Assert.Equal(Colour.Green, plan.PreviousColour);
        Assert.Equal(Colour.Blue, plan.TargetColour);
        Assert.Equal(new Capacity(2, 6, 2), plan.PreviousCapacity);
    }

    [Fact]
    public async Task ResolveFleet_SplitTraffic_ThrowsFleetInconsistent()
    {
        var h = new RegionHarness();
        await h.Ports.LoadBalancer.ModifyListenerWeightsAsync(h.Topology.ListenerArn,
            [new TargetGroupWeight(h.Topology.Blue.TargetGroupArn, 50), new TargetGroupWeight(h.Topology.Green.TargetGroupArn, 50)], CancellationToken.None);
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{h.RegisterImage()}}"}""");

        var error = await Assert.ThrowsAsync<FleetInconsistent>(() => h.ResolveAsync(request));

        Assert.Contains("=50", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveFleet_UnknownImage_ThrowsImageNotAvailableNamingIt()
    {
        var h = new RegionHarness();
        var request = await h.ValidateAsync("""{"application":"web","imageId":"ami-0fedcba9876543210"}""");
        var before = h.Snapshot();

        var error = await Assert.ThrowsAsync<ImageNotAvailable>(() => h.ResolveAsync(request));

        Assert.Contains("ami-0fedcba9876543210", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, h.Snapshot());
    }

    [Fact]
    public async Task UpdateLaunchTemplate_RunTwice_CreatesOneVersionAndPointsGreenAtIt()
    {
        var (h, _, plan, image) = await PlannedAsync();
        var versionsBefore = h.Region.LaunchTemplateVersions(h.Topology.Green.LaunchTemplateId).Count;
        var input = new UpdateLaunchTemplateInput(plan, image, h.Execution);

        var output = await AssertIdempotentAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(h, "UpdateLaunchTemplate", input);

        Assert.Equal(versionsBefore + 1, h.Region.LaunchTemplateVersions(h.Topology.Green.LaunchTemplateId).Count);
        Assert.Equal(image, h.Region.ImageOfLaunchTemplateVersion(h.Topology.Green.LaunchTemplateId, output.Version));
        Assert.Equal(output.Version.ToString(), h.Fleet.Green.LaunchTemplateVersion);
        Assert.Equal(64, output.ClientToken.Length);
        Assert.Equal(RegionHarness.InitialImage, h.Fleet.Blue.ImageId);
    }

    [Fact]
    public async Task ScaleUpGreen_BlueLive_PinsBlueMinAndSizesGreenToLiveCapacity()
    {
        var (h, request, plan, image) = await PlannedAsync();
        await UpdateTemplateAsync(h, plan, image);

        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var input = new ScaleUpGreenInput(plan, request, h.Execution);
        var output = await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", input);
        var afterFirst = h.Snapshot();
        var again = await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", input);

        // The output carries the restore point (a dictionary), so compare it as the state machine sees it: as JSON.
        Assert.Equal(afterFirst, h.Snapshot());
        Assert.Equal(
            JsonSerializer.Serialize(output, CoreJsonContext.Default.ScaleUpGreenOutput),
            JsonSerializer.Serialize(again, CoreJsonContext.Default.ScaleUpGreenOutput));

        // Only the live MinSize is pinned: both maxima stay at the planned 6 so scale-out keeps working.
        Assert.Equal(3, output.TargetDesired);
        Assert.Equal(3, output.PinnedPreviousDesired);
        Assert.Equal((3, 6, 3), (h.Fleet.Blue.MinSize, h.Fleet.Blue.MaxSize, h.Fleet.Blue.DesiredCapacity));
        Assert.Equal((3, 6, 3), (h.Fleet.Green.MinSize, h.Fleet.Green.MaxSize, h.Fleet.Green.DesiredCapacity));
        Assert.Equal(h.Clock.GetUtcNow().AddSeconds(request.Strategy.HealthTimeoutSeconds), output.HealthDeadline);
    }

    [Fact]
    public async Task CheckHealth_BeforeAndAfterBoot_ReportsCountsThenHealthy()
    {
        var (h, request, plan, image) = await PlannedAsync();
        var version = await UpdateTemplateAsync(h, plan, image);
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        var deadline = h.Clock.GetUtcNow() + HealthLimit;

        var early = await h.RunAsync<CheckHealthInput, CheckHealthOutput>("CheckHealth", new CheckHealthInput(plan, version, deadline));
        var healthy = await h.WaitHealthyAsync(plan, version, HealthLimit);

        Assert.False(early.Healthy);
        Assert.Equal(3, early.Desired);
        Assert.Equal(0, early.Ready);
        Assert.True(healthy.Healthy);
        Assert.Equal(3, healthy.Ready);
        Assert.Equal(3, healthy.HealthyTargets);
        Assert.Equal(3, healthy.RegisteredTargets);
    }

    [Fact]
    public async Task CheckHealth_BadImagePastDeadline_ThrowsHealthCheckFailedWithCounts()
    {
        var (h, request, plan, image) = await PlannedAsync(healthy: false);
        var version = await UpdateTemplateAsync(h, plan, image);
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        var deadline = h.Clock.GetUtcNow().AddMinutes(10);
        h.Clock.Advance(TimeSpan.FromMinutes(10));

        var error = await Assert.ThrowsAsync<HealthCheckFailed>(() =>
            h.RunAsync<CheckHealthInput, CheckHealthOutput>("CheckHealth", new CheckHealthInput(plan, version, deadline)));

        Assert.Contains("of 3 instances ready", error.Message, StringComparison.Ordinal);
        Assert.Contains(h.Topology.Green.AutoScalingGroupName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwapTraffic_CanaryStep_SetsWeightsIdempotently()
    {
        var (h, request, plan, version) = await HealthyAsync(Steps);
        var input = new SwapTrafficInput(plan, request, version, 0);

        var output = await AssertIdempotentAsync<SwapTrafficInput, SwapTrafficOutput>(h, "SwapTraffic", input);

        Assert.Equal((true, 10, 1, false), (output.Ready, output.Weight, output.NextIndex, output.Complete));
        Assert.Equal((90, 10), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
    }

    [Fact]
    public async Task SwapTraffic_LastStep_SendsEverythingToGreenAndCompletes()
    {
        var (h, request, plan, version) = await HealthyAsync(Steps);

        var output = await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 2));

        Assert.True(output.Complete);
        Assert.Equal((0, 100), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
    }

    [Fact]
    public async Task SwapTraffic_FirstDeployment_GoesStraightToFull()
    {
        var (h, request, plan, version) = await HealthyAsync(""","strategy":{"trafficSteps":[10,100]}""", initialCapacity: 0);

        var output = await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 0));

        Assert.Equal((true, 100, 1, true), (output.Ready, output.Weight, output.NextIndex, output.Complete));
        Assert.Equal(100, h.Fleet.Green.Weight);
    }

    [Fact]
    public async Task SwapTraffic_IndexOutsideSteps_ThrowsInvalidStepInput()
    {
        var (h, request, plan, _) = await PlannedAsync();

        await Assert.ThrowsAsync<InvalidStepInput>(() =>
            h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, 1, 1)));
    }

    [Fact]
    public async Task CheckAlarms_AlarmInAlarm_ThrowsAlarmTriggeredNamingIt()
    {
        var (h, _, plan, _) = await PlannedAsync();
        var alarm = h.Topology.AlarmNames[0];
        h.Region.SetAlarmState(alarm, AwsStates.AlarmAlarm, "5xx above 1%");

        var error = await Assert.ThrowsAsync<AlarmTriggered>(() =>
            h.RunAsync<CheckAlarmsInput, CheckAlarmsOutput>("CheckAlarms", new CheckAlarmsInput(plan, 0)));

        Assert.Contains(alarm, error.Message, StringComparison.Ordinal);
        Assert.Contains("5xx above 1%", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAlarms_BakeTimeWatch_PollsUntilWatchEnds()
    {
        var (h, _, plan, _) = await PlannedAsync();

        var first = await h.RunAsync<CheckAlarmsInput, CheckAlarmsOutput>("CheckAlarms", new CheckAlarmsInput(plan, 90));
        h.Clock.Advance(TimeSpan.FromSeconds(first.NextWaitSeconds));
        var second = await h.RunAsync<CheckAlarmsInput, CheckAlarmsOutput>("CheckAlarms", new CheckAlarmsInput(plan, 90, first.WatchUntil));
        h.Clock.Advance(TimeSpan.FromSeconds(second.NextWaitSeconds));
        var third = await h.RunAsync<CheckAlarmsInput, CheckAlarmsOutput>("CheckAlarms", new CheckAlarmsInput(plan, 90, first.WatchUntil));

        Assert.Equal(RegionHarness.Start.AddSeconds(90), first.WatchUntil);
        Assert.Equal((false, 60), (first.WatchComplete, first.NextWaitSeconds));
        Assert.Equal((false, 30), (second.WatchComplete, second.NextWaitSeconds));
        Assert.True(third.WatchComplete);
        Assert.Equal(2, third.AlarmsChecked);
    }

    [Fact]
    public async Task Finalize_AfterSwap_UnpinsGreenAndRecordsSucceededIdempotently()
    {
        var (h, request, plan, image) = await SwappedAsync(extra: ""","capacity":{"min":2,"desired":3,"max":6}""");
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));

        var output = await AssertIdempotentAsync<FinalizeInput, FinalizeOutput>(h, "Finalize", new FinalizeInput(plan, request, image, h.Execution));

        Assert.Equal(DeploymentResults.Deployed, output.Result);
        Assert.Equal((2, 6, 3), (h.Fleet.Green.MinSize, h.Fleet.Green.MaxSize, h.Fleet.Green.DesiredCapacity));
        var entry = Assert.Single(h.Region.LedgerEntries("web"));
        Assert.Equal((DeploymentResults.Deployed, image, RegionHarness.InitialImage, "green"), (entry.Result, entry.ImageId, entry.PreviousImageId, entry.Colour));
        // The colour made live now resolves the deployed image at launch; the other keeps what it ran.
        Assert.Equal(image, await h.Ports.Topologies.GetImageAsync("web", Colour.Green, CancellationToken.None));
        Assert.Equal(RegionHarness.InitialImage, await h.Ports.Topologies.GetImageAsync("web", Colour.Blue, CancellationToken.None));
    }

    [Fact]
    public async Task Finalize_ImageAlreadyRecorded_WritesNoNewParameterVersion()
    {
        var (h, request, plan, image) = await SwappedAsync();
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        Assert.True(await h.Ports.Topologies.PutImageAsync("web", Colour.Green, image, CancellationToken.None));

        await h.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(plan, request, image, h.Execution));

        Assert.False(await h.Ports.Topologies.PutImageAsync("web", Colour.Green, image, CancellationToken.None));
        Assert.Equal(image, await h.Ports.Topologies.GetImageAsync("web", Colour.Green, CancellationToken.None));
    }

    [Fact]
    public async Task ScaleDownPrevious_AfterFinalize_SetsBlueToZero()
    {
        var (h, _, plan, _) = await SwappedAsync();

        await AssertIdempotentAsync<ScaleDownPreviousInput, ScaleDownPreviousOutput>(h, "ScaleDownPrevious", new ScaleDownPreviousInput(plan, h.Execution));

        Assert.Equal((0, 0, 0, 100), (h.Fleet.Blue.MinSize, h.Fleet.Blue.MaxSize, h.Fleet.Blue.DesiredCapacity, h.Fleet.Green.Weight));
        Assert.Equal(3, h.Fleet.Green.DesiredCapacity);
    }

    [Fact]
    public async Task ScaleDownPrevious_FirstDeployment_HoldsTheEmptyColourAtZeroAndResumesItsProcesses()
    {
        var (h, request, plan, _) = await PlannedAsync(initialCapacity: 0);
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request, h.Execution));
        Assert.NotEmpty(h.Region.SuspendedProcessesOf("phoenix-web-blue"));

        var output = await h.RunAsync<ScaleDownPreviousInput, ScaleDownPreviousOutput>("ScaleDownPrevious", new ScaleDownPreviousInput(plan, h.Execution));

        Assert.Equal("phoenix-web-blue", output.AutoScalingGroupName);
        Assert.Equal((0, 0, 0), (h.Fleet.Blue.MinSize, h.Fleet.Blue.MaxSize, h.Fleet.Blue.DesiredCapacity));
        Assert.Empty(h.Region.SuspendedProcessesOf("phoenix-web-blue"));
    }

    [Fact]
    public async Task Rollback_AfterFullSwap_RestoresBlueEmptiesGreenAndRecordsCause()
    {
        var (h, request, plan, image) = await SwappedAsync();
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var input = new RollbackInput(plan, request, image, h.Execution, new StepError("AlarmTriggered", "web-target-5xx in ALARM"));

        var output = await AssertIdempotentAsync<RollbackInput, RollbackOutput>(h, "Rollback", input);

        Assert.Equal(("ROLLED_BACK", "blue"), (output.Result, output.RestoredColour));
        Assert.Equal((100, 0), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
        Assert.Equal((0, 0), (h.Fleet.Green.MinSize, h.Fleet.Green.DesiredCapacity));
        Assert.Equal((3, 6, 3), (h.Fleet.Blue.MinSize, h.Fleet.Blue.MaxSize, h.Fleet.Blue.DesiredCapacity));
        var entry = Assert.Single(h.Region.LedgerEntries("web"));
        Assert.Equal((DeploymentResults.RolledBack, "AlarmTriggered", "web-target-5xx in ALARM"), (entry.Result, entry.Error, entry.Cause));
    }

    [Fact]
    public async Task Rollback_RightAfterLaunchTemplateUpdate_LeavesBlueServingAndGreenEmpty()
    {
        var (h, request, plan, image) = await PlannedAsync();
        await UpdateTemplateAsync(h, plan, image);

        await AssertIdempotentAsync<RollbackInput, RollbackOutput>(h, "Rollback",
            new RollbackInput(plan, request, image, h.Execution, new StepError("States.Timeout", null)));

        Assert.Equal((100, 3), (h.Fleet.Blue.Weight, h.Fleet.Blue.DesiredCapacity));
        Assert.Equal((0, 0), (h.Fleet.Green.Weight, h.Fleet.Green.DesiredCapacity));
    }

    [Fact]
    public async Task Rollback_FirstDeploymentAfterSwap_RestoresObservedWeightsAndEmptiesGreen()
    {
        var (h, request, plan, image) = await SwappedAsync(initialCapacity: 0);

        await AssertIdempotentAsync<RollbackInput, RollbackOutput>(h, "Rollback",
            new RollbackInput(plan, request, image, h.Execution, new StepError("AlarmTriggered", "alarm")));

        Assert.Equal((100, 0), (h.Fleet.Blue.Weight, h.Fleet.Green.Weight));
        Assert.Equal(0, h.Fleet.Green.DesiredCapacity);
    }

    [Fact]
    public async Task ReleaseLock_AfterFailureBeforeAnyChange_ClosesLedgerAsFailedAndReleases()
    {
        var (h, request, _, _) = await PlannedAsync();
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var input = new ReleaseLockInput("web", h.Execution, new StepError("BakeFailed", "packer exited 1"));

        var output = await h.RunAsync<ReleaseLockInput, ReleaseLockOutput>("ReleaseLock", input);
        await AssertIdempotentAsync<ReleaseLockInput, ReleaseLockOutput>(h, "ReleaseLock", input);

        Assert.True(output.Released);
        Assert.Null(h.Region.PeekLock("web"));
        var entry = Assert.Single(h.Region.LedgerEntries("web"));
        Assert.Equal((DeploymentResults.Failed, "BakeFailed", "packer exited 1"), (entry.Result, entry.Error, entry.Cause));
    }

    [Fact]
    public async Task ReleaseLock_LockHeldByAnotherExecution_LeavesItHeld()
    {
        var (h, request, _, _) = await PlannedAsync();
        var other = h.NewExecution("deploy-2");
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, other));

        var output = await h.RunAsync<ReleaseLockInput, ReleaseLockOutput>("ReleaseLock", new ReleaseLockInput("web", h.Execution));

        Assert.False(output.Released);
        Assert.Equal(other.Id, h.Region.PeekLock("web")?.Owner);
    }

    [Fact]
    public async Task StartBake_RunTwice_StartsOneBakeThatCheckBakeSeesFinish()
    {
        var h = new RegionHarness();
        var request = await h.ValidateAsync("""{"application":"web","source":{"commit":"abc123","repository":"acme/web"}}""");
        var plan = await h.ResolveAsync(request);
        var input = new StartBakeInput(request, plan, h.Execution);

        var first = await h.RunAsync<StartBakeInput, StartBakeOutput>("StartBake", input);
        var second = await h.RunAsync<StartBakeInput, StartBakeOutput>("StartBake", input);
        var running = await h.RunAsync<CheckBakeInput, CheckBakeOutput>("CheckBake", new CheckBakeInput(first.BakeId, first.Deadline));
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        var done = await h.RunAsync<CheckBakeInput, CheckBakeOutput>("CheckBake", new CheckBakeInput(first.BakeId, first.Deadline));

        Assert.Equal(first.BakeId, second.BakeId);
        Assert.False(running.Done);
        Assert.True(done.Done);
        Assert.StartsWith("ami-", done.ImageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartBake_ProjectWithAnS3Source_RefusedWithoutStartingABuild()
    {
        // Validate refuses this request; StartBake must refuse it too, since the commit would reach CodeBuild as an S3 object version.
        var h = new RegionHarness();
        var request = await h.ValidateAsync("""{"application":"web","source":{"commit":"abc123","repository":"acme/web"}}""");
        var plan = await h.ResolveAsync(request);
        var s3 = new RegionHarness(bakeSourceType: "S3");

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() =>
            s3.RunAsync<StartBakeInput, StartBakeOutput>("StartBake", new StartBakeInput(request, plan with { Topology = s3.Topology }, s3.Execution)));

        Assert.Contains("has a source of type S3", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(s3.Changes, c => c.Kind == "Bake");
    }

    [Fact]
    public async Task CheckBake_BakeFails_ThrowsBakeFailedWithReason()
    {
        var h = new RegionHarness(faults: new FaultPlan { BakeFailureReason = "provisioner shell exited 2" });
        var request = await h.ValidateAsync("""{"application":"web"}""");
        var plan = await h.ResolveAsync(request);
        var bake = await h.RunAsync<StartBakeInput, StartBakeOutput>("StartBake", new StartBakeInput(request, plan, h.Execution));
        h.Clock.Advance(TimeSpan.FromMinutes(30));

        var error = await Assert.ThrowsAsync<BakeFailed>(() =>
            h.RunAsync<CheckBakeInput, CheckBakeOutput>("CheckBake", new CheckBakeInput(bake.BakeId, bake.Deadline)));

        Assert.Contains("provisioner shell exited 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckBake_StillRunningAtDeadline_ThrowsBakeFailed()
    {
        var h = new RegionHarness();
        var request = await h.ValidateAsync("""{"application":"web"}""");
        var plan = await h.ResolveAsync(request);
        var bake = await h.RunAsync<StartBakeInput, StartBakeOutput>("StartBake", new StartBakeInput(request, plan, h.Execution));

        var error = await Assert.ThrowsAsync<BakeFailed>(() =>
            h.RunAsync<CheckBakeInput, CheckBakeOutput>("CheckBake", new CheckBakeInput(bake.BakeId, h.Clock.GetUtcNow())));

        Assert.Contains("deadline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestApproval_Healthy_PublishesApproveAndRejectCommandsNamingTheExecution()
    {
        var (h, request, plan, image) = await PlannedAsync();
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));

        var output = await h.RunAsync<RequestApprovalInput, RequestApprovalOutput>("RequestApproval",
            new RequestApprovalInput(plan, request, image, "token-123", h.Execution));

        var message = Assert.Single(h.Region.Published);
        Assert.Equal(h.Topology.DeploymentTopicArn, output.TopicArn);
        var json = JsonNode.Parse(message.Message)!;
        Assert.Equal("custom", (string?)json["source"]);
        var steps = json["content"]!["nextSteps"]!.AsArray().Select(s => (string)s!).ToList();
        Assert.Contains($"phoenix approve {h.Execution.Id}", steps[0], StringComparison.Ordinal);
        Assert.Contains($"phoenix reject {h.Execution.Id}", steps[1], StringComparison.Ordinal);
        Assert.DoesNotContain("token-123", message.Message, StringComparison.Ordinal);
        Assert.Equal(output.ThreadId, (string?)json["metadata"]!["threadId"]);
    }

    [Fact]
    public async Task Notify_Succeeded_PublishesChatbotNotification()
    {
        var (h, _, plan, image) = await PlannedAsync();
        var state = new JsonObject
        {
            ["request"] = JsonNode.Parse("""{"application":"web"}"""),
            ["resolved"] = new JsonObject { ["plan"] = JsonSerializer.SerializeToNode(plan, CoreJsonContext.Default.DeploymentPlan) },
            ["image"] = new JsonObject { ["imageId"] = image },
        };

        var output = await h.RunAsync<NotifyInput, NotifyOutput>("Notify", new NotifyInput("DEPLOYED", h.Execution, state));

        var message = Assert.Single(h.Region.Published);
        var json = JsonNode.Parse(message.Message)!;
        Assert.Equal("DEPLOYED", output.Outcome);
        Assert.Equal("1.0", (string?)json["version"]);
        Assert.Equal("client-markdown", (string?)json["content"]!["textType"]);
        Assert.Contains(image, (string?)json["content"]!["description"], StringComparison.Ordinal);
        Assert.Equal("PhoenixDeploymentDEPLOYED", (string?)json["metadata"]!["eventType"]);
    }

    [Fact]
    public async Task Notify_FailedAfterRollback_ReportsRolledBackWithCause()
    {
        var h = new RegionHarness();
        var state = new JsonObject
        {
            ["request"] = JsonNode.Parse("""{"application":"web"}"""),
            ["error"] = new JsonObject { ["Error"] = "HealthCheckFailed", ["Cause"] = "0 of 3 ready" },
            ["rollback"] = new JsonObject { ["result"] = "ROLLED_BACK" },
        };

        var output = await h.RunAsync<NotifyInput, NotifyOutput>("Notify", new NotifyInput("FAILED", h.Execution, state));

        Assert.Equal("ROLLED_BACK", output.Outcome);
        var description = (string?)JsonNode.Parse(Assert.Single(h.Region.Published).Message)!["content"]!["description"];
        Assert.Contains("HealthCheckFailed", description, StringComparison.Ordinal);
        Assert.Contains("0 of 3 ready", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_RejectedRequestWithoutTopic_PublishesNothing()
    {
        var h = new RegionHarness();
        var state = new JsonObject { ["application"] = 42, ["error"] = new JsonObject { ["Error"] = "InvalidDeploymentRequest" } };

        var output = await h.RunAsync<NotifyInput, NotifyOutput>("Notify", new NotifyInput("REJECTED", h.Execution, state));

        Assert.Null(output.TopicArn);
        Assert.Empty(h.Region.Published);
    }

    private static async Task<(RegionHarness H, DeploymentRequest Request, DeploymentPlan Plan, string Image)> PlannedAsync(
        string extra = "", int capacity = 3, int? initialCapacity = null, bool healthy = true)
    {
        var h = new RegionHarness(capacity, initialCapacity);
        var image = h.RegisterImage(healthy);
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{image}}"{{extra}}}""");
        var plan = await h.ResolveAsync(request);
        return (h, request, plan, image);
    }

    /// <summary>Green scaled up and healthy, no traffic moved yet: the state after the health gate.</summary>
    private static async Task<(RegionHarness H, DeploymentRequest Request, DeploymentPlan Plan, long Version)> HealthyAsync(
        string extra = "", int? initialCapacity = null)
    {
        var (h, request, plan, image) = await PlannedAsync(extra, initialCapacity: initialCapacity);
        var version = await UpdateTemplateAsync(h, plan, image);
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        await h.WaitHealthyAsync(plan, version, HealthLimit);
        return (h, request, plan, version);
    }

    /// <summary>Green healthy and carrying all traffic, blue still pinned: the state before Finalize.</summary>
    private static async Task<(RegionHarness H, DeploymentRequest Request, DeploymentPlan Plan, string Image)> SwappedAsync(
        string extra = "", int? initialCapacity = null)
    {
        var (h, request, plan, version) = await HealthyAsync(extra, initialCapacity);
        await h.RunAsync<SwapTrafficInput, SwapTrafficOutput>("SwapTraffic", new SwapTrafficInput(plan, request, version, 0));
        return (h, request, plan, plan.ImageId!);
    }

    private static async Task<long> UpdateTemplateAsync(RegionHarness h, DeploymentPlan plan, string image) =>
        (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;

    /// <summary>Runs the step twice on the same input: the region after the second run equals the region after the first.</summary>
    private static async Task<TOutput> AssertIdempotentAsync<TInput, TOutput>(RegionHarness h, string step, TInput input)
    {
        var first = await h.RunAsync<TInput, TOutput>(step, input);
        var afterFirst = h.Snapshot();
        var second = await h.RunAsync<TInput, TOutput>(step, input);

        Assert.Equal(afterFirst, h.Snapshot());
        Assert.Equal(first, second);
        return first;
    }
}
