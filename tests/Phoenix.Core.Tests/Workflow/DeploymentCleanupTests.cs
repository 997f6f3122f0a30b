using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// Cleanup of executions that stopped without their own ending, over the simulated region: the deployment is driven
/// through the real steps up to the moment it is stopped, then <see cref="DeploymentCleanup"/> runs as the status-change
/// event or <c>phoenix abort</c> would run it.
/// </summary>
public class DeploymentCleanupTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Cleanup_AbortedMidCanary_PutsTheFleetBackAndClosesTheEntryAborted()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);

        var report = await d.CleanupAsync("ABORTED", "Stopped", "by alice");

        Assert.Equal((100, 0), (d.H.Fleet.Blue.Weight, d.H.Fleet.Green.Weight));
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Green));
        // Only MinSize is pinned by a deployment (FleetRestore), so only MinSize is given back.
        Assert.Equal((d.BlueBefore.Item1, d.BlueBefore.Item3), (d.H.Fleet.Blue.MinSize, d.H.Fleet.Blue.DesiredCapacity));
        Assert.Equal([ScalingProcesses.AlarmNotification], await SuspendedAsync(d.H, d.H.Topology.Blue));
        Assert.Empty(await SuspendedAsync(d.H, d.H.Topology.Green));
        var entry = Entry(d);
        Assert.Equal(DeploymentResults.Aborted, entry.Result);
        Assert.Equal("Stopped", entry.Error);
        Assert.StartsWith("Execution ABORTED: by alice. Cleanup: Traffic: 100% to blue (was blue 50 / green 50).", entry.Cause, StringComparison.Ordinal);
        Assert.Null(entry.Warning);
        Assert.NotNull(entry.FinishedAt);
        Assert.Null(d.H.Region.PeekLock(RegionHarness.Application));
        Assert.True(report.LockReleased);
        Assert.Null(report.ManualActionNeeded);
        Assert.Equal(DeploymentResults.Aborted, report.LedgerResult);
        Assert.Contains(report.Changed, c => c.StartsWith("green (phoenix-web-green): min/max/desired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cleanup_RunTwice_SecondRunChangesNothing()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        await d.CleanupAsync("TIMED_OUT");
        var after = d.H.Snapshot();

        var second = await d.CleanupAsync("TIMED_OUT");

        Assert.Equal(after, d.H.Snapshot());
        Assert.Empty(second.Changed);
        Assert.False(second.LockReleased);
        Assert.Equal(DeploymentResults.Aborted, second.LedgerResult);
    }

    [Fact]
    public async Task Cleanup_TimedOutWithoutError_RecordsStatesTimeout()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 0);

        await d.CleanupAsync("TIMED_OUT");

        Assert.Equal("States.Timeout", Entry(d).Error);
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Green));
    }

    [Theory]
    [InlineData("RUNNING")]
    [InlineData("PENDING_REDRIVE")]
    [InlineData("SUCCEEDED")]
    public async Task Cleanup_ExecutionNotStopped_ChangesNothing(string status)
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        var before = d.H.Snapshot();

        var report = await d.CleanupAsync(status);

        Assert.Equal(before, d.H.Snapshot());
        Assert.Empty(report.Changed);
        Assert.Contains(status, report.LeftAsItWas[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleanup_PreviousColourBelowCapacity_KeepsTrafficAndLockUntilItRecovers()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        var blueInstance = (await d.H.Ports.AutoScaling.DescribeAutoScalingGroupAsync(d.H.Topology.Blue.AutoScalingGroupName, None))!.Instances[0].InstanceId;
        await d.H.Ports.AutoScaling.TerminateInstanceInAutoScalingGroupAsync(blueInstance, shouldDecrementDesiredCapacity: false, None);

        var first = await d.CleanupAsync("ABORTED");

        Assert.NotNull(first.ManualActionNeeded);
        Assert.Contains("2 of 3 desired instances ready in phoenix-web-blue", first.ManualActionNeeded, StringComparison.Ordinal);
        Assert.Equal((50, 50), (d.H.Fleet.Blue.Weight, d.H.Fleet.Green.Weight));
        Assert.Equal(3, d.H.Fleet.Green.DesiredCapacity);
        Assert.Equal(d.H.Execution.Id, d.H.Region.PeekLock(RegionHarness.Application)?.Owner);
        Assert.Equal(DeploymentResults.Aborted, Entry(d).Result);
        Assert.Equal(first.ManualActionNeeded, Entry(d).Warning);

        await WaitUntilAsync(d.H, () => d.H.Fleet.Blue.HealthyTargets == 3);
        var second = await d.CleanupAsync("ABORTED");

        Assert.Null(second.ManualActionNeeded);
        Assert.Equal((100, 0), (d.H.Fleet.Blue.Weight, d.H.Fleet.Green.Weight));
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Green));
        Assert.Null(d.H.Region.PeekLock(RegionHarness.Application));
        Assert.Null(Entry(d).Warning);
    }

    [Fact]
    public async Task Cleanup_AbortedWhileKeepingPreviousWarm_FinishesForwardAndKeepsDeployed()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 100);
        var restore = Entry(d).Restore;
        await d.H.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(d.Plan, d.Request, d.Image, d.H.Execution));
        if (Entry(d).Restore is null)
        {
            // Whether Finalize keeps the restore point on the entry or not, cleanup must resume what is still suspended.
            await d.H.Ports.Ledger.PutAsync(Entry(d) with { Restore = restore }, None);
        }

        var greenBefore = StoppedDeployment.Sizes(d.H.Fleet.Green);

        var report = await d.CleanupAsync("ABORTED");

        Assert.Equal((0, 100), (d.H.Fleet.Blue.Weight, d.H.Fleet.Green.Weight));
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Blue));
        Assert.Equal(greenBefore, StoppedDeployment.Sizes(d.H.Fleet.Green));
        Assert.Equal([ScalingProcesses.AlarmNotification], await SuspendedAsync(d.H, d.H.Topology.Blue));
        Assert.Empty(await SuspendedAsync(d.H, d.H.Topology.Green));
        var entry = Entry(d);
        Assert.Equal(DeploymentResults.Deployed, entry.Result);
        Assert.Equal("Execution ABORTED while keeping blue warm; cleanup scaled blue to 0/0/0.", entry.Warning);
        Assert.True(report.LockReleased);
    }

    [Fact]
    public async Task Cleanup_LockTakenByALaterDeployment_LeavesTheFleetAlone()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        await d.H.Ports.Locks.ReleaseAsync(RegionHarness.Application, d.H.Execution.Id, None);
        var later = d.H.NewExecution("deploy-2");
        await d.H.Ports.Locks.TryAcquireAsync(RegionHarness.Application, later.Id, d.H.Clock.GetUtcNow().AddHours(1), None);
        var fleetBefore = d.H.Fleet with { At = default };

        var report = await d.CleanupAsync("ABORTED");

        Assert.Equal(fleetBefore, d.H.Fleet with { At = default });
        Assert.Equal(later.Id, d.H.Region.PeekLock(RegionHarness.Application)?.Owner);
        Assert.Contains(report.LeftAsItWas, l => l.Contains($"locked by {later.Id}", StringComparison.Ordinal));
        Assert.Equal(DeploymentResults.Aborted, Entry(d).Result);
        Assert.Contains("not cleaned up", Entry(d).Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleanup_LockExpiredAndNothingStartedSince_TakesItAgainAndCleans()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        await d.H.Ports.Locks.ReleaseAsync(RegionHarness.Application, d.H.Execution.Id, None);

        var report = await d.CleanupAsync("ABORTED");

        Assert.Equal((100, 0), (d.H.Fleet.Blue.Weight, d.H.Fleet.Green.Weight));
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Green));
        Assert.True(report.LockReleased);
        Assert.Null(d.H.Region.PeekLock(RegionHarness.Application));
    }

    [Fact]
    public async Task Cleanup_LaterDeploymentInTheLedger_LeavesTheFleetAlone()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        await d.H.Ports.Locks.ReleaseAsync(RegionHarness.Application, d.H.Execution.Id, None);
        d.H.Clock.Advance(TimeSpan.FromMinutes(1));
        await d.H.Ports.Ledger.PutAsync(Entry(d) with { DeploymentId = "deploy-2", StartedAt = d.H.Clock.GetUtcNow(), Result = DeploymentResults.Deployed }, None);
        var fleetBefore = d.H.Fleet with { At = default };

        var report = await d.CleanupAsync("ABORTED");

        Assert.Equal(fleetBefore, d.H.Fleet with { At = default });
        Assert.Contains(report.LeftAsItWas, l => l.StartsWith("Deployment deploy-2 (DEPLOYED) started after this one", StringComparison.Ordinal));
        Assert.Null(d.H.Region.PeekLock(RegionHarness.Application));
    }

    [Fact]
    public async Task Cleanup_RollbackFailed_LeavesLockAndFleetForTheOperator()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        await d.H.Ports.Ledger.PutAsync(Entry(d) with { Result = DeploymentResults.RollbackFailed }, None);
        var before = d.H.Snapshot();

        var report = await d.CleanupAsync("FAILED", "FleetInconsistent");

        Assert.Equal(before, d.H.Snapshot());
        Assert.Equal(d.H.Execution.Id, d.H.Region.PeekLock(RegionHarness.Application)?.Owner);
        Assert.Contains("ROLLBACK_FAILED", report.LeftAsItWas[0], StringComparison.Ordinal);
        Assert.StartsWith("deploy-1 ended ROLLBACK_FAILED", report.ManualActionNeeded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleanup_StoppedByManualRollback_LeavesItToTheRollback()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        var before = d.H.Snapshot();

        var report = await d.CleanupAsync("ABORTED", DeploymentCleanup.ManualRollbackError, "Manual rollback by bob.");

        Assert.Equal(before, d.H.Snapshot());
        Assert.False(report.LockReleased);
    }

    [Fact]
    public async Task Cleanup_StoppedBeforeAnyChange_ClosesEntryAndReleasesLock()
    {
        var h = new RegionHarness();
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{h.RegisterImage()}}"}""");
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var fleetBefore = h.Fleet with { At = default };
        var cleanup = new DeploymentCleanup(h.Ports, h.Clock);

        var report = await cleanup.CleanupAsync(new ExecutionEnding(h.Execution.Id, RegionHarness.Application, "ABORTED"), None);

        Assert.Equal(fleetBefore, h.Fleet with { At = default });
        Assert.Null(h.Region.PeekLock(RegionHarness.Application));
        var entry = Assert.Single(h.Region.LedgerEntries(RegionHarness.Application));
        Assert.Equal((DeploymentResults.Aborted, "Aborted"), (entry.Result, entry.Error));
        Assert.Contains(report.LeftAsItWas, l => l.Contains("before its first change", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cleanup_NoLedgerEntryButOwnLock_ReleasesIt()
    {
        var h = new RegionHarness();
        await h.Ports.Locks.TryAcquireAsync(RegionHarness.Application, h.Execution.Id, h.Clock.GetUtcNow().AddHours(1), None);

        var report = await new DeploymentCleanup(h.Ports, h.Clock).CleanupAsync(new ExecutionEnding(h.Execution.Id, RegionHarness.Application, "FAILED"), None);

        Assert.True(report.LockReleased);
        Assert.Null(report.LedgerResult);
        Assert.Empty(h.Region.LedgerEntries(RegionHarness.Application));
    }

    [Fact]
    public async Task Cleanup_FirstDeploymentAlreadyServing_KeepsTheNewColourServingAndHoldsTheEmptyOneAtZero()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 100, initialCapacity: 0);

        var report = await d.CleanupAsync("ABORTED");

        Assert.Equal(100, d.H.Fleet.Green.Weight);
        Assert.Equal(3, d.H.Fleet.Green.DesiredCapacity);
        Assert.Equal((0, 0, 0), (d.H.Fleet.Blue.MinSize, d.H.Fleet.Blue.MaxSize, d.H.Fleet.Blue.DesiredCapacity));
        Assert.Contains(report.LeftAsItWas, l => l.Contains("first deployment", StringComparison.Ordinal));
        Assert.True(report.LockReleased);
        Assert.Equal(DeploymentResults.Aborted, Entry(d).Result);
    }

    [Fact]
    public async Task Cleanup_FirstDeploymentMarkedTrafficMovedWhileTheListenerReadsNone_FinishesForwardInsteadOfEmptyingIt()
    {
        // SwapTraffic marks the restore point before its first listener change; a describe that lags that change reads
        // 0% on green. The mark wins: green, the only colour with instances, is not emptied.
        var d = await StoppedDeployment.StartAsync(greenWeight: 0, initialCapacity: 0);
        var entry = Entry(d);
        await d.H.Ports.Ledger.PutAsync(entry with { Restore = entry.Restore! with { TrafficMoved = true } }, None);

        await d.CleanupAsync("ABORTED");

        Assert.Equal((100, 3), (d.H.Fleet.Green.Weight, d.H.Fleet.Green.DesiredCapacity));
        Assert.Equal((0, 0, 0), (d.H.Fleet.Blue.MinSize, d.H.Fleet.Blue.MaxSize, d.H.Fleet.Blue.DesiredCapacity));
    }

    [Fact]
    public async Task Cleanup_DescribeAnswersFromBeforeTheScaleUp_EmptiesGreenAnyway()
    {
        // Aborted seconds after ScaleUpGreen: a replica that has not seen the scale-up answers 0/0/0 for green. Cleanup's
        // write is absolute, so green does not keep launching instances nobody will ever send traffic to.
        var d = await StoppedDeployment.StartAsync(greenWeight: 0);
        var green = d.H.Topology.Green.AutoScalingGroupName;
        var stale = new RewrittenDescribe(d.H.Ports.AutoScaling, green, g => g with { MinSize = 0, MaxSize = 0, DesiredCapacity = 0, Instances = [] });

        await new DeploymentCleanup(d.H.Ports with { AutoScaling = stale }, d.H.Clock)
            .CleanupAsync(new ExecutionEnding(d.H.Execution.Id, RegionHarness.Application, "ABORTED"), None);

        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Green));
        Assert.Equal(DeploymentResults.Aborted, Entry(d).Result);
    }

    [Fact]
    public async Task Cleanup_FirstDeploymentGreenNotYetSeenHealthy_ChangesNothingAndAsksToRunAgain()
    {
        // Aborted the instant SwapTraffic marked the restore point: a lagging describe does not show green's targets healthy
        // yet. Cleanup neither empties the only colour with instances nor leaves it idle on a guess: it fails, changing
        // nothing, and the redelivered event (or `phoenix abort` again) finishes forward once the describes settle.
        var d = await StoppedDeployment.StartAsync(greenWeight: 0, initialCapacity: 0);
        var entry = Entry(d);
        await d.H.Ports.Ledger.PutAsync(entry with { Restore = entry.Restore! with { TrafficMoved = true } }, None);
        var unseen = new RewrittenDescribe(d.H.Ports.AutoScaling, d.H.Topology.Green.AutoScalingGroupName, g => g with { Instances = [] });
        var before = d.H.Snapshot();

        var error = await Assert.ThrowsAsync<TransientFailure>(() => new DeploymentCleanup(d.H.Ports with { AutoScaling = unseen }, d.H.Clock)
            .CleanupAsync(new ExecutionEnding(d.H.Execution.Id, RegionHarness.Application, "ABORTED"), None));
        Assert.Contains("green is not seen at capacity yet (0 of 3 desired instances ready", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, d.H.Snapshot());

        await d.CleanupAsync("ABORTED");

        Assert.Equal((100, 3), (d.H.Fleet.Green.Weight, d.H.Fleet.Green.DesiredCapacity));
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Blue));
    }

    [Fact]
    public async Task Cleanup_FirstDeploymentGreenAlreadyEmptiedWhileTheListenerStillNamesBlue_HoldsBlueAtZero()
    {
        // Stopped while rolling back a first deployment: green is already 0/0/0 and the listener forwards to the empty blue,
        // which never ran anything: it is held at 0/0/0 as between deployments.
        var d = await StoppedDeployment.StartAsync(greenWeight: 0, initialCapacity: 0);
        var entry = Entry(d);
        await d.H.Ports.Ledger.PutAsync(entry with { Restore = entry.Restore! with { TrafficMoved = true } }, None);
        await d.H.Ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(d.H.Topology.Green.AutoScalingGroupName, MinSize: 0, MaxSize: 0, DesiredCapacity: 0), None);

        await d.CleanupAsync("ABORTED");

        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Blue));
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Green));
        Assert.Equal(DeploymentResults.Aborted, Entry(d).Result);
    }

    private static async Task<IReadOnlyList<string>> SuspendedAsync(RegionHarness h, ColourResources colour) =>
        (await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(colour.AutoScalingGroupName, None))!.SuspendedProcesses ?? [];

    private static DeploymentRecord Entry(StoppedDeployment d) => d.Entry;

    private static async Task WaitUntilAsync(RegionHarness h, Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(15));
            await Task.Yield();
        }

        Assert.True(condition());
    }
}
