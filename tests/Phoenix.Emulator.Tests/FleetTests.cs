using Phoenix.Aws.Adapters;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Support;

namespace Phoenix.Emulator.Tests;

/// <summary>The provisioned fleet is what the fleet stack creates and what the deployment tests start from.</summary>
public sealed class FleetTests(MotoServer moto) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task CreateAsync_DefaultFleet_BlueLiveAtCapacityGreenIdle()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);

        var observed = await fleet.ObserveAsync();

        Assert.Equal(new ColourObservation(2, 2, 4, 2, 100, 1, fleet.InitialImageId), observed.Blue);
        Assert.Equal(new ColourObservation(0, 0, 4, 0, 0, 1, fleet.InitialImageId), observed.Green);
        Assert.NotEqual(fleet.InitialImageId, fleet.NewImageId);
    }

    [EmulatorFact]
    public async Task CreateAsync_TopologyParameter_ReadsBackThroughTheAdapter()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, application: "shop");
        using var ssm = Moto.Clients().SimpleSystemsManagement();

        var topology = await new ParameterStoreAdapter(ssm).GetAsync("shop", CancellationToken.None);

        Assert.NotNull(topology);
        Assert.Equal(fleet.Topology with { AlarmNames = [] }, topology with { AlarmNames = [] });
        Assert.Equal([fleet.AlarmName], topology.AlarmNames);
        Assert.Equal(fleet.TopicArn, topology.DeploymentTopicArn);
        Assert.Equal("shop-blue", topology.Blue.AutoScalingGroupName);
    }

    [EmulatorFact]
    public async Task ReceiveNotificationsAsync_PublishedChatJson_ComesBackUnwrapped()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var sns = Moto.Clients().SimpleNotificationService();

        await new NotifierAdapter(sns).PublishAsync(fleet.TopicArn, [new OutgoingMessage("1", "{\"version\":\"1.0\",\"source\":\"custom\"}", "hello")], CancellationToken.None);
        var received = await fleet.ReceiveNotificationsAsync();

        var notification = Assert.Single(received);
        Assert.Equal(("hello", "1.0", fleet.TopicArn), (notification.Subject, (string?)notification.Message["version"], notification.TopicArn));
        Assert.Empty(await fleet.ReceiveNotificationsAsync());
    }

    [EmulatorFact]
    public async Task SetAlarmStateAsync_Alarm_IsWhatPhoenixReads()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var cloudWatch = Moto.Clients().CloudWatch();
        var alarms = new AlarmsAdapter(cloudWatch);

        var before = Assert.Single(await alarms.DescribeAlarmsAsync([fleet.AlarmName], CancellationToken.None));
        await fleet.SetAlarmStateAsync("ALARM", "5xx above 5");
        var after = Assert.Single(await alarms.DescribeAlarmsAsync([fleet.AlarmName], CancellationToken.None));

        Assert.Equal("OK", before.StateValue);
        Assert.Equal(("ALARM", "5xx above 5"), (after.StateValue, after.StateReason));
    }

    [EmulatorFact]
    public async Task CreateAsync_LiveInstances_CarryTheApplicationTagAndTheInitialImage()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var ec2Client = Moto.Clients().Ec2();

        var ids = (await fleet.InstancesAsync(Colour.Blue)).Select(i => i.InstanceId!).ToList();
        var instances = await new Ec2Adapter(ec2Client).DescribeInstancesAsync(ids, CancellationToken.None);

        Assert.Equal(2, instances.Count);
        Assert.All(instances, i =>
        {
            Assert.Equal(fleet.InitialImageId, i.ImageId);
            Assert.Equal("web", i.Tags.GetValueOrDefault(EmulatorFleet.ApplicationTag));
            Assert.Equal("web-blue", i.Tags.GetValueOrDefault("aws:autoscaling:groupName"));
        });
    }
}
