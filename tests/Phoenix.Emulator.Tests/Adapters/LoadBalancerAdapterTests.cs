using Phoenix.Aws.Adapters;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;
using ElbModel = Phoenix.Aws.ElasticLoadBalancingV2.Model;

namespace Phoenix.Emulator.Tests.Adapters;

public sealed class LoadBalancerAdapterTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task DescribeListenerWeights_NewFleet_BlueCarriesAllTraffic()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto);
        using var client = Moto.Clients().ElasticLoadBalancingV2();

        var weights = await new LoadBalancerAdapter(client).DescribeListenerWeightsAsync(fleet.ListenerArn, CancellationToken.None);

        Assert.Equal([new TargetGroupWeight(fleet.Topology.Blue.TargetGroupArn, 100), new TargetGroupWeight(fleet.Topology.Green.TargetGroupArn, 0)], weights);
    }

    [EmulatorFact]
    public async Task ModifyListenerWeights_SwapToGreen_IsReadBack()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto);
        using var client = Moto.Clients().ElasticLoadBalancingV2();
        var adapter = new LoadBalancerAdapter(client);
        TargetGroupWeight[] swapped = [new(fleet.Topology.Blue.TargetGroupArn, 0), new(fleet.Topology.Green.TargetGroupArn, 100)];

        await adapter.ModifyListenerWeightsAsync(fleet.ListenerArn, swapped, CancellationToken.None);

        Assert.Equal(swapped, await adapter.DescribeListenerWeightsAsync(fleet.ListenerArn, CancellationToken.None));
        Assert.Equal((0, 100), ((await fleet.ObserveAsync()).Blue.Weight, (await fleet.ObserveAsync()).Green.Weight));
    }

    [EmulatorFact]
    public async Task ModifyListenerWeights_Canary_SplitsTraffic()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto);
        using var client = Moto.Clients().ElasticLoadBalancingV2();
        var adapter = new LoadBalancerAdapter(client);
        TargetGroupWeight[] canary = [new(fleet.Topology.Blue.TargetGroupArn, 90), new(fleet.Topology.Green.TargetGroupArn, 10)];

        await adapter.ModifyListenerWeightsAsync(fleet.ListenerArn, canary, CancellationToken.None);

        Assert.Equal(canary, await adapter.DescribeListenerWeightsAsync(fleet.ListenerArn, CancellationToken.None));
    }

    [EmulatorFact]
    public async Task DescribeListenerWeights_UnknownListener_ThrowsListenerNotFound()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().ElasticLoadBalancingV2();
        var unknown = fleet.ListenerArn[..fleet.ListenerArn.LastIndexOf('/')] + "/0123456789abcdef";

        var error = await Assert.ThrowsAsync<ListenerNotFoundException>(() => new LoadBalancerAdapter(client).DescribeListenerWeightsAsync(unknown, CancellationToken.None));

        Assert.Equal("ListenerNotFound", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task ModifyListenerWeights_UnknownTargetGroup_ThrowsTargetGroupNotFound()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().ElasticLoadBalancingV2();
        var unknown = fleet.Topology.Green.TargetGroupArn[..fleet.Topology.Green.TargetGroupArn.LastIndexOf('/')] + "/0123456789abcdef";

        var error = await Record.ExceptionAsync(() => new LoadBalancerAdapter(client).ModifyListenerWeightsAsync(
            fleet.ListenerArn, [new(fleet.Topology.Blue.TargetGroupArn, 0), new(unknown, 100)], CancellationToken.None));

        if (error is null)
        {
            MotoGap.ModifyListenerUnknownTargetGroup.Met(output);
            return;
        }

        Assert.Equal("TargetGroupNotFound", Assert.IsType<TargetGroupNotFoundException>(error).ErrorCode);
        Assert.Equal(100, (await fleet.ObserveAsync()).Blue.Weight);
    }

    [EmulatorFact]
    public async Task DescribeTargetHealth_LiveGroup_ListsItsInstances()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var client = Moto.Clients().ElasticLoadBalancingV2();

        var targets = await new LoadBalancerAdapter(client).DescribeTargetHealthAsync(fleet.Topology.Blue.TargetGroupArn, CancellationToken.None);

        var instances = (await fleet.InstancesAsync(Colour.Blue)).Select(i => i.InstanceId!).Order(StringComparer.Ordinal);
        Assert.Equal(instances, targets.Select(t => t.TargetId).Order(StringComparer.Ordinal));
        Assert.All(targets, t => Assert.Equal("healthy", t.State));
    }

    [EmulatorFact]
    public async Task DescribeTargetHealth_TerminatedInstance_IsNoLongerHealthy()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2);
        using var clients = new Clients(Moto);
        var victim = (await fleet.InstancesAsync(Colour.Blue))[0].InstanceId!;
        await new AutoScalingAdapter(clients.AutoScaling).TerminateInstanceInAutoScalingGroupAsync(victim, shouldDecrementDesiredCapacity: false, CancellationToken.None);

        var targets = await new LoadBalancerAdapter(clients.LoadBalancing).DescribeTargetHealthAsync(fleet.Topology.Blue.TargetGroupArn, CancellationToken.None);

        // AWS deregisters a terminated group instance (draining, then gone); it is never "healthy" again.
        if (targets.FirstOrDefault(t => t.TargetId == victim) is { State: "healthy" })
        {
            MotoGap.TargetHealthNeverProbed.Met(output);
            return;
        }

        Assert.DoesNotContain(targets, t => t.TargetId == victim && t.State == "healthy");
    }

    [EmulatorFact]
    public async Task DescribeTargetHealth_UnknownTargetGroup_ThrowsTargetGroupNotFound()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().ElasticLoadBalancingV2();
        var unknown = fleet.Topology.Blue.TargetGroupArn[..fleet.Topology.Blue.TargetGroupArn.LastIndexOf('/')] + "/0123456789abcdef";

        var error = await Assert.ThrowsAsync<TargetGroupNotFoundException>(() => new LoadBalancerAdapter(client).DescribeTargetHealthAsync(unknown, CancellationToken.None));

        Assert.Equal("TargetGroupNotFound", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task DescribeTargetGroups_ByArn_ReadsNameAndLoadBalancer()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().ElasticLoadBalancingV2();

        var response = await client.DescribeTargetGroupsAsync(new ElbModel.DescribeTargetGroupsRequest { TargetGroupArns = [fleet.Topology.Green.TargetGroupArn] });

        var group = Assert.Single(response.TargetGroups!);
        Assert.Equal((fleet.Topology.Green.TargetGroupArn, "web-green"), (group.TargetGroupArn, group.TargetGroupName));
        Assert.Equal([fleet.LoadBalancerArn], group.LoadBalancerArns);
        Assert.Equal(("HTTP", 80, "/health", 15, 2), (group.Protocol, group.Port, group.HealthCheckPath, group.HealthCheckIntervalSeconds, group.HealthyThresholdCount));
    }
}
