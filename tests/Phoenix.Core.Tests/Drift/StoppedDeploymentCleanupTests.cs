using System.Text.Json;
using Phoenix.Cli.Simulation;
using Phoenix.Cli.Simulation.Drift;
using Phoenix.Core.Domain;
using Phoenix.Core.Drift;
using Phoenix.Core.Tests.Workflow;

namespace Phoenix.Core.Tests.Drift;

/// <summary>
/// The Step Functions status-change event of a deployment stopped mid-way, through LockCleanup and the drift handler, over
/// the simulated region: the fleet is put back, the entry closed ABORTED and the chat alert says what was done.
/// </summary>
public class StoppedDeploymentCleanupTests
{
    private const string TopicArn = "arn:aws:sns:us-east-1:000000000000:phoenix-drift";

    [Fact]
    public async Task LockCleanup_AbortedMidCanary_CleansUpTheFleetAndSaysSoInChat()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        var ports = Ports(d);

        var result = await new LockCleanup(ports, new DriftOptions(TopicArn), d.H.Clock).HandleAsync(Event(d, "ABORTED"), default);

        Assert.True(result!.Released);
        Assert.Equal((100, 0), (d.H.Fleet.Blue.Weight, d.H.Fleet.Green.Weight));
        Assert.Equal((0, 0, 0), StoppedDeployment.Sizes(d.H.Fleet.Green));
        Assert.Equal(DeploymentResults.Aborted, d.Entry.Result);
        Assert.Null(d.H.Region.PeekLock(RegionHarness.Application));
        var chat = d.H.Region.Published.Where(p => p.TopicArn == TopicArn).ToList();
        var description = JsonDocument.Parse(Assert.Single(chat).Message).RootElement.GetProperty("content").GetProperty("description").GetString();
        Assert.Contains("**Cleanup:** Traffic: 100% to blue (was blue 50 / green 50).", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriftHandler_SameEventTwice_CleansUpOnce()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        var handler = new DriftHandler(Ports(d), new DriftOptions(TopicArn), d.H.Clock);
        var json = Event(d, "TIMED_OUT");

        var first = await handler.HandleBatchAsync([new SqsMessage("m1", json)], default);
        var after = d.H.Snapshot();
        var second = await handler.HandleBatchAsync([new SqsMessage("m2", json)], default);

        Assert.Equal(DriftDisposition.Alerted, first.Outcomes[0].Disposition);
        Assert.Equal(DriftDisposition.Duplicate, second.Outcomes[0].Disposition);
        Assert.Equal(after, d.H.Snapshot());
        Assert.Equal("States.Timeout", d.Entry.Error);
    }

    [Fact]
    public async Task LockCleanup_PreviousColourBelowCapacity_AlertsManualActionNeeded()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);
        var blue = (await d.H.Ports.AutoScaling.DescribeAutoScalingGroupAsync(d.H.Topology.Blue.AutoScalingGroupName, default))!;
        await d.H.Ports.AutoScaling.TerminateInstanceInAutoScalingGroupAsync(blue.Instances[0].InstanceId, shouldDecrementDesiredCapacity: false, default);

        var result = await new LockCleanup(Ports(d), new DriftOptions(TopicArn), d.H.Clock).HandleAsync(Event(d, "ABORTED"), default);

        Assert.False(result!.Released);
        Assert.StartsWith("Manual action needed: Traffic still goes blue 50 / green 50", result.Reason, StringComparison.Ordinal);
        var message = JsonDocument.Parse(d.H.Region.Published.Single(p => p.TopicArn == TopicArn).Message).RootElement.GetProperty("content");
        Assert.Contains("**Manual action needed:**", message.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains(message.GetProperty("nextSteps").EnumerateArray(), s => s.GetString()!.Contains($"phoenix abort {d.H.Execution.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LockCleanup_NoLoadBalancerWired_FailsNamingIt()
    {
        var d = await StoppedDeployment.StartAsync(greenWeight: 50);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new LockCleanup(Ports(d) with { LoadBalancer = null }, new DriftOptions(TopicArn), d.H.Clock).HandleAsync(Event(d, "ABORTED"), default));

        Assert.Contains("DriftPorts.LoadBalancer is not set", error.Message, StringComparison.Ordinal);
        Assert.Equal(d.H.Execution.Id, d.H.Region.PeekLock(RegionHarness.Application)?.Owner);
    }

    private static DriftPorts Ports(StoppedDeployment d)
    {
        var region = d.H.Region;
        return new DriftPorts(
            region.AutoScaling, region.Ec2, region.Notifier, region.Locks, region.Ledger, region.Topology,
            new InMemoryDriftDedupeStore(), new InMemoryDriftPolicies(), region.LoadBalancer);
    }

    private static string Event(StoppedDeployment d, string status) =>
        ConfigEvents.ExecutionStatusChange(
            1, SimulatedRegion.AccountId, SimulatedRegion.RegionName, d.H.Execution.Id, status,
            JsonSerializer.Serialize(new DeploymentInputHead(RegionHarness.Application), DriftJsonContext.Default.DeploymentInputHead),
            d.H.Execution.StartedAt, d.H.Clock.GetUtcNow(), null, null);
}
