using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Tests.Simulation;

public class SafetyInvariantTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static TimelinePoint Point(int second, ColourState blue, ColourState green) =>
        new(RegionFixture.Start.AddSeconds(second), new RegionChange(RegionFixture.Start.AddSeconds(second), "Test", "web", "step"), blue, green);

    [Fact]
    public void Check_SwapToFullyHealthyGreen_NoViolation()
    {
        var points = new[]
        {
            Point(0, new(100, 3, 3, 3), new(0, 0, 0, 0)),
            Point(40, new(100, 3, 3, 3), new(0, 3, 3, 0)),
            Point(220, new(100, 3, 3, 3), new(0, 3, 3, 3)),
            Point(250, new(0, 3, 3, 3), new(100, 3, 3, 3)),
            Point(260, new(0, 0, 0, 0), new(100, 3, 3, 3)),
        };

        Assert.Empty(SafetyInvariant.Check(points));
    }

    [Fact]
    public void Check_SwapBeforeGreenHealthy_ViolationAtTheSwap()
    {
        var points = new[]
        {
            Point(0, new(100, 3, 3, 3), new(0, 3, 3, 2)),
            Point(100, new(0, 3, 3, 3), new(100, 3, 3, 2)),
        };

        var violation = Assert.Single(SafetyInvariant.Check(points));

        Assert.Equal(Colour.Green, violation.Colour);
        Assert.Equal(3, violation.Required);
        Assert.Equal(RegionFixture.Start.AddSeconds(100), violation.At);
    }

    [Fact]
    public void Check_LiveColourScaledToZeroWhileServing_Violation()
    {
        // Desired 0 is "satisfied" by 0 healthy targets; the invariant still catches traffic sent to nothing.
        var points = new[]
        {
            Point(0, new(100, 2, 2, 2), new(0, 0, 0, 0)),
            Point(10, new(100, 0, 0, 0), new(0, 0, 0, 0)),
        };

        var violation = Assert.Single(SafetyInvariant.Check(points));

        Assert.Equal(Colour.Blue, violation.Colour);
        Assert.Equal(1, violation.Required);
    }

    [Fact]
    public void Check_FirstDeployToEmptyFleet_ListenerOnEmptyBlueIsNotAViolation()
    {
        var points = new[]
        {
            Point(0, new(100, 0, 0, 0), new(0, 0, 0, 0)),
            Point(40, new(100, 0, 0, 0), new(0, 2, 2, 0)),
            Point(220, new(100, 0, 0, 0), new(0, 2, 2, 2)),
            Point(230, new(0, 0, 0, 0), new(100, 2, 2, 2)),
        };

        Assert.Empty(SafetyInvariant.Check(points));
    }

    [Fact]
    public void Check_FirstDeployRolledBackToTheEmptyBlue_NotAViolationBecauseBlueNeverServed()
    {
        // A rolled-back first deployment restores the listener as it was: on an empty blue that never served.
        var points = new[]
        {
            Point(0, new(100, 0, 0, 0), new(0, 2, 2, 2)),
            Point(10, new(0, 0, 0, 0), new(100, 2, 2, 2)),
            Point(90, new(100, 0, 0, 0), new(0, 2, 2, 2)),
            Point(90, new(100, 0, 0, 0), new(0, 0, 0, 0)),
        };

        Assert.Empty(SafetyInvariant.Check(points));
    }

    [Fact]
    public void Check_TrafficBackToAColourThatServedAndWasEmptied_Violation()
    {
        var points = new[]
        {
            Point(0, new(100, 2, 2, 2), new(0, 2, 2, 2)),
            Point(10, new(0, 2, 2, 2), new(100, 2, 2, 2)),
            Point(20, new(0, 0, 0, 0), new(100, 2, 2, 2)),
            Point(30, new(100, 0, 0, 0), new(0, 2, 2, 2)),
        };

        var violation = Assert.Single(SafetyInvariant.Check(points));

        Assert.Equal(Colour.Blue, violation.Colour);
        Assert.Equal(RegionFixture.Start.AddSeconds(30), violation.At);
    }

    [Fact]
    public void Check_DrainingTargetsOnLiveColour_Violation()
    {
        var points = new[]
        {
            Point(0, new(100, 2, 2, 2), new(0, 0, 0, 0)),
            Point(5, new(100, 2, 2, 1), new(0, 0, 0, 0)),
        };

        Assert.Single(SafetyInvariant.Check(points));
    }

    [Fact]
    public void Check_LiveInstanceLostToAnOutsideFault_CreditedWhileReplaced()
    {
        var points = new[]
        {
            Point(0, new(100, 3, 3, 3), new(0, 0, 0, 0)),
            Point(40, new(100, 3, 3, 2, ExternalDeficit: 1), new(0, 0, 0, 0)),
        };

        Assert.Empty(SafetyInvariant.Check(points));
    }

    [Fact]
    public void Check_SwapToAColourStillReplacingAnInstance_ViolationBecausePhoenixChoseTheMoment()
    {
        static TimelinePoint Listener(int second, ColourState blue, ColourState green) =>
            new(RegionFixture.Start.AddSeconds(second), new RegionChange(RegionFixture.Start.AddSeconds(second), "Listener", "arn", "swap"), blue, green);
        var points = new[]
        {
            Point(0, new(100, 3, 3, 3), new(0, 3, 3, 2, ExternalDeficit: 1)),
            Listener(10, new(0, 3, 3, 3), new(100, 3, 3, 2, ExternalDeficit: 1)),
        };

        var violation = Assert.Single(SafetyInvariant.Check(points));

        Assert.Equal(Colour.Green, violation.Colour);
    }

    [Fact]
    public void Check_RuleTrafficToAnEmptiedColour_Violation()
    {
        var points = new[]
        {
            Point(0, new(100, 2, 2, 2, RuleWeight: 1), new(0, 2, 2, 2)),
            Point(10, new(0, 2, 2, 2, RuleWeight: 1), new(100, 2, 2, 2)),
            Point(20, new(0, 0, 0, 0, RuleWeight: 1), new(100, 2, 2, 2)),
        };

        var violation = Assert.Single(SafetyInvariant.Check(points));

        Assert.Equal(Colour.Blue, violation.Colour);
    }

    [Fact]
    public async Task TimelineRecorder_ScaleDownLiveBeforeListenerChange_RecordsViolationAtThatInstant()
    {
        var fixture = new RegionFixture(capacity: 2);
        var topology = fixture.Topology;
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(topology.Green.AutoScalingGroupName, 2, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(5));

        // The wrong order: scale blue in first, then move traffic, both at the same virtual instant.
        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(topology.Blue.AutoScalingGroupName, MinSize: 0, DesiredCapacity: 0), None);
        await fixture.Region.LoadBalancer.ModifyListenerWeightsAsync(
            topology.ListenerArn, [new(topology.Blue.TargetGroupArn, 0), new(topology.Green.TargetGroupArn, 100)], None);

        var violation = Assert.Single(fixture.Timeline.Violations);
        Assert.Equal(Colour.Blue, violation.Colour);
        Assert.Equal(TimeSpan.FromMinutes(5), violation.At - RegionFixture.Start);
        Assert.Equal(fixture.Timeline.Violations, SafetyInvariant.Check(fixture.Timeline.Points));
    }

    [Fact]
    public async Task TimelineRecorder_ListenerChangeThenScaleDown_NoViolationAndTrafficTimelineHasTheSwap()
    {
        var fixture = new RegionFixture(capacity: 2);
        var topology = fixture.Topology;
        await fixture.Region.AutoScaling.SetDesiredCapacityAsync(topology.Green.AutoScalingGroupName, 2, None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(5));

        await fixture.Region.LoadBalancer.ModifyListenerWeightsAsync(
            topology.ListenerArn, [new(topology.Blue.TargetGroupArn, 0), new(topology.Green.TargetGroupArn, 100)], None);
        await fixture.Region.AutoScaling.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup(topology.Blue.AutoScalingGroupName, MinSize: 0, DesiredCapacity: 0), None);
        fixture.AdvanceTo(TimeSpan.FromMinutes(15));

        Assert.Empty(fixture.Timeline.Violations);
        var traffic = fixture.Timeline.TrafficChanges();
        Assert.Equal([(100, 0), (0, 100)], traffic.Select(p => (p.Blue.Weight, p.Green.Weight)));
        Assert.Equal(new ColourState(0, 0, 0, 0), fixture.Timeline.Points[^1].Blue);
    }
}
