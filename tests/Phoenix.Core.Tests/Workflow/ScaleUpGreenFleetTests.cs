using System.Text.Json;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>ScaleUpGreen against a fleet that is not idealised: leftovers in the idle group, suspensions that are not ours.</summary>
public class ScaleUpGreenFleetTests
{
    private static readonly TimeSpan HealthLimit = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task ScaleUpGreen_IdleGroupHasOldVersionInstances_ReplacesThemAndGetsHealthyBeforeDeadline()
    {
        var h = new RegionHarness();
        // Leftovers: a scheduled action (or a failed scale-down) left two green instances running the old version.
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(h.Topology.Green.AutoScalingGroupName, MinSize: 2, DesiredCapacity: 2), CancellationToken.None);
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var leftovers = await InstancesAsync(h, h.Topology.Green.AutoScalingGroupName);
        var (request, plan, version) = await PlanAsync(h);

        var output = await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request, h.Execution));
        var healthy = await h.WaitHealthyAsync(plan, version, HealthLimit);

        Assert.Equal(2, leftovers.Count);
        Assert.Equal(leftovers.Order(StringComparer.Ordinal), plan.IdleInstances!.Order(StringComparer.Ordinal));
        Assert.Equal(leftovers.Order(StringComparer.Ordinal), output.ReplacedInstances!.Order(StringComparer.Ordinal));
        Assert.True(healthy.Healthy);
        Assert.Equal(3, healthy.Ready);
        Assert.Equal(3, h.Fleet.Green.DesiredCapacity);
    }

    [Fact]
    public async Task ScaleUpGreen_DescribeAnswersFromBeforeTheNewVersion_StillReplacesTheLeftovers()
    {
        // UpdateLaunchTemplate set the new version seconds ago; a replica that has not seen that write answers with the old
        // one, on which the leftovers look current. The step judges them against the version it was given instead.
        var h = new RegionHarness();
        var green = h.Topology.Green.AutoScalingGroupName;
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(green, MinSize: 2, DesiredCapacity: 2), CancellationToken.None);
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var old = (await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(green, CancellationToken.None))!.LaunchTemplate;
        var (request, plan, version) = await PlanAsync(h);
        var lagging = new RewrittenDescribe(h.Ports.AutoScaling, green, g => g with { LaunchTemplate = old });

        var output = await new ScaleUpGreenStep(h.Ports with { AutoScaling = lagging }, h.Clock)
            .ExecuteAsync(new ScaleUpGreenInput(plan, request, h.Execution, version), CancellationToken.None);

        Assert.Equal(2, output.ReplacedInstances?.Count);
        Assert.True((await h.WaitHealthyAsync(plan, version, HealthLimit)).Healthy);
    }

    [Fact]
    public async Task ScaleUpGreen_LiveGroupWithOwnSuspension_RecordsOnlyWhatItSuspendsBeforeChanging()
    {
        var h = new RegionHarness();
        var blue = h.Topology.Blue.AutoScalingGroupName;
        var green = h.Topology.Green.AutoScalingGroupName;
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(blue, MinSize: 1), CancellationToken.None);
        await h.Ports.AutoScaling.SuspendProcessesAsync(blue, [ScalingProcesses.ScheduledActions], CancellationToken.None);
        var (request, plan, _) = await PlanAsync(h);
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));

        var output = await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request, h.Execution));

        var recorded = Assert.Single(h.Region.LedgerEntries("web")).Restore;
        Assert.NotNull(recorded);
        Assert.Equal("blue", recorded.PreviousColour);
        Assert.Equal(new Capacity(1, 6, 3), recorded.PreviousCapacity);
        Assert.Equal("green", recorded.TargetColour);
        Assert.Equal([ScalingProcesses.AzRebalance], recorded.SuspendedProcesses[blue]);
        Assert.Equal([ScalingProcesses.AzRebalance, ScalingProcesses.ScheduledActions], recorded.SuspendedProcesses[green]);
        Assert.Equal(Json(recorded), Json(output.Restore));
        var live = await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(blue, CancellationToken.None);
        Assert.Equal((3, 6), (live!.MinSize, live.MaxSize));
        Assert.Contains(ScalingProcesses.AzRebalance, live.SuspendedProcesses!);
        Assert.Contains(ScalingProcesses.ScheduledActions, live.SuspendedProcesses!);
    }

    [Fact]
    public async Task ScaleUpGreen_Retried_ReusesRecordedRestorePointInsteadOfNothingSuspended()
    {
        var h = new RegionHarness();
        var (request, plan, _) = await PlanAsync(h);
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var input = new ScaleUpGreenInput(plan, request, h.Execution);
        var first = await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", input);
        var ledger = h.Snapshot();

        var second = await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", input);

        Assert.Equal(Json(first.Restore), Json(second.Restore));
        Assert.Equal([ScalingProcesses.AzRebalance, ScalingProcesses.ScheduledActions], second.Restore!.SuspendedProcesses[h.Topology.Blue.AutoScalingGroupName]);
        Assert.Equal(new Capacity(3, 6, 3), second.Restore.PreviousCapacity);
        Assert.Equal(ledger, h.Snapshot());
    }

    [Fact]
    public async Task ScaleUpGreen_WithoutExecution_SuspendsNothingItCouldNotRecord()
    {
        var h = new RegionHarness();
        var (request, plan, _) = await PlanAsync(h);

        var output = await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));

        Assert.All(output.Restore!.SuspendedProcesses.Values, Assert.Empty);
        var blue = await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(h.Topology.Blue.AutoScalingGroupName, CancellationToken.None);
        Assert.Null(blue!.SuspendedProcesses);
        Assert.Equal(3, blue.MinSize);
    }

    [Fact]
    public async Task FleetRestore_AfterScaleUp_ResumesOnlyOurProcessesAndGivesLiveMinBack()
    {
        var h = new RegionHarness();
        var blue = h.Topology.Blue.AutoScalingGroupName;
        await h.Ports.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(blue, MinSize: 1), CancellationToken.None);
        await h.Ports.AutoScaling.SuspendProcessesAsync(blue, [ScalingProcesses.ScheduledActions], CancellationToken.None);
        var (request, plan, _) = await PlanAsync(h);
        await h.RunAsync<AcquireLockInput, AcquireLockOutput>("AcquireLock", new AcquireLockInput(request, h.Execution));
        var output = await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request, h.Execution));

        await FleetRestore.RestoreAsync(h.Ports.AutoScaling, h.Topology, output.Restore!, CancellationToken.None);

        var live = await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(blue, CancellationToken.None);
        var idle = await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(h.Topology.Green.AutoScalingGroupName, CancellationToken.None);
        Assert.Equal((1, 6, 3), (live!.MinSize, live.MaxSize, live.DesiredCapacity));
        Assert.Equal([ScalingProcesses.ScheduledActions], live.SuspendedProcesses);
        Assert.Null(idle!.SuspendedProcesses);
    }

    private static async Task<(DeploymentRequest Request, DeploymentPlan Plan, long Version)> PlanAsync(RegionHarness h)
    {
        var image = h.RegisterImage();
        var request = await h.ValidateAsync($$"""{"application":"web","imageId":"{{image}}"}""");
        var plan = await h.ResolveAsync(request);
        var version = (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;
        return (request, plan, version);
    }

    private static string Json(RestorePoint? restore) => JsonSerializer.Serialize(restore, typeof(RestorePoint), CoreJsonContext.Default);

    private static async Task<List<string>> InstancesAsync(RegionHarness h, string group) =>
        [.. (await h.Ports.AutoScaling.DescribeAutoScalingGroupAsync(group, CancellationToken.None))!.Instances.Select(i => i.InstanceId)];
}
