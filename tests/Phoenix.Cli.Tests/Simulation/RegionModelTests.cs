using Phoenix.Cli.Simulation;
using Phoenix.Core;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Tests.Simulation;

public class RegionModelTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void CreateFleet_ThreeInstances_BlueServesAtCapacityAndGreenIsEmpty()
    {
        var fixture = new RegionFixture(capacity: 3);

        var fleet = fixture.Fleet;

        Assert.Equal(new ColourState(100, 3, 3, 3), ColourState.From(fleet.Blue));
        Assert.Equal(new ColourState(0, 0, 0, 0), ColourState.From(fleet.Green));
        Assert.Equal(RegionFixture.OldImage, fleet.Green.ImageId);
        Assert.Equal(0, fixture.Region.PendingTimers);
    }

    [Fact]
    public async Task SetDesiredCapacity_GreenToTwo_InServiceAfterLaunchAndHealthyAfterThresholdChecks()
    {
        var fixture = new RegionFixture();

        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(fixture.Topology.Green.AutoScalingGroupName, 2, None);
        fixture.AdvanceTo(TimeSpan.FromHours(1));

        // Defaults: InService at 40 s; the application answers at 40 + 60 = 100 s; checks every 30 s after
        // registration pass from 40 + 60 = 100 s, the fifth consecutive one at 40 + 60 + 4 × 30 = 220 s.
        Assert.Equal(TimeSpan.FromSeconds(40), fixture.FirstTime(p => p.Green.InService == 2));
        Assert.Equal(TimeSpan.FromSeconds(220), fixture.FirstTime(p => p.Green.HealthyTargets == 2));
        Assert.Null(fixture.FirstTime(p => p.Green.HealthyTargets == 1 && p.At - RegionFixture.Start < TimeSpan.FromSeconds(220)));
        Assert.Equal(0, fixture.Region.PendingTimers);
    }

    [Fact]
    public async Task DescribeTargetHealth_DuringBoot_InitialUntilThresholdThenHealthy()
    {
        var fixture = new RegionFixture();
        var green = fixture.Topology.Green;
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(green.AutoScalingGroupName, 1, None);

        fixture.AdvanceTo(TimeSpan.FromSeconds(219));
        var before = await fixture.Region.LoadBalancer.DescribeTargetHealthAsync(green.TargetGroupArn, None);
        fixture.AdvanceTo(TimeSpan.FromSeconds(220));
        var after = await fixture.Region.LoadBalancer.DescribeTargetHealthAsync(green.TargetGroupArn, None);

        Assert.Equal("initial", Assert.Single(before).State);
        Assert.Equal("healthy", Assert.Single(after).State);
    }

    [Fact]
    public async Task UpdateAutoScalingGroup_DesiredAboveMax_ValidationErrorAndNothingChanges()
    {
        var fixture = new RegionFixture(capacity: 2);
        var group = fixture.Topology.Green.AutoScalingGroupName;
        var before = await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(group, None);

        var error = await Assert.ThrowsAsync<SimulatedServiceException>(() =>
            fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(group, MaxSize: 2, DesiredCapacity: 3), None));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Contains("Desired capacity:3", error.Message, StringComparison.Ordinal);
        var after = await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(group, None);
        Assert.Equivalent(before, after);
        Assert.Equal(0, fixture.Region.PendingTimers);
    }

    [Fact]
    public async Task UpdateAutoScalingGroup_MinAboveDesiredWithoutDesired_RaisesDesiredToMin()
    {
        var fixture = new RegionFixture(capacity: 2);
        var group = fixture.Topology.Green.AutoScalingGroupName;

        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(group, MinSize: 2), None);

        var described = await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(group, None);
        Assert.Equal(2, described!.DesiredCapacity);
        Assert.Equal(2, described.Instances.Count);
        Assert.All(described.Instances, i => Assert.Equal("Pending", i.LifecycleState));
    }

    [Fact]
    public async Task SetDesiredCapacity_BelowMin_ValidationError()
    {
        var fixture = new RegionFixture(capacity: 2);

        var error = await Assert.ThrowsAsync<SimulatedServiceException>(() =>
            fixture.Region.AutoScaling.SetDesiredCapacityAsync(fixture.Topology.Blue.AutoScalingGroupName, 1, None));

        Assert.Contains("below min value 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, fixture.Fleet.Blue.DesiredCapacity);
    }

    [Fact]
    public async Task ScaleIn_BlueToZero_TargetsDrainForDeregistrationDelayThenInstancesLeave()
    {
        var fixture = new RegionFixture(capacity: 2);
        var blue = fixture.Topology.Blue.AutoScalingGroupName;
        await fixture.Region.LoadBalancer.ModifyListenerWeightsAsync(
            fixture.Topology.ListenerArn,
            [new TargetGroupWeight(fixture.Topology.Blue.TargetGroupArn, 0), new TargetGroupWeight(fixture.Topology.Green.TargetGroupArn, 100)],
            None);

        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(blue, MinSize: 0, DesiredCapacity: 0), None);
        var draining = fixture.Fleet.Blue;
        fixture.AdvanceTo(TimeSpan.FromSeconds(299));
        var stillDraining = fixture.Fleet.Blue;
        fixture.AdvanceTo(TimeSpan.FromSeconds(300));

        Assert.Equal((2, 0, 2), (draining.Terminating, draining.HealthyTargets, draining.DrainingTargets));
        Assert.Equal(2, stillDraining.DrainingTargets);
        Assert.Equal((0, 0, 0), (fixture.Fleet.Blue.Terminating, fixture.Fleet.Blue.InService, fixture.Fleet.Blue.DrainingTargets));
        var instances = await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(blue, None);
        Assert.Empty(instances!.Instances);
    }

    /// <summary>
    /// The region counts instances and targets as they change state instead of recounting the fleet at every change
    /// (which made a deployment's cost grow with the square of the fleet): the counts must stay what Describe reports
    /// through launches, failed health checks, replacements, draining and scale-in.
    /// </summary>
    [Fact]
    public async Task ObserveFleet_ThroughLaunchesReplacementsAndScaleIn_CountsAgreeWithDescribeAtEveryStep()
    {
        var fixture = new RegionFixture(capacity: 6);
        var (blue, green) = (fixture.Topology.Blue, fixture.Topology.Green);
        var bad = fixture.Region.RegisterImage(healthy: false);
        var version = await fixture.Region.Ec2.CreateLaunchTemplateVersionAsync(green.LaunchTemplateId, "$Latest", bad, "token-1", None);
        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(green.AutoScalingGroupName, MaxSize: 12, DesiredCapacity: 4, LaunchTemplate: new(green.LaunchTemplateId, version.VersionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            None);
        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(blue.AutoScalingGroupName, MinSize: 0, DesiredCapacity: 1), None);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var t = 5; t <= 900; t += 5)
        {
            fixture.AdvanceTo(TimeSpan.FromSeconds(t));
            foreach (var (observed, resources) in new[] { (fixture.Fleet.Blue, blue), (fixture.Fleet.Green, green) })
            {
                var instances = (await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(resources.AutoScalingGroupName, None))!.Instances;
                var targets = await fixture.Region.LoadBalancer.DescribeTargetHealthAsync(resources.TargetGroupArn, None);
                int Lifecycle(string state) => instances.Count(i => i.LifecycleState == state);
                int Target(string state) => targets.Count(d => d.State == state);
                Assert.Equal(
                    (Lifecycle("Pending"), Lifecycle("InService"), Lifecycle("Terminating"), Target("healthy"), Target("draining")),
                    (observed.Pending, observed.InService, observed.Terminating, observed.HealthyTargets, observed.DrainingTargets));
                seen.UnionWith(instances.Select(i => i.LifecycleState).Concat(targets.Select(d => d.State)));
            }
        }

        // Every state the counts follow occurred on the way.
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "Pending", "InService", "Terminating", "healthy", "unhealthy", "draining" }, seen);
    }

    [Fact]
    public async Task BadImage_GreenScaledUp_NeverHealthyAndReplacedAfterGracePeriod()
    {
        var fixture = new RegionFixture(capacity: 1);
        var bad = fixture.Region.RegisterImage(healthy: false);
        var green = fixture.Topology.Green;
        var version = await fixture.Region.Ec2.CreateLaunchTemplateVersionAsync(green.LaunchTemplateId, "$Latest", bad, "token-1", None);
        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(green.AutoScalingGroupName, DesiredCapacity: 1, LaunchTemplate: new(green.LaunchTemplateId, version.VersionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            None);

        fixture.AdvanceTo(TimeSpan.FromSeconds(299));
        var beforeGrace = await fixture.Region.LoadBalancer.DescribeTargetHealthAsync(green.TargetGroupArn, None);
        fixture.AdvanceTo(TimeSpan.FromSeconds(300));
        var group = await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(green.AutoScalingGroupName, None);

        // Registered at 40 s; two failing checks (70 s, 100 s), each known after its 5 s timeout: unhealthy at 105 s.
        Assert.Equal(TimeSpan.FromSeconds(105), fixture.Timeline.Changes.First(c => c.Detail.StartsWith("unhealthy", StringComparison.Ordinal)).At - RegionFixture.Start);
        Assert.Equal("unhealthy", Assert.Single(beforeGrace).State);
        Assert.Equal("Target.FailedHealthChecks", beforeGrace[0].Reason);
        Assert.Equal(2, group!.Instances.Count);
        Assert.Contains(group.Instances, i => i is { LifecycleState: "Terminating", HealthStatus: "Unhealthy" });
        Assert.Contains(group.Instances, i => i.LifecycleState == "Pending");
        Assert.Null(fixture.FirstTime(p => p.Green.HealthyTargets > 0));
    }

    [Theory]
    [InlineData(100, 280, 1)]
    [InlineData(200, null, 2)]
    public async Task SlowBoot_UnhealthyBeforeBoot_HealthyWithinGracePeriodOrReplaced(int bootSeconds, int? healthySeconds, int launches)
    {
        var fixture = new RegionFixture(capacity: 1);
        var slow = fixture.Region.RegisterImage(boot: TimeSpan.FromSeconds(bootSeconds));
        var green = fixture.Topology.Green;
        await fixture.Region.Ec2.CreateLaunchTemplateVersionAsync(green.LaunchTemplateId, "1", slow, "t", None);
        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup(green.AutoScalingGroupName, DesiredCapacity: 1, LaunchTemplate: new(green.LaunchTemplateId, "$Latest")),
            None);

        fixture.AdvanceTo(TimeSpan.FromSeconds(300));

        // Registered at 40 s, unhealthy at 105 s (two failed checks). Boot 100 s: ready at 140 s, checks pass from
        // 160 s, healthy on the fifth at 280 s, inside the 300 s grace period. Boot 200 s: still unhealthy when the
        // grace period ends at 300 s, so Auto Scaling replaces it (a slow boot needs a longer grace period).
        Assert.Equal(TimeSpan.FromSeconds(105), fixture.Timeline.Changes.First(c => c.Detail.StartsWith("unhealthy", StringComparison.Ordinal)).At - RegionFixture.Start);
        Assert.Equal(healthySeconds is { } s ? TimeSpan.FromSeconds(s) : null, fixture.FirstTime(p => p.Green.HealthyTargets == 1));
        Assert.Equal(launches, fixture.Timeline.Changes.Count(c => c.Kind == "Instance" && c.Detail.StartsWith("Pending in", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateLaunchTemplateVersion_SameClientToken_ReturnsTheFirstVersion()
    {
        var fixture = new RegionFixture();
        var image = fixture.Region.RegisterImage();
        var ec2 = fixture.Region.Ec2;
        var id = fixture.Topology.Green.LaunchTemplateId;

        var first = await ec2.CreateLaunchTemplateVersionAsync(id, "$Latest", image, "deploy-1", None);
        var again = await ec2.CreateLaunchTemplateVersionAsync(id, "$Latest", image, "deploy-1", None);
        var mismatch = await Assert.ThrowsAsync<SimulatedServiceException>(() =>
            ec2.CreateLaunchTemplateVersionAsync(id, "$Latest", RegionFixture.OldImage, "deploy-1", None));

        Assert.Equal(first, again);
        Assert.Equal(2, first.VersionNumber);
        Assert.Equal("IdempotentParameterMismatch", mismatch.ErrorCode);
        Assert.Equal([1L, 2L], fixture.Region.LaunchTemplateVersions(id));
        Assert.Equal(image, (await ec2.DescribeLaunchTemplateVersionAsync(id, "$Latest", None))!.ImageId);
        Assert.Equal(RegionFixture.OldImage, (await ec2.DescribeLaunchTemplateVersionAsync(id, "$Default", None))!.ImageId);
        Assert.Null(await ec2.DescribeLaunchTemplateVersionAsync(id, "7", None));
    }

    [Fact]
    public async Task LockTable_SecondOwner_RefusedUntilExpiryAndReleasedOnlyByOwner()
    {
        var fixture = new RegionFixture();
        var locks = fixture.Region.Locks;
        var expires = RegionFixture.Start.AddMinutes(10);

        var first = await locks.TryAcquireAsync("web", "exec-1", expires, None);
        var again = await locks.TryAcquireAsync("web", "exec-1", expires, None);
        var second = await locks.TryAcquireAsync("web", "exec-2", expires, None);
        var wrongRelease = await locks.ReleaseAsync("web", "exec-2", None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(10));
        var afterExpiry = await locks.TryAcquireAsync("web", "exec-2", expires.AddMinutes(10), None);
        var staleRelease = await locks.ReleaseAsync("web", "exec-1", None);
        var release = await locks.ReleaseAsync("web", "exec-2", None);

        Assert.True(first.Acquired);
        Assert.True(again.Acquired);
        Assert.False(second.Acquired);
        Assert.Equal("exec-1", second.Holder.Owner);
        Assert.False(wrongRelease);
        Assert.True(afterExpiry.Acquired);
        Assert.False(staleRelease);
        Assert.True(release);
        Assert.Null(await locks.GetAsync("web", None));
    }

    [Fact]
    public async Task Bake_DefaultTiming_InProgressForEightMinutesThenImageAvailable()
    {
        var fixture = new RegionFixture();
        var request = new BakeRequest("web", fixture.Topology.BakeProject!, "abc123", "repo", "token");

        var id = await fixture.Region.Baker.StartBakeAsync(request, None);
        var sameId = await fixture.Region.Baker.StartBakeAsync(request, None);
        fixture.AdvanceTo(TimeSpan.FromSeconds(479));
        var running = await fixture.Region.Baker.GetBakeAsync(id, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(8));
        var done = await fixture.Region.Baker.GetBakeAsync(id, None);

        Assert.Equal(id, sameId);
        Assert.Equal(BakeState.InProgress, running.State);
        Assert.Equal(BakeState.Succeeded, done.State);
        Assert.Equal("available", (await fixture.Region.Ec2.DescribeImageAsync(done.ImageId!, None))!.State);
    }

    [Fact]
    public async Task Bake_FailureFault_FailsWithTheReason()
    {
        var fixture = new RegionFixture(faults: new FaultPlan { BakeFailureReason = "Packer: provisioner shell exited 1" });

        var id = await fixture.Region.Baker.StartBakeAsync(new BakeRequest("web", fixture.Topology.BakeProject!, null, null, "t"), None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(9));
        var status = await fixture.Region.Baker.GetBakeAsync(id, None);

        Assert.Equal(BakeState.Failed, status.State);
        Assert.Equal("Packer: provisioner shell exited 1", status.Reason);
        Assert.Null(status.ImageId);
    }

    [Fact]
    public async Task Throttling_EveryCall_ThrottledCallChangesNothingAndTheNextCallsRecover()
    {
        var fixture = new RegionFixture(faults: new FaultPlan { ThrottleRate = 1, CallsAfterThrottle = 2 });
        var group = fixture.Topology.Green.AutoScalingGroupName;

        await Assert.ThrowsAsync<TransientFailure>(() => fixture.Region.AutoScaling.SetDesiredCapacityAsync(group, 1, None));
        var afterThrottle = fixture.Fleet.Green.DesiredCapacity;
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(group, 1, None);
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(group, 2, None);
        await Assert.ThrowsAsync<TransientFailure>(() => fixture.Region.AutoScaling.SetDesiredCapacityAsync(group, 3, None));

        Assert.Equal(0, afterThrottle);
        Assert.Equal(2, fixture.Fleet.Green.DesiredCapacity);
        Assert.Equal(2, fixture.Region.ThrottledCalls);
    }

    [Fact]
    public async Task AlarmAfterSwap_ListenerSendsTrafficToGreen_AlarmFiresAfterTheDelay()
    {
        var fixture = new RegionFixture(faults: new FaultPlan { AlarmAfterSwap = TimeSpan.FromSeconds(90) });
        var alarm = fixture.Topology.AlarmNames[0];
        fixture.AdvanceTo(TimeSpan.FromSeconds(10));

        await fixture.Region.LoadBalancer.ModifyListenerWeightsAsync(
            fixture.Topology.ListenerArn,
            [new TargetGroupWeight(fixture.Topology.Blue.TargetGroupArn, 90), new TargetGroupWeight(fixture.Topology.Green.TargetGroupArn, 10)],
            None);
        fixture.AdvanceTo(TimeSpan.FromSeconds(99));
        var before = await fixture.Region.Alarms.DescribeAlarmsAsync([alarm], None);
        fixture.AdvanceTo(TimeSpan.FromSeconds(100));
        var after = await fixture.Region.Alarms.DescribeAlarmsAsync([alarm], None);

        Assert.Equal("OK", Assert.Single(before).StateValue);
        Assert.Equal("ALARM", Assert.Single(after).StateValue);
        Assert.Equal(RegionFixture.Start.AddSeconds(100), after[0].StateUpdatedTimestamp);
    }

    [Fact]
    public async Task ModifyListener_UnknownTargetGroup_ErrorNamesItAndWeightsStay()
    {
        var fixture = new RegionFixture();

        var error = await Assert.ThrowsAsync<SimulatedServiceException>(() => fixture.Region.LoadBalancer.ModifyListenerWeightsAsync(
            fixture.Topology.ListenerArn, [new TargetGroupWeight("arn:nope", 100)], None));

        Assert.Contains("arn:nope", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, fixture.Fleet.Blue.Weight);
    }

    [Fact]
    public async Task Ledger_TwoDeployments_ListedNewestFirstAndPutReplaces()
    {
        var fixture = new RegionFixture();
        var ledger = fixture.Region.Ledger;
        var first = new DeploymentRecord("web", "d1", "IN_PROGRESS", "ami-1", null, "green", null, null, null, null, RegionFixture.Start, null);
        var second = first with { DeploymentId = "d2", StartedAt = RegionFixture.Start.AddHours(1) };

        await ledger.PutAsync(first, None);
        await ledger.PutAsync(second, None);
        await ledger.PutAsync(first with { Result = "SUCCEEDED" }, None);

        var list = await ledger.ListAsync("web", 10, None);
        Assert.Equal(["d2", "d1"], list.Select(r => r.DeploymentId));
        Assert.Equal("SUCCEEDED", (await ledger.GetAsync("web", "d1", None))!.Result);
    }

    [Fact]
    public async Task Notifier_DuplicateIds_RejectedAndNothingPublished()
    {
        var fixture = new RegionFixture();
        var topic = fixture.Topology.DeploymentTopicArn!;

        await Assert.ThrowsAsync<SimulatedServiceException>(() =>
            fixture.Region.Notifier.PublishAsync(topic, [new OutgoingMessage("a", "x"), new OutgoingMessage("a", "y")], None));
        await fixture.Region.Notifier.PublishAsync(topic, [new OutgoingMessage("a", "x", "Deployed")], None);

        Assert.Equal("Deployed", Assert.Single(fixture.Region.Published).Subject);
    }

    [Fact]
    public async Task DescribeInstances_GroupInstance_TaggedWithItsGroupAndImage()
    {
        var fixture = new RegionFixture(capacity: 1);
        var group = await fixture.Region.AutoScaling.DescribeAutoScalingGroupAsync(fixture.Topology.Blue.AutoScalingGroupName, None);
        var unmanaged = fixture.Region.LaunchUnmanagedInstance(RegionFixture.OldImage);

        var described = await fixture.Region.Ec2.DescribeInstancesAsync([group!.Instances[0].InstanceId, unmanaged], None);

        Assert.Equal(fixture.Topology.Blue.AutoScalingGroupName, described[0].Tags["aws:autoscaling:groupName"]);
        Assert.Equal(RegionFixture.OldImage, described[0].ImageId);
        Assert.Equal("running", described[1].State);
        Assert.Empty(described[1].Tags);
    }
}
