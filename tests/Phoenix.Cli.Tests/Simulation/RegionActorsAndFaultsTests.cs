using System.Text.RegularExpressions;
using Phoenix.Cli.Simulation;
using Phoenix.Core;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Tests.Simulation;

/// <summary>Auto Scaling as AWS runs it (zones, activities, suspended processes) and the faults and other actors of a plan.</summary>
public class RegionActorsAndFaultsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task DescribeAutoScalingGroup_NewFleet_TwoZonesAndInstancesSpreadOverThem()
    {
        var fixture = new RegionFixture(capacity: 4);

        var group = (await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(fixture.Topology.Blue.AutoScalingGroupName, None))!;

        Assert.Equal(SimulatedRegion.Zones, group.AvailabilityZones);
        Assert.Equal([2, 2], SimulatedRegion.Zones.Select(z => group.Instances.Count(i => i.AvailabilityZone == z)));
        Assert.False(group.HasMixedInstancesPolicy || group.HasWarmPool);
    }

    [Fact]
    public async Task SetGroupFeatures_MixedAndWarmPool_Described()
    {
        var fixture = new RegionFixture();
        fixture.Region.SetGroupFeatures(fixture.Topology.Green.AutoScalingGroupName, mixedInstancesPolicy: true, warmPool: true);

        var group = (await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(fixture.Topology.Green.AutoScalingGroupName, None))!;

        Assert.True(group.HasMixedInstancesPolicy && group.HasWarmPool);
    }

    [Fact]
    public async Task DescribeScalingActivities_LaunchAndScaleIn_SuccessfulActivitiesNewestFirstWithAwsTexts()
    {
        var fixture = new RegionFixture();
        var green = fixture.Topology.Green.AutoScalingGroupName;
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 1, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(5));
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 0, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(15));

        var activities = await fixture.Region.AutoScaling.DescribeScalingActivitiesAsync(green, 10, None);

        Assert.Equal(2, activities.Count);
        Assert.StartsWith("Terminating EC2 instance: i-", activities[0].Description, StringComparison.Ordinal);
        Assert.Contains("shrinking the capacity from 1 to 0", activities[0].Cause, StringComparison.Ordinal);
        Assert.StartsWith("Launching a new EC2 instance: i-", activities[1].Description, StringComparison.Ordinal);
        Assert.Contains("increasing the capacity from 0 to 1", activities[1].Cause, StringComparison.Ordinal);
        Assert.All(activities, a => Assert.Equal("Successful", a.StatusCode));
    }

    [Fact]
    public async Task Launch_InsufficientCapacityInOneZone_FailedActivityNamesTheZoneAndTheGroupLaunchesInTheOther()
    {
        var fixture = new RegionFixture(faults: new FaultPlan { LaunchFailures = [new LaunchFailure(LaunchFailureKind.InsufficientCapacity, "us-east-1a", TimeSpan.Zero)] });
        var green = fixture.Topology.Green.AutoScalingGroupName;

        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 2, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(10));

        Assert.Equal(["us-east-1b", "us-east-1b"], fixture.Region.InstanceZonesOf(green));
        Assert.Equal(2, fixture.Fleet.Green.HealthyTargets);
        var failed = fixture.Region.ActivitiesOf(green).Where(a => a.StatusCode == "Failed").ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, a => Assert.StartsWith(
            "We currently do not have sufficient t3.medium capacity in the Availability Zone you requested (us-east-1a).", a.StatusMessage, StringComparison.Ordinal));
        Assert.All(failed, a => Assert.EndsWith("Launching EC2 instance failed.", a.StatusMessage, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Launch_KmsKeyUnusableEverywhereUntilTenMinutes_NoInstanceThenLaunchesAfterTheWindow()
    {
        var fixture = new RegionFixture(faults: new FaultPlan
        {
            LaunchFailures = [new LaunchFailure(LaunchFailureKind.KmsKeyNotUsable, null, TimeSpan.Zero, TimeSpan.FromMinutes(10))],
        });
        var green = fixture.Topology.Green.AutoScalingGroupName;

        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 2, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(9));
        var during = fixture.Fleet.Green;
        var activities = await fixture.Region.AutoScaling.DescribeScalingActivitiesAsync(green, 100, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(20));

        Assert.Equal((0, 0), (during.Pending, during.InService));
        Assert.Equal("Failed", activities[0].StatusCode);
        Assert.Equal("Client.InternalError: Client error on launch. Launching EC2 instance failed.", activities[0].StatusMessage);
        Assert.Contains("Status Reason: Client.InternalError", activities[0].Description, StringComparison.Ordinal);
        Assert.Equal(2, fixture.Fleet.Green.HealthyTargets);
    }

    [Fact]
    public async Task Launch_ImageDeregistered_FailedActivityWithTheImageNotFoundMessage()
    {
        var fixture = new RegionFixture();
        var green = fixture.Topology.Green;
        var version = await fixture.Region.Ec2.CreateLaunchTemplateVersionAsync(green.LaunchTemplateId, "1", "ami-0dead0dead0dead00", "t1", None);
        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(green.AutoScalingGroupName, DesiredCapacity: 1, LaunchTemplate: new(green.LaunchTemplateId, version.VersionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            None);

        var activity = (await fixture.Region.AutoScaling.DescribeScalingActivitiesAsync(green.AutoScalingGroupName, 1, None))[0];

        Assert.Equal("The image id '[ami-0dead0dead0dead00]' does not exist. Launching EC2 instance failed.", activity.StatusMessage);
    }

    [Theory]
    [InlineData(false, new[] { 1, 1 })]
    [InlineData(true, new[] { 0, 2 })]
    public async Task ZoneRecovers_AzRebalanceSuspendedOrNot_BalancesOnlyWhenRunning(bool suspended, int[] expected)
    {
        var fixture = new RegionFixture(faults: new FaultPlan
        {
            LaunchFailures = [new LaunchFailure(LaunchFailureKind.InsufficientCapacity, "us-east-1a", TimeSpan.Zero, TimeSpan.FromMinutes(5))],
        });
        var green = fixture.Topology.Green.AutoScalingGroupName;
        if (suspended)
        {
            await fixture.Region.AutoScaling.SuspendProcessesAsync(green, [ScalingProcesses.AzRebalance], None);
        }

        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 2, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(30));

        var zones = fixture.Region.InstanceZonesOf(green);
        Assert.Equal(expected, SimulatedRegion.Zones.Select(z => zones.Count(x => x == z)));
        Assert.Equal(2, fixture.Fleet.Green.DesiredCapacity);
    }

    [Fact]
    public async Task ResumeProcesses_AzRebalanceAfterTheZoneRecovered_BalancesThen()
    {
        var fixture = new RegionFixture(faults: new FaultPlan
        {
            LaunchFailures = [new LaunchFailure(LaunchFailureKind.InsufficientCapacity, "us-east-1a", TimeSpan.Zero, TimeSpan.FromMinutes(5))],
        });
        var green = fixture.Topology.Green.AutoScalingGroupName;
        await fixture.Region.AutoScaling.SuspendProcessesAsync(green, [ScalingProcesses.AzRebalance], None);
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 2, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(30));

        await fixture.Region.AutoScaling.ResumeProcessesAsync(green, [ScalingProcesses.AzRebalance], None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(60));

        Assert.Equal(["us-east-1a", "us-east-1b"], fixture.Region.InstanceZonesOf(green).Order());
        Assert.Contains(fixture.Region.ActivitiesOf(green), a => a.Cause!.Contains("balance instances across Availability Zones", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ZoneRecovers_WhileAGrowthWaitsToLaunch_KeepsTheRebalanceSurplusUntilItsReplacementIsInService()
    {
        // Green launched 3 in us-east-1a while 1b could not; then it grew to 4 while neither zone could. When 1b recovers
        // Auto Scaling launches the missing instance and, for AZRebalance, one more: the group is one over its desired
        // capacity until the rebalance's replacement is InService and it terminates the surplus itself. A launch retry in
        // that window must not scale in a healthy instance (it did: healthy capacity dipped with nothing to credit it).
        var fixture = new RegionFixture(faults: new FaultPlan
        {
            LaunchFailures =
            [
                new LaunchFailure(LaunchFailureKind.InsufficientCapacity, "us-east-1b", TimeSpan.Zero, TimeSpan.FromMinutes(20)),
                new LaunchFailure(LaunchFailureKind.InsufficientCapacity, "us-east-1a", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(25)),
            ],
        });
        var green = fixture.Topology.Green.AutoScalingGroupName;
        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(green, MinSize: 3, MaxSize: 6, DesiredCapacity: 3), None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(6));
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 4, None);

        fixture.AdvanceTo(TimeSpan.FromMinutes(40));

        var causes = fixture.Region.ActivitiesOf(green).Select(a => a.Cause!).ToList();
        Assert.DoesNotContain(causes, c => c.Contains("shrinking the capacity", StringComparison.Ordinal));
        Assert.Contains(causes, c => c.Contains("balance instances across Availability Zones", StringComparison.Ordinal));
        var zones = fixture.Region.InstanceZonesOf(green);
        Assert.Equal([2, 2], SimulatedRegion.Zones.Select(z => zones.Count(x => x == z)));
        Assert.Equal(4, fixture.Fleet.Green.HealthyTargets);
    }

    [Theory]
    [InlineData(CapacitySource.ScheduledAction, ScalingProcesses.ScheduledActions, 3)]
    [InlineData(CapacitySource.ScheduledAction, ScalingProcesses.AzRebalance, 5)]
    [InlineData(CapacitySource.ScalingPolicy, ScalingProcesses.ScheduledActions, 5)]
    [InlineData(CapacitySource.ScalingPolicy, ScalingProcesses.AlarmNotification, 3)]
    public async Task CapacityChange_OnTheLiveGroup_RunsUnlessItsProcessIsSuspended(CapacitySource source, string suspended, int expectedDesired)
    {
        var fixture = new RegionFixture(capacity: 3, faults: new FaultPlan { Events = [new CapacityChange(TimeSpan.FromMinutes(2), FleetRole.Live, 2, source)] });
        await fixture.Region.AutoScaling.SuspendProcessesAsync(fixture.Topology.Blue.AutoScalingGroupName, [suspended], None);

        fixture.AdvanceTo(TimeSpan.FromMinutes(20));

        Assert.Equal(expectedDesired, fixture.Fleet.Blue.DesiredCapacity);
        Assert.Equal(expectedDesired, fixture.Fleet.Blue.HealthyTargets);
        Assert.Empty(fixture.Timeline.Violations);
    }

    [Fact]
    public void CapacityChange_ScaleInBelowThePinnedMin_ChangesNothing()
    {
        var fixture = new RegionFixture(capacity: 3, faults: new FaultPlan { Events = [new CapacityChange(TimeSpan.FromMinutes(2), FleetRole.Live, -2, CapacitySource.ScalingPolicy)] });

        fixture.AdvanceTo(TimeSpan.FromMinutes(20));

        Assert.Equal(3, fixture.Fleet.Blue.DesiredCapacity);
    }

    [Fact]
    public void InstanceFailure_LiveInstanceAfterItPassedHealth_UnhealthyReplacedAndNotCountedAgainstPhoenix()
    {
        var fixture = new RegionFixture(capacity: 3, faults: new FaultPlan { Events = [new InstanceFailure(TimeSpan.FromMinutes(2), FleetRole.Live)] });

        // ELBv2's default checks (30 s, unhealthy after 2 failures, 5 s timeout): unhealthy at 2:00 + 65 s, replaced at once.
        fixture.AdvanceTo(TimeSpan.FromSeconds(185));
        var during = fixture.Fleet.Blue;
        fixture.AdvanceTo(TimeSpan.FromMinutes(30));

        Assert.Equal((2, 1), (during.HealthyTargets, during.ExternalDeficit));
        Assert.Equal((3, 3, 0), (fixture.Fleet.Blue.InService, fixture.Fleet.Blue.HealthyTargets, fixture.Fleet.Blue.ExternalDeficit));
        Assert.Contains(fixture.Region.ActivitiesOf(fixture.Topology.Blue.AutoScalingGroupName),
            a => a.Cause!.EndsWith("in response to an ELB system health check failure.", StringComparison.Ordinal));
        Assert.Empty(fixture.Timeline.Violations);
    }

    [Fact]
    public async Task LostResponse_SetDesiredCapacity_ChangeMadeAndTransientErrorAndTheRetryChangesNothingMore()
    {
        var fixture = new RegionFixture(faults: new FaultPlan { LostResponseRate = 1, CallsAfterThrottle = 1 });
        var green = fixture.Topology.Green.AutoScalingGroupName;

        var error = await Assert.ThrowsAsync<TransientFailure>(() => fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 2, None));
        var afterLoss = fixture.Fleet.Green;
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 2, None);

        Assert.Contains("the change was made", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, 2), (afterLoss.DesiredCapacity, afterLoss.Pending));
        Assert.Equal((2, 2), (fixture.Fleet.Green.DesiredCapacity, fixture.Fleet.Green.Pending));
        Assert.Equal(1, fixture.Region.LostResponses);
    }

    [Fact]
    public async Task DescribeLag_RightAfterAWrite_SomeReadsAnswerTheOldStateNoneAnswersAFutureOne()
    {
        var fixture = new RegionFixture(faults: new FaultPlan { DescribeLag = TimeSpan.FromSeconds(30), Seed = 3 });
        var green = fixture.Topology.Green.AutoScalingGroupName;
        fixture.AdvanceTo(TimeSpan.FromMinutes(1));
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green, 2, None);

        var reads = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            reads.Add((await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(green, None))!.DesiredCapacity);
        }

        fixture.AdvanceTo(TimeSpan.FromMinutes(2));
        var later = (await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(green, None))!.DesiredCapacity;

        Assert.True(reads.Contains(0), string.Join(",", reads));
        Assert.Contains(2, reads);
        Assert.All(reads, r => Assert.Contains(r, new[] { 0, 2 }));
        Assert.Equal(2, later);
        Assert.True(fixture.Region.StaleReads > 0);
    }

    [Fact]
    public async Task DescribeLag_AfterTheFleetSettles_SnapshotAnswersEqualTheFleetInstanceByInstance()
    {
        // A stale read answers from the snapshot kept at the last change (the group's and target group's instance maps,
        // kept up to date change by change); once no change is younger than the lag, every read answers the same state,
        // whether a draw serves it from that snapshot or from the fleet as it is. A change the maps missed (a health,
        // lifecycle or reason, a join or a leave) makes the two answers differ.
        var fixture = new RegionFixture(faults: new FaultPlan
        {
            DescribeLag = TimeSpan.FromSeconds(30),
            Seed = 5,
            Events = [new InstanceFailure(TimeSpan.FromMinutes(8), FleetRole.Live)],
        });
        var (green, blue) = (fixture.Topology.Green, fixture.Topology.Blue);
        fixture.AdvanceTo(TimeSpan.FromMinutes(1));
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green.AutoScalingGroupName, 3, None);

        async Task<HashSet<string>> ReadsAsync(string group, string targetGroup)
        {
            var answers = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 20; i++)
            {
                var described = (await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(group, None))!;
                var targets = await fixture.Region.LoadBalancer.DescribeTargetHealthAsync(targetGroup, None);
                answers.Add($"desired {described.DesiredCapacity}: {string.Join(", ", described.Instances)} | {string.Join(", ", targets)}");
            }

            return answers;
        }

        var staleBefore = fixture.Region.StaleReads;
        fixture.AdvanceTo(TimeSpan.FromMinutes(7));
        var settled = await ReadsAsync(green.AutoScalingGroupName, green.TargetGroupArn);
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green.AutoScalingGroupName, 1, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(20));
        var scaledIn = await ReadsAsync(green.AutoScalingGroupName, green.TargetGroupArn);
        var replaced = await ReadsAsync(blue.AutoScalingGroupName, blue.TargetGroupArn);

        var (up, down, failed) = (Assert.Single(settled), Assert.Single(scaledIn), Assert.Single(replaced));
        const string InService = "LifecycleState = InService, HealthStatus = Healthy";
        Assert.Equal((3, 3), (Regex.Count(up, InService), Regex.Count(up, "State = healthy")));
        Assert.Equal((1, 1), (Regex.Count(down, InService), Regex.Count(down, "State = healthy")));
        // The failed blue instance was replaced: blue lists 3 InService and Healthy again, and the failed one no more.
        Assert.Equal((3, 3), (Regex.Count(failed, InService), Regex.Count(failed, "State = healthy")));
        Assert.Equal(0, fixture.Region.StaleReads - staleBefore);
    }

    [Fact]
    public void FaultPlan_BadValues_RejectedNamingThem()
    {
        var clock = new Phoenix.Asl.VirtualClock(RegionFixture.Start);

        Assert.Contains("-0.5", Assert.Throws<ArgumentException>(() => new SimulatedRegion(clock, faults: new FaultPlan { LostResponseRate = -0.5 })).Message, StringComparison.Ordinal);
        Assert.Contains("us-east-1z", Assert.Throws<ArgumentException>(() => new SimulatedRegion(clock, faults: new FaultPlan
        {
            LaunchFailures = [new LaunchFailure(LaunchFailureKind.InsufficientCapacity, "us-east-1z", TimeSpan.Zero)],
        })).Message, StringComparison.Ordinal);
        Assert.Contains("count 0", Assert.Throws<ArgumentException>(() => new SimulatedRegion(clock, faults: new FaultPlan
        {
            Events = [new InstanceFailure(TimeSpan.Zero, FleetRole.Live, 0)],
        })).Message, StringComparison.Ordinal);
    }
}
