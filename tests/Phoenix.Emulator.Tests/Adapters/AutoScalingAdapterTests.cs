using Amazon.Runtime;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.AutoScaling;
using Phoenix.Core;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;
using AsgModel = Phoenix.Aws.AutoScaling.Model;

namespace Phoenix.Emulator.Tests.Adapters;

public sealed class AutoScalingAdapterTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task DescribeAutoScalingGroup_LiveGroup_ReadsSizesTemplateInstancesAndTargetGroup()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var client = Moto.Clients().AutoScaling();

        var group = await new AutoScalingAdapter(client).DescribeAutoScalingGroupAsync("web-blue", CancellationToken.None);

        Assert.NotNull(group);
        Assert.Equal(("web-blue", 2, 4, 2, 300), (group.AutoScalingGroupName, group.MinSize, group.MaxSize, group.DesiredCapacity, group.HealthCheckGracePeriod));
        Assert.Equal(new LaunchTemplateSpecification(fleet.Topology.Blue.LaunchTemplateId, "1"), group.LaunchTemplate);
        Assert.Equal([fleet.Topology.Blue.TargetGroupArn], group.TargetGroupArns);
        Assert.Equal(2, group.Instances.Count);
        Assert.All(group.Instances, i => Assert.Equal(("InService", "Healthy"), (i.LifecycleState, i.HealthStatus)));
        Assert.All(group.Instances, i => Assert.Matches("^i-[0-9a-f]+$", i.InstanceId));
    }

    [EmulatorFact]
    public async Task DescribeAutoScalingGroup_UnknownGroup_ReturnsNull()
    {
        using var client = Moto.Clients().AutoScaling();

        var group = await new AutoScalingAdapter(client).DescribeAutoScalingGroupAsync("nobody-blue", CancellationToken.None);

        Assert.Null(group);
    }

    [EmulatorFact]
    public async Task UpdateAutoScalingGroup_SizesAndNewTemplateVersion_AreReadBackAndLaunchTheNewImage()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var clients = new Clients(Moto);
        var ec2 = new Ec2Adapter(clients.Ec2);
        var autoScaling = new AutoScalingAdapter(clients.AutoScaling);
        var version = await ec2.CreateLaunchTemplateVersionAsync(fleet.Topology.Green.LaunchTemplateId, "1", fleet.NewImageId, "token-1", CancellationToken.None);

        await autoScaling.UpdateAutoScalingGroupAsync(
            new UpdateAutoScalingGroup("web-green", MinSize: 2, MaxSize: 4, DesiredCapacity: 2, LaunchTemplate: new LaunchTemplateSpecification(version.LaunchTemplateId, "2")),
            CancellationToken.None);
        var observed = await fleet.ObserveAsync();

        Assert.Equal(2, version.VersionNumber);
        Assert.Equal(new ColourObservation(2, 2, 4, 2, 0, 2, fleet.NewImageId), observed.Green);
        var launched = await ec2.DescribeInstancesAsync((await fleet.InstancesAsync(Colour.Green)).Select(i => i.InstanceId!).ToList(), CancellationToken.None);
        Assert.All(launched, i => Assert.Equal(fleet.NewImageId, i.ImageId));
    }

    [EmulatorFact]
    public async Task UpdateAutoScalingGroup_NullFields_LeaveThemUnchanged()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var client = Moto.Clients().AutoScaling();

        await new AutoScalingAdapter(client).UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup("web-blue", MaxSize: 3), CancellationToken.None);

        var observed = await fleet.ObserveAsync();
        Assert.Equal((2, 2, 3, 1L), (observed.Blue.Desired, observed.Blue.Min, observed.Blue.Max, observed.Blue.LaunchTemplateVersion));
    }

    [EmulatorFact]
    public async Task UpdateAutoScalingGroup_UnknownGroup_ThrowsValidationError()
    {
        using var client = Moto.Clients().AutoScaling();

        var error = await Assert.ThrowsAsync<ValidationErrorException>(() =>
            new AutoScalingAdapter(client).UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup("nobody-blue", DesiredCapacity: 1), CancellationToken.None));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task SetDesiredCapacity_WithinBounds_LaunchesInstances()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var client = Moto.Clients().AutoScaling();

        await new AutoScalingAdapter(client).SetDesiredCapacityAsync("web-blue", 3, CancellationToken.None);

        var observed = await fleet.ObserveAsync();
        Assert.Equal((3, 3), (observed.Blue.Desired, observed.Blue.InService));
    }

    [EmulatorFact]
    public async Task SetDesiredCapacity_AboveMaxSize_ThrowsValidationError()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var client = Moto.Clients().AutoScaling();

        // AWS: "New SetDesiredCapacity value 9 is above max value 4 for the AutoScalingGroup." (ValidationError, 400).
        var error = await Record.ExceptionAsync(() => new AutoScalingAdapter(client).SetDesiredCapacityAsync("web-blue", 9, CancellationToken.None));

        if (error is null)
        {
            MotoGap.SetDesiredCapacityAboveMax.Met(output);
            Assert.Equal(9, (await fleet.ObserveAsync()).Blue.Desired);
            return;
        }

        Assert.Equal("ValidationError", Assert.IsType<ValidationErrorException>(error).ErrorCode);
    }

    [EmulatorFact]
    public async Task SetDesiredCapacity_UnknownGroup_IsNotRetriedAsTransientOnAws()
    {
        using var client = Moto.Clients().AutoScaling();

        var error = await Record.ExceptionAsync(() => new AutoScalingAdapter(client).SetDesiredCapacityAsync("nobody-blue", 1, CancellationToken.None));

        Assert.NotNull(error);
        if (error is TransientFailure { InnerException: AmazonServiceException { StatusCode: System.Net.HttpStatusCode.InternalServerError } })
        {
            MotoGap.UnknownGroupServerError.Met(output);
            return;
        }

        Assert.Equal("ValidationError", Assert.IsType<ValidationErrorException>(error).ErrorCode);
    }

    [EmulatorFact]
    public async Task TerminateInstanceInAutoScalingGroup_KeepingDesired_ReplacesTheInstance()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var client = Moto.Clients().AutoScaling();
        var before = (await fleet.InstancesAsync(Colour.Blue)).Select(i => i.InstanceId!).ToList();

        await new AutoScalingAdapter(client).TerminateInstanceInAutoScalingGroupAsync(before[0], shouldDecrementDesiredCapacity: false, CancellationToken.None);

        var after = (await fleet.InstancesAsync(Colour.Blue)).Where(i => i.LifecycleState == "InService").Select(i => i.InstanceId!).ToList();
        Assert.Equal(2, after.Count);
        Assert.DoesNotContain(before[0], after);
        Assert.Contains(before[1], after);
        Assert.Equal(2, (await fleet.ObserveAsync()).Blue.Desired);
    }

    [EmulatorFact]
    public async Task TerminateInstanceInAutoScalingGroup_Decrementing_ShrinksTheGroup()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var client = Moto.Clients().AutoScaling();
        await new AutoScalingAdapter(client).UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroup("web-blue", MinSize: 1), CancellationToken.None);
        var victim = (await fleet.InstancesAsync(Colour.Blue))[0].InstanceId!;

        await new AutoScalingAdapter(client).TerminateInstanceInAutoScalingGroupAsync(victim, shouldDecrementDesiredCapacity: true, CancellationToken.None);

        var observed = await fleet.ObserveAsync();
        Assert.Equal((1, 1), (observed.Blue.Desired, observed.Blue.InService));
    }

    [EmulatorFact]
    public async Task TerminateInstanceInAutoScalingGroup_UnknownInstance_IsNotRetriedAsTransientOnAws()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().AutoScaling();

        var error = await Record.ExceptionAsync(() =>
            new AutoScalingAdapter(client).TerminateInstanceInAutoScalingGroupAsync("i-0123456789abcdef0", shouldDecrementDesiredCapacity: false, CancellationToken.None));

        Assert.NotNull(error);
        if (error is TransientFailure { InnerException: AmazonServiceException { StatusCode: System.Net.HttpStatusCode.InternalServerError } })
        {
            MotoGap.UnknownGroupServerError.Met(output);
            return;
        }

        // AWS: ValidationError "Instance Id not found - No managed instance found for instance ID: i-…".
        Assert.Equal("ValidationError", Assert.IsType<ValidationErrorException>(error).ErrorCode);
    }

    [EmulatorFact]
    public async Task DescribeScalingActivities_AfterAScaleOut_ListsTheGroupsActivities()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().AutoScaling();
        await new AutoScalingAdapter(client).SetDesiredCapacityAsync("web-blue", 2, CancellationToken.None);

        var response = await client.DescribeScalingActivitiesAsync(new AsgModel.DescribeScalingActivitiesRequest { AutoScalingGroupName = "web-blue" });

        if (response.Activities is not { Count: > 0 } activities)
        {
            MotoGap.ScalingActivitiesEmpty.Met(output);
            Assert.NotNull(response.ResponseMetadata?.RequestId);
            return;
        }

        Assert.All(activities, a => Assert.Equal("web-blue", a.AutoScalingGroupName));
    }
}
