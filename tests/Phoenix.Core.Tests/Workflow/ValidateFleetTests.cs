using System.Text.Json.Nodes;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>What Validate reads of the fleet before anything changes: groups, live capacity, alarms, and the history bound.</summary>
public class ValidateFleetTests
{
    [Fact]
    public async Task Validate_CapacityBelowLiveDesired_RefusesNamingBothNumbers()
    {
        var h = new RegionHarness(capacity: 4);

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() =>
            h.ValidateAsync("""{"application":"web","imageId":"ami-0123456789abcdef0","capacity":{"desired":2}}"""));

        Assert.Contains("capacity.desired 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("current desired capacity 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("capacity.allowShrink", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_CapacityBelowLiveDesiredWithAllowShrink_Passes()
    {
        var h = new RegionHarness(capacity: 4);

        var request = await h.ValidateAsync("""{"application":"web","imageId":"ami-0123456789abcdef0","capacity":{"desired":2,"allowShrink":true}}""");

        Assert.Equal((2, true), (request.Capacity!.Desired, request.AllowShrink));
    }

    [Fact]
    public async Task Validate_CapacityAtOrAboveLiveDesired_NeedsNoFlag()
    {
        var h = new RegionHarness(capacity: 4);

        var request = await h.ValidateAsync("""{"application":"web","imageId":"ami-0123456789abcdef0","capacity":{"desired":4,"max":8}}""");

        Assert.False(request.AllowShrink);
    }

    [Theory]
    [InlineData(true, false, "warm pool")]
    [InlineData(false, true, "mixed-instances policy")]
    public async Task Validate_GroupPhoenixCannotManage_ThrowsUnsupportedFleetNamingGroup(bool warmPool, bool mixed, string what)
    {
        var h = new RegionHarness();
        var green = h.Topology.Green.AutoScalingGroupName;
        var ports = h.Ports with { AutoScaling = new RewrittenDescribe(h.Ports.AutoScaling, green, g => g with { HasWarmPool = warmPool, HasMixedInstancesPolicy = mixed }) };

        var error = await Assert.ThrowsAsync<UnsupportedFleet>(() => ValidateAsync(ports, """{"application":"web","imageId":"ami-0123456789abcdef0"}"""));

        Assert.Contains($"'{green}' has a {what}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_GroupOnALaunchConfiguration_ThrowsUnsupportedFleetSayingToMoveToALaunchTemplate()
    {
        var h = new RegionHarness();
        var blue = h.Topology.Blue.AutoScalingGroupName;
        var ports = h.Ports with { AutoScaling = new RewrittenDescribe(h.Ports.AutoScaling, blue, g => g with { LaunchTemplate = null, LaunchConfigurationName = "web-lc" }) };

        var error = await Assert.ThrowsAsync<UnsupportedFleet>(() => ValidateAsync(ports, """{"application":"web","imageId":"ami-0123456789abcdef0"}"""));

        Assert.Equal(
            $"Application 'web' cannot be deployed by Phoenix as it is: Auto Scaling group '{blue}' launches from launch configuration 'web-lc', not a launch template: "
            + "Phoenix deploys each image as a new launch template version; move the group to a launch template "
            + "(AWS: \"Migrate your Auto Scaling groups to launch templates\") and try again.",
            error.Message);
    }

    [Fact]
    public void RequireLaunchTemplate_GroupOnALaunchConfiguration_ThrowsUnsupportedFleetNamingBoth()
    {
        var group = new AutoScalingGroup("web-green", 0, 0, 0, LaunchTemplate: null, [], [], LaunchConfigurationName: "web-lc");

        var error = Assert.Throws<UnsupportedFleet>(group.RequireLaunchTemplate);

        Assert.StartsWith("Auto Scaling group 'web-green' launches from launch configuration 'web-lc', not a launch template", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AlarmAlreadyInAlarm_ThrowsAlarmAlreadyFiringNamingIt()
    {
        var h = new RegionHarness();
        h.Region.SetAlarmState("web-target-5xx", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (5.0)");

        var error = await Assert.ThrowsAsync<AlarmAlreadyFiring>(() => h.ValidateAsync("""{"application":"web","imageId":"ami-0123456789abcdef0"}"""));

        Assert.Contains("web-target-5xx", error.Message, StringComparison.Ordinal);
        Assert.Contains("strategy.ignoreAlarms", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("web-p99-latency", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_FiringAlarmNamedInIgnoreAlarms_PassesAndKeepsTheList()
    {
        var h = new RegionHarness();
        h.Region.SetAlarmState("web-target-5xx", "ALARM", "Threshold Crossed");

        var request = await h.ValidateAsync("""{"application":"web","imageId":"ami-0123456789abcdef0","strategy":{"ignoreAlarms":["web-target-5xx"]}}""");

        Assert.Equal(["web-target-5xx"], request.Strategy.IgnoreAlarms!);
    }

    [Fact]
    public async Task Validate_IgnoreAlarmsNamesUnknownAlarm_RefusesNamingIt()
    {
        var h = new RegionHarness();

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() =>
            h.ValidateAsync("""{"application":"web","imageId":"ami-0123456789abcdef0","strategy":{"ignoreAlarms":["web-5xx-typo"]}}"""));

        Assert.Contains("'web-5xx-typo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("web-target-5xx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InsufficientDataAlarm_DoesNotRefuse()
    {
        var h = new RegionHarness();
        h.Region.SetAlarmState("web-target-5xx", "INSUFFICIENT_DATA", "Insufficient Data: 1 datapoint was unknown.");

        var request = await h.ValidateAsync("""{"application":"web","imageId":"ami-0123456789abcdef0"}""");

        Assert.Equal("web", request.Application);
    }

    [Fact]
    public async Task Validate_HealthTimeoutOfADay_RefusesWithComputedHistoryFigure()
    {
        var h = new RegionHarness();
        var strategy = DeploymentStrategy.Default with { HealthTimeoutSeconds = 86_400 };
        var figure = ValidateStep.WorstCaseHistoryEvents(strategy);

        var error = await Assert.ThrowsAsync<InvalidDeploymentRequest>(() =>
            h.ValidateAsync("""{"application":"web","imageId":"ami-0123456789abcdef0","strategy":{"healthTimeoutSeconds":86400}}"""));

        Assert.True(figure > ValidateStep.MaxHistoryEvents, $"{figure}");
        Assert.Contains($"{figure} Step Functions history events", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorstCaseHistoryEvents_DefaultStrategy_LeavesRoomForRetries()
    {
        Assert.InRange(ValidateStep.WorstCaseHistoryEvents(DeploymentStrategy.Default), 1_000, 2_000);
    }

    [Fact]
    public void WorstCaseHistoryEvents_EachLoopLonger_CountsMore()
    {
        var baseline = ValidateStep.WorstCaseHistoryEvents(DeploymentStrategy.Default);

        Assert.True(ValidateStep.WorstCaseHistoryEvents(DeploymentStrategy.Default with { BakeTimeoutSeconds = 7200 }) > baseline);
        Assert.True(ValidateStep.WorstCaseHistoryEvents(DeploymentStrategy.Default with { HealthTimeoutSeconds = 1800 }) > baseline);
        Assert.True(ValidateStep.WorstCaseHistoryEvents(DeploymentStrategy.Default with { BakeTimeSeconds = 600 }) > baseline);
        Assert.True(ValidateStep.WorstCaseHistoryEvents(DeploymentStrategy.Default with { TrafficSteps = [10, 100] }) > baseline);
        Assert.True(ValidateStep.WorstCaseHistoryEvents(DeploymentStrategy.Default with { Approval = true }) > baseline);
    }

    private static Task<ValidateOutput> ValidateAsync(WorkflowPorts ports, string json) =>
        new ValidateStep(ports, WorkflowSettings.Default).ExecuteAsync(new ValidateInput(JsonNode.Parse(json)), CancellationToken.None);
}
