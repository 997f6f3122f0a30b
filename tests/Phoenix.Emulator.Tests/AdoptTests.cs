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

        // What the deployed functions' IAM conditions look for: the template (new versions) and the listener (the swap).
        Assert.Equal("web", (await Fleet.LaunchTemplateTagsAsync(blue.LaunchTemplateId)).GetValueOrDefault("PhoenixApplication"));
        Assert.Equal("web", (await Fleet.LoadBalancingTagsAsync(Fleet.ListenerArn))[Fleet.ListenerArn].GetValueOrDefault("PhoenixApplication"));
    }

    [EmulatorFact]
    public async Task Adopt_ListenerWithRoutes_TagsTheRuleThatMovesWithTheColoursAndNotTheOther()
    {
        var blue = Fleet.Topology.Blue;
        using var elb = new Provisioning.LoadBalancingProvisioner(Moto);
        var assets = (await elb.CreateTargetGroupAsync(new Provisioning.CreateTargetGroupRequest { Name = "web-assets", Protocol = "HTTP", Port = 8080, VpcId = Fleet.VpcId, TargetType = "instance" }))
            .TargetGroups!.Single().TargetGroupArn!;
        var api = await CreateRouteAsync(elb, 10, "/api/*", blue.TargetGroupArn);
        var other = await CreateRouteAsync(elb, 20, "/assets/*", assets);

        var (exit, _, error) = await CliRunner.RunAsync(Moto, output, "adopt", "--app", "web", "--auto-scaling-group", blue.AutoScalingGroupName, "--listener-arn", Fleet.ListenerArn);

        Assert.Equal((0, string.Empty), (exit, error));
        var tags = await Fleet.LoadBalancingTagsAsync(Fleet.ListenerArn, api, other);
        Assert.Equal("web", tags[api].GetValueOrDefault("PhoenixApplication"));
        Assert.False(tags.TryGetValue(other, out var untouched) && untouched.ContainsKey("PhoenixApplication"));
    }

    private async Task<string> CreateRouteAsync(Provisioning.LoadBalancingProvisioner elb, int priority, string path, string targetGroupArn) =>
        (await elb.CreateRuleAsync(new Provisioning.CreateRuleRequest
        {
            ListenerArn = Fleet.ListenerArn,
            Priority = priority,
            Conditions = [new Aws.ElasticLoadBalancingV2.Model.RuleCondition { Field = "path-pattern", Values = [path] }],
            Actions = [new Aws.ElasticLoadBalancingV2.Model.Action { Type = "forward", TargetGroupArn = targetGroupArn }],
        })).Rules!.Single().RuleArn!;

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
        Assert.Contains("  tags: PhoenixApplication=web on launch template ", text, StringComparison.Ordinal);
        Assert.False((await Fleet.LaunchTemplateTagsAsync(Fleet.Topology.Blue.LaunchTemplateId)).ContainsKey("PhoenixApplication"));
        var listenerTags = await Fleet.LoadBalancingTagsAsync(Fleet.ListenerArn);
        Assert.False(listenerTags.TryGetValue(Fleet.ListenerArn, out var tags) && tags.ContainsKey("PhoenixApplication"));
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
                LaunchTemplate = new Provisioning.LaunchTemplateReference { LaunchTemplateId = blue.LaunchTemplate!.LaunchTemplateId, Version = blue.LaunchTemplate.Version },
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
    // The refusals the issue names, each against what moto reports: the exact line, exit 1 (README: "adopt refuses, naming
    // the thing and changing nothing (phoenix adopt: refused: …, exit 1)"; 2 is for bad arguments), and nothing created or
    // changed: no twin group or target group, the listener's actions and rules as they were, the group's tags as they were,
    // no topology parameter.

    [EmulatorFact]
    public async Task Adopt_GroupOnALaunchConfiguration_RefusesSayingToMoveToALaunchTemplateAndChangesNothing()
    {
        using (var provisioner = new Provisioning.AutoScalingProvisioner(Moto))
        {
            await provisioner.CreateLaunchConfigurationAsync(new Provisioning.CreateLaunchConfigurationRequest { LaunchConfigurationName = "web-lc", ImageId = Fleet.InitialImageId, InstanceType = "t3.micro" });
        }

        await CreateGroupAsync("web-legacy", r => r.LaunchConfigurationName = "web-lc");

        await AssertRefusedAsync(
            "web-legacy",
            Fleet.ListenerArn,
            "Cannot adopt 'web': Auto Scaling group 'web-legacy' launches from launch configuration 'web-lc', not a launch template: Phoenix deploys each image as a new "
            + "launch template version; move the group to a launch template (AWS: \"Migrate your Auto Scaling groups to launch templates\") and try again. Nothing was changed.");
    }

    [EmulatorFact]
    public async Task Adopt_GroupBehindAClassicLoadBalancer_RefusesNamingItAndChangesNothing()
    {
        using (var classic = new Provisioning.ClassicLoadBalancingProvisioner(Moto))
        {
            await classic.CreateLoadBalancerAsync(new Provisioning.CreateClassicLoadBalancerRequest
            {
                LoadBalancerName = "web-classic",
                Listeners = [new Provisioning.ClassicListener { Protocol = "HTTP", LoadBalancerPort = 80, InstanceProtocol = "HTTP", InstancePort = 80 }],
                Subnets = [.. Fleet.SubnetIds],
            });
        }

        await CreateGroupAsync("web-classic", r => (r.LoadBalancerNames, r.TargetGroupARNs) = (["web-classic"], null));

        await AssertRefusedAsync(
            "web-classic",
            Fleet.ListenerArn,
            "Cannot adopt 'web': Auto Scaling group 'web-classic' is attached to Classic Load Balancer web-classic: a Classic Load Balancer has no listener that can split "
            + "traffic by weight; put the group behind an Application Load Balancer target group first. Nothing was changed.");
    }

    [EmulatorFact]
    public async Task Adopt_NetworkLoadBalancerListener_RefusesBecauseItsForwardTakesOneTargetGroupAndChangesNothing()
    {
        // ELBv2 API reference, Action.ForwardConfig: "For Network Load Balancers, you can specify a single target group."
        string listenerArn;
        string targetGroupArn;
        using (var elb = new Provisioning.LoadBalancingProvisioner(Moto))
        {
            var nlb = (await elb.CreateLoadBalancerAsync(new Provisioning.CreateLoadBalancerRequest { Name = "web-nlb", Subnets = [.. Fleet.SubnetIds], Scheme = "internal", Type = "network" }))
                .LoadBalancers!.Single().LoadBalancerArn!;
            targetGroupArn = (await elb.CreateTargetGroupAsync(new Provisioning.CreateTargetGroupRequest { Name = "web-tcp", Protocol = "TCP", Port = 80, VpcId = Fleet.VpcId, TargetType = "instance" }))
                .TargetGroups!.Single().TargetGroupArn!;
            listenerArn = (await elb.CreateListenerAsync(new Provisioning.CreateListenerRequest
            {
                LoadBalancerArn = nlb,
                Protocol = "TCP",
                Port = 80,
                DefaultActions = [new Aws.ElasticLoadBalancingV2.Model.Action { Type = "forward", TargetGroupArn = targetGroupArn }],
            })).Listeners!.Single().ListenerArn!;
        }

        await CreateGroupAsync("web-tcp", r => r.TargetGroupARNs = [targetGroupArn]);

        await AssertRefusedAsync(
            "web-tcp",
            listenerArn,
            $"Cannot adopt 'web': listener '{listenerArn}' is a TCP listener (Network or Gateway Load Balancer): its forward takes a single target group, so traffic cannot be "
            + "split by weight between two colours; Phoenix needs an Application Load Balancer (HTTP or HTTPS) listener. Nothing was changed.");
    }

    [EmulatorFact]
    public async Task Adopt_MixedInstancesPolicyGroup_RefusesNamingItAndChangesNothing()
    {
        var blue = await BlueLaunchTemplateAsync();
        await CreateGroupAsync("web-mixed", r => (r.LaunchTemplate, r.MixedInstancesPolicy) = (null, new Provisioning.MixedInstancesPolicy
        {
            LaunchTemplate = new Provisioning.MixedInstancesLaunchTemplate
            {
                LaunchTemplateSpecification = new Provisioning.LaunchTemplateReference { LaunchTemplateId = blue.LaunchTemplateId, Version = blue.Version },
                Overrides = [new Provisioning.InstanceTypeOverride { InstanceType = "t3.micro" }, new Provisioning.InstanceTypeOverride { InstanceType = "t3a.micro" }],
            },
        }));

        await AssertRefusedAsync(
            "web-mixed",
            Fleet.ListenerArn,
            "Cannot adopt 'web': Auto Scaling group 'web-mixed' has a mixed-instances policy: Phoenix points a group at one launch template version, which would replace "
            + "the policy; give the group a single launch template instead of the policy to adopt it. Nothing was changed.");
    }

    [EmulatorFact]
    public async Task Adopt_DefaultForwardSplitWithAThirdTargetGroup_RefusesNamingBothAndChangesNothing()
    {
        // ELBv2 allows one forward action per rule (Rule.Actions: "exactly one of … forward, redirect, or fixed-response"), so
        // "several forwards" on AWS is one forward to several target groups: here the group's and another, 90/10.
        var blueTargetGroup = Fleet.Topology.Blue.TargetGroupArn;
        var extra = await CreateTargetGroupAsync("web-extra");
        using (var elb = Moto.Clients().ElasticLoadBalancingV2())
        {
            await elb.ModifyListenerAsync(new Aws.ElasticLoadBalancingV2.Model.ModifyListenerRequest
            {
                ListenerArn = Fleet.ListenerArn,
                DefaultActions = [Forward((blueTargetGroup, 90), (extra, 10))],
            });
        }

        await AssertRefusedAsync(
            Fleet.Topology.Blue.AutoScalingGroupName,
            Fleet.ListenerArn,
            $"Cannot adopt 'web': listener '{Fleet.ListenerArn}' forwards to {blueTargetGroup} (weight 90), {extra} (weight 10), not only to target group '{blueTargetGroup}' "
            + $"of Auto Scaling group '{Fleet.Topology.Blue.AutoScalingGroupName}': make its default action forward to that target group alone, then adopt. Nothing was changed.");
    }

    [EmulatorFact]
    public async Task Adopt_RuleForwardingToTheGroupAndAThirdTargetGroup_RefusesNamingTheRuleAndChangesNothing()
    {
        var blueTargetGroup = Fleet.Topology.Blue.TargetGroupArn;
        var extra = await CreateTargetGroupAsync("web-extra");
        string ruleArn;
        using (var elb = new Provisioning.LoadBalancingProvisioner(Moto))
        {
            ruleArn = (await elb.CreateRuleAsync(new Provisioning.CreateRuleRequest
            {
                ListenerArn = Fleet.ListenerArn,
                Priority = 10,
                Conditions = [new Aws.ElasticLoadBalancingV2.Model.RuleCondition { Field = "path-pattern", PathPatternConfig = new Aws.ElasticLoadBalancingV2.Model.ValuesConditionConfig { Values = ["/api/*"] } }],
                Actions = [Forward((blueTargetGroup, 50), (extra, 50))],
            })).Rules!.Single().RuleArn!;
        }

        await AssertRefusedAsync(
            Fleet.Topology.Blue.AutoScalingGroupName,
            Fleet.ListenerArn,
            $"Cannot adopt 'web': listener '{Fleet.ListenerArn}' rule '{ruleArn}' (priority 10) forwards to a target group of 'web' and to '{extra}', which Phoenix does not own; "
            + "its weights could not move with the live colour. Nothing was changed.");
    }

    private static Aws.ElasticLoadBalancingV2.Model.Action Forward(params (string Arn, int Weight)[] targets) => new()
    {
        Type = "forward",
        ForwardConfig = new Aws.ElasticLoadBalancingV2.Model.ForwardActionConfig
        {
            TargetGroups = [.. targets.Select(t => new Aws.ElasticLoadBalancingV2.Model.TargetGroupTuple { TargetGroupArn = t.Arn, Weight = t.Weight })],
        },
    };

    private async Task<LaunchTemplateSpecification> BlueLaunchTemplateAsync()
    {
        using var asgClient = Moto.Clients().AutoScaling();
        return (await new AutoScalingAdapter(asgClient).DescribeAutoScalingGroupAsync(Fleet.Topology.Blue.AutoScalingGroupName, None))!.LaunchTemplate!;
    }

    private async Task<string> CreateTargetGroupAsync(string name)
    {
        using var elb = new Provisioning.LoadBalancingProvisioner(Moto);
        return (await elb.CreateTargetGroupAsync(new Provisioning.CreateTargetGroupRequest { Name = name, Protocol = "HTTP", Port = 80, VpcId = Fleet.VpcId, TargetType = "instance" }))
            .TargetGroups!.Single().TargetGroupArn!;
    }

    /// <summary>A group as a team without Phoenix has it: the blue group's template, subnets and target group unless <paramref name="configure"/> says otherwise.</summary>
    private async Task CreateGroupAsync(string name, Action<Provisioning.CreateAutoScalingGroupRequest> configure)
    {
        var template = await BlueLaunchTemplateAsync();
        var request = new Provisioning.CreateAutoScalingGroupRequest
        {
            AutoScalingGroupName = name,
            LaunchTemplate = new Provisioning.LaunchTemplateReference { LaunchTemplateId = template.LaunchTemplateId, Version = template.Version },
            MinSize = 0,
            MaxSize = 0,
            DesiredCapacity = 0,
            VPCZoneIdentifier = string.Join(",", Fleet.SubnetIds),
            TargetGroupARNs = [Fleet.Topology.Blue.TargetGroupArn],
            Tags = [new Provisioning.Tag { Key = "Environment", Value = "test", PropagateAtLaunch = true }],
        };
        configure(request);
        if (request.LaunchConfigurationName is not null)
        {
            request.LaunchTemplate = null;
        }

        using var provisioner = new Provisioning.AutoScalingProvisioner(Moto);
        await provisioner.CreateAutoScalingGroupAsync(request);
    }

    private async Task AssertRefusedAsync(string group, string listenerArn, string expected)
    {
        var before = await StateAsync(group, listenerArn);

        var (exit, text, error) = await CliRunner.RunAsync(Moto, output, "adopt", "--app", "web", "--auto-scaling-group", group, "--listener-arn", listenerArn);

        Assert.Equal((1, string.Empty), (exit, text));
        Assert.Equal("phoenix adopt: refused: " + expected, error.TrimEnd('\n'));
        Assert.Equal(before, await StateAsync(group, listenerArn));
        using var asgClient = Moto.Clients().AutoScaling();
        using var elbClient = Moto.Clients().ElasticLoadBalancingV2();
        using var ssm = Moto.Clients().SimpleSystemsManagement();
        Assert.Null(await new AutoScalingAdapter(asgClient).DescribeAutoScalingGroupAsync("phoenix-web-green", None));
        Assert.Null(await new LoadBalancerAdapter(elbClient).DescribeTargetGroupAsync("phoenix-web-green", byName: true, None));
        Assert.Null(await new ParameterStoreAdapter(ssm).GetAsync("web", None));
    }

    /// <summary>What adopt could change, as text: the listener's default actions and rules (weights, stickiness, order) and the group's tags.</summary>
    private async Task<string> StateAsync(string group, string listenerArn)
    {
        using var asgClient = Moto.Clients().AutoScaling();
        using var elbClient = Moto.Clients().ElasticLoadBalancingV2();
        var loadBalancer = new LoadBalancerAdapter(elbClient);
        static string Actions(IReadOnlyList<ListenerAction> actions) => string.Join(" | ", actions.Select(a =>
            $"{a.Type}#{a.Order} {a.Configuration} {(a.Forward is { } f ? string.Join(",", f.TargetGroups.Select(t => $"{t.TargetGroupArn}={t.Weight}")) + $" sticky={f.StickinessEnabled}/{f.StickinessDurationSeconds}" : string.Empty)}"));
        var rules = await loadBalancer.DescribeRulesAsync(listenerArn, None);
        var tags = (await new AutoScalingAdapter(asgClient).DescribeAutoScalingGroupAsync(group, None))!.Tags ?? [];
        return $"default: {Actions(await loadBalancer.DescribeListenerActionsAsync(listenerArn, None))}\n"
            + string.Join("\n", rules.Select(r => $"rule {r.RuleArn} {r.Priority} {r.Conditions}: {Actions(r.Actions)}")) + "\n"
            + string.Join(",", tags.Select(t => $"{t.Key}={t.Value}/{t.PropagateAtLaunch}").Order(StringComparer.Ordinal));
    }
}
