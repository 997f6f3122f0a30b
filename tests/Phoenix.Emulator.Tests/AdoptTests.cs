using System.Text.Json;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Ports;
using Phoenix.Core.Serialization;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;

namespace Phoenix.Emulator.Tests;

/// <summary>
/// <c>phoenix adopt</c> against the emulator: a group behind an ALB listener's plain forward, provisioned as a team without
/// Phoenix runs it, then the command as a user types it, then the fleet as AWS reports it.
/// </summary>
public sealed class AdoptTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto), IDisposable
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
        await _fleet.ForgetPhoenixAsync();
    }

    public void Dispose()
    {
        _fleet?.Dispose();
        _environment?.Dispose();
    }

    [EmulatorFact]
    public async Task Adopt_GroupBehindAPlainForward_CreatesTheIdleTwinSplitsTheListenerAndWritesTheTopology()
    {
        var blue = Fleet.Topology.Blue;
        var instancesBefore = (await Fleet.InstancesAsync(Core.Domain.Colour.Blue)).Select(i => i.InstanceId).Order(StringComparer.Ordinal).ToList();

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "adopt", "--app", "web", "--auto-scaling-group", blue.AutoScalingGroupName, "--listener-arn", Fleet.ListenerArn);

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("Adopted web: no instance and no traffic changed.", text, StringComparison.Ordinal);
        using var asgClient = Moto.Clients().AutoScaling();
        using var elbClient = Moto.Clients().ElasticLoadBalancingV2();
        var autoScaling = new AutoScalingAdapter(asgClient);
        var loadBalancer = new LoadBalancerAdapter(elbClient);

        var blueGroup = (await autoScaling.DescribeAutoScalingGroupAsync(blue.AutoScalingGroupName, None))!;
        var twin = (await autoScaling.DescribeAutoScalingGroupAsync("phoenix-web-green", None))!;
        Assert.Equal((0, 0, 0), (twin.MinSize, twin.MaxSize, twin.DesiredCapacity));
        Assert.Equal(blueGroup.LaunchTemplate, twin.LaunchTemplate);
        Assert.Equal((blueGroup.VpcZoneIdentifier, "ELB", 300), (twin.VpcZoneIdentifier, twin.HealthCheckType, twin.HealthCheckGracePeriod));
        Assert.Equal(
            ["Environment=test", "Name=web-blue", "PhoenixApplication=web", "PhoenixColour=green"],
            twin.Tags!.Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal));
        Assert.Contains(new GroupTag("PhoenixColour", "blue", true), blueGroup.Tags!);

        var blueTargetGroup = (await loadBalancer.DescribeTargetGroupAsync(blue.TargetGroupArn, byName: false, None))!;
        var twinTargetGroup = (await loadBalancer.DescribeTargetGroupAsync("phoenix-web-green", byName: true, None))!;
        Assert.Equal(blueTargetGroup.Settings with { Name = "phoenix-web-green" }, twinTargetGroup.Settings);
        Assert.Equal([twinTargetGroup.TargetGroupArn], twin.TargetGroupArns);

        var weights = await Fleet.ListenerWeightsAsync();
        Assert.Equal(new Dictionary<string, int> { [blue.TargetGroupArn] = 100, [twinTargetGroup.TargetGroupArn] = 0 }, weights);

        using var ssm = Moto.Clients().SimpleSystemsManagement();
        var topology = JsonSerializer.Deserialize(
            (await ssm.GetParameterAsync(new Amazon.SimpleSystemsManagement.Model.GetParameterRequest { Name = Fleet.TopologyParameterName })).Parameter.Value,
            CoreJsonContext.Default.FleetTopology)!;
        Assert.Equal((blue.AutoScalingGroupName, blue.TargetGroupArn), (topology.Blue.AutoScalingGroupName, topology.Blue.TargetGroupArn));
        Assert.Equal(("phoenix-web-green", twinTargetGroup.TargetGroupArn), (topology.Green.AutoScalingGroupName, topology.Green.TargetGroupArn));

        // What serves is as it was: the same instances at the same size.
        Assert.Equal(instancesBefore, (await Fleet.InstancesAsync(Core.Domain.Colour.Blue)).Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.Equal((2, 2), (blueGroup.MinSize, blueGroup.DesiredCapacity));
    }

    [EmulatorFact]
    public async Task Adopt_DryRun_ChangesNothing()
    {
        var (exit, text, error) = await CliRunner.RunAsync(
            Moto, output, "adopt", "--app", "web", "--auto-scaling-group", Fleet.Topology.Blue.AutoScalingGroupName, "--listener-arn", Fleet.ListenerArn, "--dry-run");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.EndsWith("Dry run: nothing was changed.\n", text, StringComparison.Ordinal);
        using var asgClient = Moto.Clients().AutoScaling();
        Assert.Null(await new AutoScalingAdapter(asgClient).DescribeAutoScalingGroupAsync("phoenix-web-green", None));
        Assert.Equal(new Dictionary<string, int> { [Fleet.Topology.Blue.TargetGroupArn] = 1 }, await Fleet.ListenerWeightsAsync());
    }

    [EmulatorFact]
    public async Task Adopt_GroupAttachedToTwoTargetGroups_ExitsOneNamingThemAndChangesNothing()
    {
        using var elb = new Provisioning.LoadBalancingProvisioner(Moto);
        var second = (await elb.CreateTargetGroupAsync(new Provisioning.CreateTargetGroupRequest { Name = "web-extra", Protocol = "HTTP", Port = 8080, VpcId = Fleet.VpcId, TargetType = "instance" }))
            .TargetGroups!.Single().TargetGroupArn!;
        using var asgClient = Moto.Clients().AutoScaling();
        var blue = (await new AutoScalingAdapter(asgClient).DescribeAutoScalingGroupAsync(Fleet.Topology.Blue.AutoScalingGroupName, None))!;
        using (var provisioner = new Provisioning.AutoScalingProvisioner(Moto))
        {
            await provisioner.CreateAutoScalingGroupAsync(new Provisioning.CreateAutoScalingGroupRequest
            {
                AutoScalingGroupName = "web-two",
                LaunchTemplate = new Provisioning.LaunchTemplateReference { LaunchTemplateId = blue.LaunchTemplate.LaunchTemplateId, Version = blue.LaunchTemplate.Version },
                MinSize = 0,
                MaxSize = 0,
                DesiredCapacity = 0,
                VPCZoneIdentifier = blue.VpcZoneIdentifier,
                TargetGroupARNs = [Fleet.Topology.Blue.TargetGroupArn, second],
            });
        }

        var (exit, _, error) = await CliRunner.RunAsync(Moto, output, "adopt", "--app", "web", "--auto-scaling-group", "web-two", "--listener-arn", Fleet.ListenerArn);

        Assert.Equal(1, exit);
        Assert.Equal(
            $"phoenix adopt: refused: Cannot adopt 'web': Auto Scaling group 'web-two' is attached to 2 target groups ({Fleet.Topology.Blue.TargetGroupArn}, {second}): "
            + "Phoenix needs exactly one, the one the listener forwards to. Nothing was changed.",
            error.Trim());
        Assert.Null(await new AutoScalingAdapter(asgClient).DescribeAutoScalingGroupAsync("phoenix-web-green", None));
    }
}
