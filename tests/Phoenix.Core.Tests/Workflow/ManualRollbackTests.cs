using System.Text.Json;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary><c>phoenix rollback</c>'s logic over the simulated region, after a deployment of a new image to green.</summary>
public class ManualRollbackTests
{
    private const string Alice = "arn:aws:iam::000000000000:user/alice";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Run_PreviousColourStillWarm_MovesTrafficBackEmptiesTheOtherAndRecordsIt()
    {
        var d = await DeployedAsync();
        await d.H.Ports.Locks.ReleaseAsync(RegionHarness.Application, d.H.Execution.Id, None);

        var report = await Rollback(d).RunAsync(new ManualRollbackRequest(RegionHarness.Application, Alice, "p99 doubled"), null, None);

        Assert.Equal((100, 0), (d.H.Fleet.Blue.Weight, d.H.Fleet.Green.Weight));
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Green));
        Assert.Equal(3, d.H.Fleet.Blue.DesiredCapacity);
        Assert.Equal(("green", "blue", RegionHarness.InitialImage, d.Image), (report.From, report.To, report.ImageId, report.ReplacedImageId));
        Assert.Null(report.TookOverExecution);
        var entry = d.H.Region.LedgerEntries(RegionHarness.Application).Single(r => r.DeploymentId == report.DeploymentId);
        Assert.Equal((DeploymentResults.RolledBack, ManualRollback.Trigger, Alice, "p99 doubled"), (entry.Result, entry.Trigger, entry.StartedBy, entry.Cause));
        Assert.Equal(("blue", RegionHarness.InitialImage, d.Image), (entry.Colour, entry.ImageId, entry.PreviousImageId));
        Assert.Null(d.H.Region.PeekLock(RegionHarness.Application));
        var chat = JsonDocument.Parse(d.H.Region.Published[^1].Message).RootElement.GetProperty("content");
        Assert.Equal("web: rolled back to blue by hand", chat.GetProperty("title").GetString());
        Assert.Contains(Alice, chat.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DeploymentKeepingPreviousWarm_StopsItAndRollsBackInItsName()
    {
        var d = await DeployedAsync();
        var stopper = new RecordingStopper();

        var report = await Rollback(d).RunAsync(new ManualRollbackRequest(RegionHarness.Application, Alice), stopper, None);

        var stop = Assert.Single(stopper.Calls);
        Assert.Equal((d.H.Execution.Id, DeploymentCleanup.ManualRollbackError), (stop.Arn, stop.Error));
        Assert.Equal(d.H.Execution.Id, report.TookOverExecution);
        Assert.Equal((100, 0), (d.H.Fleet.Blue.Weight, d.H.Fleet.Green.Weight));
        Assert.Equal((d.BlueBefore.Item1, 3), (d.H.Fleet.Blue.MinSize, d.H.Fleet.Blue.DesiredCapacity));
        var blue = await d.H.Ports.AutoScaling.DescribeAutoScalingGroupAsync(d.H.Topology.Blue.AutoScalingGroupName, None);
        Assert.Equal([ScalingProcesses.AlarmNotification], blue!.SuspendedProcesses);
        Assert.Null(d.H.Region.PeekLock(RegionHarness.Application));
        Assert.StartsWith($"Rolled back by {Alice}", d.Entry.Warning, StringComparison.Ordinal);
        Assert.Equal(DeploymentResults.Deployed, d.Entry.Result);
    }

    [Fact]
    public async Task Run_DeploymentKeepingPreviousWarmWithoutAStopper_RefusesNamingIt()
    {
        var d = await DeployedAsync();
        var before = d.H.Snapshot();

        var error = await Assert.ThrowsAsync<DeploymentLocked>(() => Rollback(d).RunAsync(new ManualRollbackRequest(RegionHarness.Application, Alice), null, None));

        Assert.Contains(d.H.Execution.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("reached DEPLOYED", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, d.H.Snapshot());
    }

    [Fact]
    public async Task Run_DeploymentInProgress_RefusesNamingItAndStopsNothing()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        var stopper = new RecordingStopper();
        var before = d.H.Snapshot();

        var error = await Assert.ThrowsAsync<DeploymentLocked>(() => Rollback(d).RunAsync(new ManualRollbackRequest(RegionHarness.Application, Alice), stopper, None));

        Assert.Contains($"locked by {d.H.Execution.Id}", error.Message, StringComparison.Ordinal);
        Assert.Empty(stopper.Calls);
        Assert.Equal(before, d.H.Snapshot());
    }

    [Fact]
    public async Task Run_PreviousColourScaledDown_RefusesNamingItsCapacity()
    {
        var d = await DeployedAsync();
        await d.H.RunAsync<ScaleDownPreviousInput, ScaleDownPreviousOutput>("ScaleDownPrevious", new ScaleDownPreviousInput(d.Plan, d.H.Execution));
        await d.H.Ports.Locks.ReleaseAsync(RegionHarness.Application, d.H.Execution.Id, None);
        var before = d.H.Snapshot();

        var error = await Assert.ThrowsAsync<RollbackRefused>(() => Rollback(d).RunAsync(new ManualRollbackRequest(RegionHarness.Application, Alice), null, None));

        Assert.StartsWith("blue is not warm: 0 of 0 desired instances ready in phoenix-web-blue", error.Message, StringComparison.Ordinal);
        Assert.Contains("the live green has desired 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, d.H.Snapshot());
    }

    [Fact]
    public async Task Run_SplitTraffic_Refuses()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        await d.H.Ports.Locks.ReleaseAsync(RegionHarness.Application, d.H.Execution.Id, None);

        var error = await Assert.ThrowsAsync<RollbackRefused>(() => Rollback(d).RunAsync(new ManualRollbackRequest(RegionHarness.Application, Alice), null, None));

        Assert.Contains("blue 50 / green 50", error.Message, StringComparison.Ordinal);
        Assert.Null(d.H.Region.PeekLock(RegionHarness.Application));
    }

    [Fact]
    public async Task Run_OtherColourOnAnotherImage_Refuses()
    {
        var d = await DeployedAsync();
        await d.H.Ports.Locks.ReleaseAsync(RegionHarness.Application, d.H.Execution.Id, None);
        await d.H.Ports.Ledger.PutAsync(d.Entry with { PreviousImageId = "ami-0000000000000dead" }, None);

        var error = await Assert.ThrowsAsync<RollbackRefused>(() => Rollback(d).RunAsync(new ManualRollbackRequest(RegionHarness.Application, Alice), null, None));

        Assert.Equal($"blue runs {RegionHarness.InitialImage}, not ami-0000000000000dead, the image the last deployment replaced. Nothing was changed.", error.Message);
        Assert.Equal(100, d.H.Fleet.Green.Weight);
    }

    [Fact]
    public async Task Run_UnknownApplication_ThrowsApplicationNotFound()
    {
        var d = await DeployedAsync();

        await Assert.ThrowsAsync<ApplicationNotFound>(() => Rollback(d).RunAsync(new ManualRollbackRequest("shop", Alice), null, None));
    }

    private static ManualRollback Rollback(StoppedDeployment d) => new(d.H.Ports, d.H.Clock, WorkflowSettings.Default);

    /// <summary>Green live at 100% and Finalize done (DEPLOYED); blue still warm; the execution still holds the lock.</summary>
    private static async Task<StoppedDeployment> DeployedAsync()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 100);
        var restore = d.Entry.Restore;
        await d.H.RunAsync<FinalizeInput, FinalizeOutput>("Finalize", new FinalizeInput(d.Plan, d.Request, d.Image, d.H.Execution));
        if (d.Entry.Restore is null)
        {
            await d.H.Ports.Ledger.PutAsync(d.Entry with { Restore = restore }, None);
        }

        return d;
    }

    private sealed class RecordingStopper : IExecutionStopper
    {
        public List<(string Arn, string Error, string Cause)> Calls { get; } = [];

        public Task<string> StopAsync(string executionArn, string errorName, string cause, CancellationToken cancellationToken)
        {
            Calls.Add((executionArn, errorName, cause));
            return Task.FromResult("ABORTED");
        }
    }
}
