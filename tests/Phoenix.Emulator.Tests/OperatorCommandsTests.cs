using Phoenix.Aws.Adapters;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests;

/// <summary>
/// <c>phoenix abort</c>, <c>phoenix rollback</c> and <c>phoenix unlock</c> end to end against the emulator: a fleet provisioned as the CDK fleet
/// stack builds it, left in the state a deployment leaves it in when it is stopped (or when it reached DEPLOYED with the
/// previous colour still warm), then the command, then the fleet, ledger and lock as AWS reports them. moto's Step
/// Functions runs no Phoenix workflow; the execution is a recording-mode one that stays RUNNING until StopExecution.
/// </summary>
public sealed class OperatorCommandsTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto), IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private ProcessEnvironment? _environment;
    private EmulatorFleet? _fleet;

    private EmulatorFleet Fleet => _fleet ?? throw new InvalidOperationException("No fleet.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _environment = CliRunner.Environment();
        _fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
    }

    public void Dispose()
    {
        _fleet?.Dispose();
        _environment?.Dispose();
    }

    [EmulatorFact]
    public async Task Abort_DeploymentStoppedMidCanary_PutsTheFleetBackAndClosesItsEntry()
    {
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var stepFunctions = Moto.Clients().StepFunctions();
        var execution = (await stepFunctions.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = "web-abort", Input = "{\"application\":\"web\"}" })).ExecutionArn!;
        var topology = Fleet.Topology;
        using var autoScalingClient = Moto.Clients().AutoScaling();
        var autoScaling = new AutoScalingAdapter(autoScalingClient);
        using var elb = Moto.Clients().ElasticLoadBalancingV2();
        var loadBalancer = new LoadBalancerAdapter(elb);
        using var dynamo = Moto.Clients().DynamoDb();
        var ledger = new DeploymentLedgerAdapter(dynamo, Fleet.TableName);
        var locks = new DeploymentLockAdapter(dynamo, Fleet.TableName, TimeProvider.System);
        var before = await Fleet.ObserveAsync();

        // What the deployment had done when it was stopped: lock, entry with its restore point, processes suspended on
        // both groups, green at the live capacity and half the traffic.
        var now = DateTimeOffset.UtcNow;
        await locks.TryAcquireAsync("web", execution, now.AddHours(1), None);
        var suspended = new Dictionary<string, IReadOnlyList<string>>
        {
            [topology.Blue.AutoScalingGroupName] = FleetRestore.SuspendedDuringDeployment,
            [topology.Green.AutoScalingGroupName] = FleetRestore.SuspendedDuringDeployment,
        };
        await ledger.PutAsync(
            new DeploymentRecord("web", "web-abort", DeploymentResults.InProgress, Fleet.NewImageId, Fleet.InitialImageId, "green", null, null, "cli", execution, now, null,
                Restore: new RestorePoint("blue", new Capacity(before.Blue.Min, before.Blue.Max, before.Blue.Desired), "green", suspended)),
            None);
        foreach (var (group, processes) in suspended)
        {
            await autoScaling.SuspendProcessesAsync(group, processes, None);
        }

        await autoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(topology.Green.AutoScalingGroupName, MinSize: 2, MaxSize: 4, DesiredCapacity: 2), None);
        await loadBalancer.ModifyListenerWeightsAsync(topology.ListenerArn,
            [new TargetGroupWeight(topology.Blue.TargetGroupArn, 50), new TargetGroupWeight(topology.Green.TargetGroupArn, 50)], None);

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "abort", execution, "--table", Fleet.TableName, "--reason", "canary looks wrong", "--poll-seconds", "0");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("Traffic: 100% to blue (was blue 50 / green 50).", text, StringComparison.Ordinal);
        var fleet = await Fleet.ObserveAsync();
        Assert.Equal((100, 0), (fleet.Blue.Weight, fleet.Green.Weight));
        Assert.Equal((0, 0, 0), (fleet.Green.Min, fleet.Green.Max, fleet.Green.Desired));
        Assert.Equal((before.Blue.Min, before.Blue.Desired), (fleet.Blue.Min, fleet.Blue.Desired));
        foreach (var group in suspended.Keys)
        {
            var described = await autoScaling.DescribeAutoScalingGroupAsync(group, None);
            Assert.DoesNotContain(described!.SuspendedProcesses ?? [], p => FleetRestore.SuspendedDuringDeployment.Contains(p));
        }

        var entry = await ledger.GetAsync("web", "web-abort", None);
        Assert.Equal((DeploymentResults.Aborted, "PhoenixAbort"), (entry!.Result, entry.Error));
        Assert.StartsWith("Execution ABORTED: canary looks wrong. Cleanup:", entry.Cause, StringComparison.Ordinal);
        Assert.Null(await locks.GetAsync("web", None));
        Assert.Equal("ABORTED", (await stepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = execution })).Status);
    }

    [EmulatorFact]
    public async Task Rollback_PreviousColourStillWarm_MovesTrafficBackAndRecordsWhoDidIt()
    {
        var (ledger, _) = await GreenLiveBlueWarmAsync();

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "rollback", "--app", "web", "--table", Fleet.TableName, "--reason", "p99 doubled");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.StartsWith($"Rolled back web: traffic is on blue ({Fleet.InitialImageId}), was on green", text, StringComparison.Ordinal);
        var fleet = await Fleet.ObserveAsync();
        Assert.Equal((100, 0), (fleet.Blue.Weight, fleet.Green.Weight));
        Assert.Equal((0, 0, 0), (fleet.Green.Min, fleet.Green.Max, fleet.Green.Desired));
        Assert.Equal(2, fleet.Blue.Desired);
        var entry = (await ledger.ListAsync("web", 5, None)).First(r => r.Trigger == ManualRollback.Trigger);
        Assert.Equal((DeploymentResults.RolledBack, "blue", "p99 doubled"), (entry.Result, entry.Colour, entry.Cause));
        Assert.StartsWith("arn:aws:", entry.StartedBy, StringComparison.Ordinal);
        using var dynamo = Moto.Clients().DynamoDb();
        Assert.Null(await new DeploymentLockAdapter(dynamo, Fleet.TableName, TimeProvider.System).GetAsync("web", None));
    }

    [EmulatorFact]
    public async Task Rollback_PreviousColourScaledDown_RefusesNamingItsCapacityAndChangesNothing()
    {
        var (_, autoScaling) = await GreenLiveBlueWarmAsync();
        await autoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(Fleet.Topology.Blue.AutoScalingGroupName, MinSize: 0, MaxSize: 0, DesiredCapacity: 0), None);
        var before = await Fleet.ObserveAsync();

        var (exit, _, error) = await CliRunner.RunAsync(Moto, output, "rollback", "--app", "web", "--table", Fleet.TableName);

        Assert.Equal(1, exit);
        Assert.StartsWith("phoenix rollback: refused: blue is not warm: 0 of 0 desired instances ready", error, StringComparison.Ordinal);
        Assert.Equal(before, await Fleet.ObserveAsync());
    }

    [EmulatorFact]
    public async Task Unlock_LockKeptByAStoppedDeployment_ReleasesItAndRecordsWhoAndWhy()
    {
        var (execution, locks, ledger) = await LockedByExecutionAsync("web-kept");
        using (var stepFunctions = Moto.Clients().StepFunctions())
        {
            await stepFunctions.StopExecutionAsync(new StopExecutionRequest { ExecutionArn = execution, Error = "PhoenixAbort", Cause = "test" });
        }

        // What a cleanup that needed manual action leaves: the entry closed ABORTED, the lock kept.
        var now = DateTimeOffset.UtcNow;
        await ledger.PutAsync(
            new DeploymentRecord("web", "web-kept", DeploymentResults.Aborted, Fleet.NewImageId, Fleet.InitialImageId, "green", null, null, "cli", execution, now.AddMinutes(-5), now),
            None);
        var fleetBefore = await Fleet.ObserveAsync();

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "unlock", "--app", "web", "--table", Fleet.TableName, "--reason", "traffic put back by hand");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("Execution web-kept is ABORTED; its ledger entry says ABORTED.\nReleased the lock on web.\n", text, StringComparison.Ordinal);
        Assert.Null(await locks.GetAsync("web", None));
        var entry = (await ledger.ListAsync("web", 5, None)).Single(r => r.Result == DeploymentResults.Unlocked);
        Assert.Equal((ManualUnlock.Trigger, ManualUnlock.EntryError), (entry.Trigger, entry.Error));
        Assert.StartsWith("arn:aws:", entry.StartedBy, StringComparison.Ordinal);
        Assert.StartsWith($"{entry.StartedBy} released the lock held by {execution}.", entry.Cause, StringComparison.Ordinal);
        Assert.EndsWith("Reason: traffic put back by hand.", entry.Cause, StringComparison.Ordinal);
        Assert.Equal(fleetBefore, await Fleet.ObserveAsync());

        // history shows the release with who did it and why.
        var (historyExit, history, _) = await CliRunner.RunAsync(Moto, output, "history", "--app", "web", "--table", Fleet.TableName);
        Assert.Equal(0, historyExit);
        Assert.Contains($"{entry.DeploymentId}: ManualUnlock: {entry.Cause}", history, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task Unlock_ExecutionStillRunning_RefusesNamingItAndKeepsTheLock()
    {
        var (execution, locks, ledger) = await LockedByExecutionAsync("web-running");

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "unlock", "--app", "web", "--table", Fleet.TableName);

        Assert.Equal(1, exit);
        Assert.Equal(
            $"phoenix unlock: refused: The lock on web is held by {execution}, which is RUNNING: a running deployment keeps its lock. "
            + $"To stop it and clean up after it, run `phoenix abort {execution}`. Nothing was changed.",
            error.Trim());
        Assert.Equal(string.Empty, text);
        Assert.Equal(execution, (await locks.GetAsync("web", None))!.Owner);
        Assert.Empty(await ledger.ListAsync("web", 5, None));
    }

    /// <summary>A recording-mode execution (RUNNING until stopped) holding the application's lock.</summary>
    private async Task<(string Execution, DeploymentLockAdapter Locks, DeploymentLedgerAdapter Ledger)> LockedByExecutionAsync(string name)
    {
        var machine = await StateMachines.CreateAsync(Moto, "phoenix-deploy", StateMachines.Passes);
        using var stepFunctions = Moto.Clients().StepFunctions();
        var execution = (await stepFunctions.StartExecutionAsync(new StartExecutionRequest { StateMachineArn = machine, Name = name, Input = "{\"application\":\"web\"}" })).ExecutionArn!;
        var dynamo = Moto.Clients().DynamoDb();
        var locks = new DeploymentLockAdapter(dynamo, Fleet.TableName, TimeProvider.System);
        Assert.True((await locks.TryAcquireAsync("web", execution, DateTimeOffset.UtcNow.AddDays(30), None)).Acquired);
        return (execution, locks, new DeploymentLedgerAdapter(dynamo, Fleet.TableName));
    }

    /// <summary>A deployment to green reached DEPLOYED; blue still has its instances; the lock is free.</summary>
    private async Task<(DeploymentLedgerAdapter Ledger, AutoScalingAdapter AutoScaling)> GreenLiveBlueWarmAsync()
    {
        var topology = Fleet.Topology;
        var autoScaling = new AutoScalingAdapter(Moto.Clients().AutoScaling());
        var loadBalancer = new LoadBalancerAdapter(Moto.Clients().ElasticLoadBalancingV2());
        var ledger = new DeploymentLedgerAdapter(Moto.Clients().DynamoDb(), Fleet.TableName);
        await autoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(topology.Green.AutoScalingGroupName, MinSize: 2, MaxSize: 4, DesiredCapacity: 2), None);
        await loadBalancer.ModifyListenerWeightsAsync(topology.ListenerArn,
            [new TargetGroupWeight(topology.Blue.TargetGroupArn, 0), new TargetGroupWeight(topology.Green.TargetGroupArn, 100)], None);
        var now = DateTimeOffset.UtcNow;
        await ledger.PutAsync(
            new DeploymentRecord("web", "web-deployed", DeploymentResults.Deployed, Fleet.InitialImageId, Fleet.InitialImageId, "green", null, null, "cli",
                $"arn:aws:states:{MotoServer.RegionName}:{MotoServer.Account}:execution:phoenix-deploy:web-deployed", now.AddMinutes(-10), now),
            None);
        return (ledger, autoScaling);
    }
}
