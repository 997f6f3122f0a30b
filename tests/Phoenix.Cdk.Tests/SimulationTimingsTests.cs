using System.Globalization;
using Phoenix.Cdk.Tests.Support;
using Phoenix.Cli.Simulation;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// <c>phoenix simulate</c>'s default timings are the shipped fleet's, so its figures describe what users deploy: read
/// from the synthesized fleet stack, so a change to BlueGreenFleet that is not made to SimulationTimings fails here.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class SimulationTimingsTests(SynthesizedApp app)
{
    [Fact]
    public void Default_TargetGroupHealthChecksAndDeregistration_MatchTheSynthesizedFleet()
    {
        var timings = SimulationTimings.Default;
        var groups = Json.Resources(app.JsonOf(app.Stacks.Fleet), "AWS::ElasticLoadBalancingV2::TargetGroup").ToList();

        Assert.Equal(2, groups.Count);
        Assert.All(groups, g =>
        {
            var properties = g.Resource["Properties"]!;
            Assert.Equal(timings.HealthCheckInterval.TotalSeconds, (int)properties["HealthCheckIntervalSeconds"]!);
            Assert.Equal(timings.HealthCheckTimeout.TotalSeconds, (int)properties["HealthCheckTimeoutSeconds"]!);
            Assert.Equal(timings.HealthyThreshold, (int)properties["HealthyThresholdCount"]!);
            Assert.Equal(timings.UnhealthyThreshold, (int)properties["UnhealthyThresholdCount"]!);
            var deregistration = properties["TargetGroupAttributes"]!.AsArray()
                .Single(a => (string?)a!["Key"] == "deregistration_delay.timeout_seconds")!["Value"]!;
            Assert.Equal(timings.DeregistrationDelay.TotalSeconds, double.Parse((string)deregistration!, CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public void Default_HealthCheckGracePeriod_MatchesTheSynthesizedGroups()
    {
        var groups = Json.Resources(app.JsonOf(app.Stacks.Fleet), "AWS::AutoScaling::AutoScalingGroup").ToList();

        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.Equal(
            SimulationTimings.Default.HealthCheckGracePeriod.TotalSeconds, (int)g.Resource["Properties"]!["HealthCheckGracePeriod"]!));
    }
}
