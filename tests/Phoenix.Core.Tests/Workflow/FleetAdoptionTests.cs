using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary><c>phoenix adopt</c>'s checks, changes, rollback and convergence over the simulated region.</summary>
public class FleetAdoptionTests
{
    private const string App = "shop";
    private const string Group = "shop-web";
    private const string Image = "ami-0123456789abcdef0";
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly SimulatedRegion _region = new(new VirtualClock(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)));
    private readonly string _listener;

    public FleetAdoptionTests() => (_, _listener) = _region.CreateUnmanagedFleet(Group, Image, capacity: 3);

    [Fact]
    public async Task Run_PlainFleet_CreatesTheIdleTwinSplitsTheListenerAndWritesTheTopology()
    {
        var instances = _region.InstanceIdsOf(Group);
        var blueBefore = (await _region.AutoScaling.DescribeAutoScalingGroupAsync(Group, None))!;
        var blueTargetGroup = (await _region.LoadBalancer.DescribeTargetGroupAsync(blueBefore.TargetGroupArns[0], byName: false, None))!;

        var report = await Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None);

        Assert.True(report.Changed);
        var twin = (await _region.AutoScaling.DescribeAutoScalingGroupAsync("phoenix-shop-green", None))!;
        Assert.Equal((0, 0, 0), (twin.MinSize, twin.MaxSize, twin.DesiredCapacity));
        Assert.Equal(blueBefore.LaunchTemplate, twin.LaunchTemplate);
        Assert.Equal((blueBefore.VpcZoneIdentifier, blueBefore.HealthCheckType, blueBefore.HealthCheckGracePeriod), (twin.VpcZoneIdentifier, twin.HealthCheckType, twin.HealthCheckGracePeriod));
        Assert.Equal(
            ["Name=shop-web", "team=web", "PhoenixApplication=shop", "PhoenixColour=green"],
            twin.Tags!.Select(t => $"{t.Key}={t.Value}"));
        var twinTargetGroup = (await _region.LoadBalancer.DescribeTargetGroupAsync("phoenix-shop-green", byName: true, None))!;
        Assert.Equal(blueTargetGroup.Settings with { Name = "phoenix-shop-green" }, twinTargetGroup.Settings);
        Assert.Equal([twinTargetGroup.TargetGroupArn], twin.TargetGroupArns);

        var forward = (await _region.LoadBalancer.DescribeListenerActionsAsync(_listener, None)).Single().Forward!;
        Assert.Equal([new TargetGroupWeight(blueTargetGroup.TargetGroupArn, 100), new TargetGroupWeight(twinTargetGroup.TargetGroupArn, 0)], forward.TargetGroups);

        var topology = (await _region.Topology.GetAsync(App, None))!;
        Assert.Equal(report.Topology, topology);
        Assert.Equal(new ColourResources(Group, blueTargetGroup.TargetGroupArn, blueBefore.LaunchTemplate!.LaunchTemplateId), topology.Blue);
        Assert.Equal(new ColourResources("phoenix-shop-green", twinTargetGroup.TargetGroupArn, blueBefore.LaunchTemplate!.LaunchTemplateId), topology.Green);
        Assert.Equal((_listener, 3), (topology.ListenerArn, topology.DefaultCapacity));

        // Nothing that serves changed: the same instances, the same sizes; only the two tags are new on blue.
        var blueAfter = (await _region.AutoScaling.DescribeAutoScalingGroupAsync(Group, None))!;
        Assert.Equal(instances, _region.InstanceIdsOf(Group));
        Assert.Equal((3, 6, 3), (blueAfter.MinSize, blueAfter.MaxSize, blueAfter.DesiredCapacity));
        Assert.Contains(new GroupTag("PhoenixColour", "blue", true), blueAfter.Tags!);
        Assert.Equal(100, _region.ObserveFleet(topology).Blue.Weight);

        // What the deployed functions' IAM conditions look for: the template (new versions) and the listener (the swap).
        Assert.Equal("shop", _region.TagsOf(topology.Blue.LaunchTemplateId)["PhoenixApplication"]);
        Assert.Equal("shop", _region.TagsOf(_listener)["PhoenixApplication"]);
        Assert.Contains($"Tagged PhoenixApplication=shop: launch template {topology.Blue.LaunchTemplateId}, the listener.", report.Lines);
    }

    [Fact]
    public async Task Run_ListenerWithRoutes_TagsTheRulesThatMoveWithTheColoursOnly()
    {
        var region = new SimulatedRegion(new VirtualClock(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)));
        var (_, listener) = region.CreateUnmanagedFleet(Group, Image, capacity: 2, routes: true);
        var rules = await region.LoadBalancer.DescribeRulesAsync(listener, None);
        var api = rules.Single(r => r.Priority == "10").RuleArn;
        var assets = rules.Single(r => r.Priority == "20").RuleArn;

        var report = await new FleetAdoption(region.AutoScaling, region.LoadBalancer, region.Ec2, region.Topology).RunAsync(new AdoptRequest(App, Group, listener), None);

        Assert.Equal("shop", region.TagsOf(api)["PhoenixApplication"]);
        Assert.Empty(region.TagsOf(assets));
        Assert.Equal("shop", region.TagsOf(listener)["PhoenixApplication"]);
        Assert.Contains($"Tagged PhoenixApplication=shop: launch template {report.Topology.Blue.LaunchTemplateId}, the listener and 1 rule(s) that move with the colours.", report.Lines);
    }

    [Fact]
    public async Task Run_Twice_TagsConvergeAndNothingElseChanges()
    {
        await Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None);
        var template = (await _region.Topology.GetAsync(App, None))!.Blue.LaunchTemplateId;

        // A topology exists now, so a second adopt is refused before anything (tags included) is written again.
        await Assert.ThrowsAsync<AdoptionRefused>(() => Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None));

        Assert.Equal(new Dictionary<string, string> { ["PhoenixApplication"] = "shop" }, _region.TagsOf(template));
        Assert.Equal(new Dictionary<string, string> { ["PhoenixApplication"] = "shop" }, _region.TagsOf(_listener));
    }

    [Fact]
    public async Task Run_DryRun_PrintsThePlanAndChangesNothing()
    {
        var report = await Adoption().RunAsync(new AdoptRequest(App, Group, _listener, DryRun: true), None);

        Assert.False(report.Changed);
        var blueTargetGroup = (await _region.AutoScaling.DescribeAutoScalingGroupAsync(Group, None))!.TargetGroupArns[0];
        var template = (await _region.AutoScaling.DescribeAutoScalingGroupAsync(Group, None))!.LaunchTemplate!.LaunchTemplateId;
        Assert.Equal(
            $"""
            Adopt shop: Auto Scaling group shop-web (min 3 / max 6 / desired 3, launch template {template} version 1) behind listener {_listener} (HTTP:80).
              blue  (live, unchanged): group shop-web, target group shop-web ({blueTargetGroup}); tagged PhoenixApplication=shop, PhoenixColour=blue.
              green (idle twin):       group phoenix-shop-green at 0/0/0 from the same launch template version, subnets subnet-us-east-1a,subnet-us-east-1b, health check ELB with 300 s grace, 4 tags; target group phoenix-shop-green (HTTP:80, vpc-0simulated000000, health check HTTP /health every 15 s).
              listener: default forward becomes blue 100 / green 0; its other actions, their order and its stickiness stay as they are.
              tags: PhoenixApplication=shop on launch template {template}, listener {_listener}: the deployed functions change only tagged templates, listeners and rules; no instance and no traffic changes.
              topology of shop: written last, with no alarms (add alarmNames to it for CheckAlarms to watch).
            Dry run: nothing was changed.
            """,
            string.Join('\n', report.Lines));
        Assert.Empty(_region.TagsOf(template));
        Assert.Empty(_region.TagsOf(_listener));
        Assert.False(_region.HasGroup("phoenix-shop-green"));
        Assert.False(_region.HasTargetGroup("phoenix-shop-green"));
        Assert.Null(await _region.Topology.GetAsync(App, None));
        Assert.Single((await _region.LoadBalancer.DescribeListenerActionsAsync(_listener, None)).Single().Forward!.TargetGroups);
    }

    [Fact]
    public async Task Run_ApplicationAlreadyHasATopology_RefusesNamingItAndChangesNothing()
    {
        _region.CreateFleet(new FleetSpec(App, 2, Image));

        var refused = await Assert.ThrowsAsync<AdoptionRefused>(() => Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None));

        Assert.StartsWith("Application 'shop' already has a topology (blue phoenix-shop-blue, green phoenix-shop-green, listener ", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Choose another --app name. Nothing was changed.", refused.Message, StringComparison.Ordinal);
        Assert.Single((await _region.LoadBalancer.DescribeListenerActionsAsync(_listener, None)).Single().Forward!.TargetGroups);
    }

    [Theory]
    [InlineData(true, false, "Auto Scaling group 'shop-web' has a mixed-instances policy")]
    [InlineData(false, true, "Auto Scaling group 'shop-web' has a warm pool")]
    public async Task Run_GroupPhoenixCannotManage_RefusesNamingWhyAndChangesNothing(bool mixed, bool warmPool, string expected)
    {
        _region.SetGroupFeatures(Group, mixed, warmPool);

        var refused = await Assert.ThrowsAsync<AdoptionRefused>(() => Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None));

        Assert.StartsWith($"Cannot adopt 'shop': {expected}", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was changed.", refused.Message, StringComparison.Ordinal);
        AssertUntouched();
    }

    [Fact]
    public async Task Run_GroupOnALaunchConfiguration_RefusesSayingToMoveToALaunchTemplate()
    {
        var adoption = new FleetAdoption(new GroupAs(_region.AutoScaling, g => g with { LaunchTemplate = null, LaunchConfigurationName = "shop-lc" }), _region.LoadBalancer, _region.Ec2, _region.Topology);

        var refused = await Assert.ThrowsAsync<AdoptionRefused>(() => adoption.RunAsync(new AdoptRequest(App, Group, _listener), None));

        Assert.Equal(
            "Cannot adopt 'shop': Auto Scaling group 'shop-web' launches from launch configuration 'shop-lc', not a launch template: Phoenix deploys each image as a new "
            + "launch template version; move the group to a launch template (AWS: \"Migrate your Auto Scaling groups to launch templates\") and try again. Nothing was changed.",
            refused.Message);
        AssertUntouched();
    }

    [Fact]
    public async Task Run_GroupBehindAClassicLoadBalancerOnly_RefusesOnceNamingIt()
    {
        var adoption = new FleetAdoption(new GroupAs(_region.AutoScaling, g => g with { LoadBalancerNames = ["shop-classic"], TargetGroupArns = [] }), _region.LoadBalancer, _region.Ec2, _region.Topology);

        var refused = await Assert.ThrowsAsync<AdoptionRefused>(() => adoption.RunAsync(new AdoptRequest(App, Group, _listener), None));

        Assert.Equal(
            "Cannot adopt 'shop': Auto Scaling group 'shop-web' is attached to Classic Load Balancer shop-classic: a Classic Load Balancer has no listener that can split "
            + "traffic by weight; put the group behind an Application Load Balancer target group first. Nothing was changed.",
            refused.Message);
        AssertUntouched();
    }

    [Fact]
    public async Task Run_UnknownGroupOrListener_RefusesNamingIt()
    {
        var noGroup = await Assert.ThrowsAsync<AdoptionRefused>(() => Adoption().RunAsync(new AdoptRequest(App, "nosuch", _listener), None));
        var noListener = await Assert.ThrowsAsync<AdoptionRefused>(() => Adoption().RunAsync(new AdoptRequest(App, Group, _listener + "0"), None));

        Assert.Equal("Auto Scaling group 'nosuch' does not exist in this account and region. Nothing was changed.", noGroup.Message);
        Assert.Equal($"Cannot adopt 'shop': listener '{_listener}0' does not exist. Nothing was changed.", noListener.Message);
        AssertUntouched();
    }

    [Fact]
    public async Task Run_NetworkLoadBalancerListener_RefusesBecauseItsForwardTakesOneTargetGroup()
    {
        var adoption = new FleetAdoption(_region.AutoScaling, new ListenerAs(_region.LoadBalancer, l => l with { Protocol = "TCP" }), _region.Ec2, _region.Topology);

        var refused = await Assert.ThrowsAsync<AdoptionRefused>(() => adoption.RunAsync(new AdoptRequest(App, Group, _listener), None));

        Assert.Equal(
            $"Cannot adopt 'shop': listener '{_listener}' is a TCP listener (Network or Gateway Load Balancer): its forward takes a single target group, so traffic cannot be "
            + "split by weight between two colours; Phoenix needs an Application Load Balancer (HTTP or HTTPS) listener. Nothing was changed.",
            refused.Message);
        AssertUntouched();
    }

    [Fact]
    public async Task Run_DefaultActionIsNoForwardToTheGroup_RefusesNamingWhatItDoes()
    {
        var fixedResponse = new ListenerAction("fixed-response", 1, Configuration: "{\"StatusCode\":\"503\"}");
        await _region.LoadBalancer.ModifyListenerActionsAsync(_listener, [fixedResponse], None);

        var refused = await Assert.ThrowsAsync<AdoptionRefused>(() => Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None));

        var blueTargetGroup = (await _region.AutoScaling.DescribeAutoScalingGroupAsync(Group, None))!.TargetGroupArns[0];
        Assert.Equal(
            $"Cannot adopt 'shop': listener '{_listener}' has no forward among its default actions (fixed-response): Phoenix needs its default action to forward to target group '{blueTargetGroup}'. Nothing was changed.",
            refused.Message);
    }

    [Fact]
    public async Task Run_ListenerForwardsToAnotherTargetGroup_RefusesNamingBoth()
    {
        var other = _region.CreateFleet(new FleetSpec("other", 1, Image));
        await _region.LoadBalancer.ModifyListenerActionsAsync(
            _listener, [new ListenerAction("forward", 1, new ForwardAction([new TargetGroupWeight(other.Blue.TargetGroupArn, 1)]))], None);

        var refused = await Assert.ThrowsAsync<AdoptionRefused>(() => Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None));

        var blueTargetGroup = (await _region.AutoScaling.DescribeAutoScalingGroupAsync(Group, None))!.TargetGroupArns[0];
        Assert.Equal(
            $"Cannot adopt 'shop': listener '{_listener}' forwards to {other.Blue.TargetGroupArn} (weight 1), not only to target group '{blueTargetGroup}' of Auto Scaling group 'shop-web': "
            + "make its default action forward to that target group alone, then adopt. Nothing was changed.",
            refused.Message);
        Assert.False(_region.HasGroup("phoenix-shop-green"));
    }

    [Fact]
    public async Task Run_TopologyWriteFails_RollsBackTheListenerAndTheTwins()
    {
        var adoption = new FleetAdoption(_region.AutoScaling, _region.LoadBalancer, _region.Ec2, new FailingCreate(_region.Topology));

        var failed = await Assert.ThrowsAsync<AdoptionFailed>(() => adoption.RunAsync(new AdoptRequest(App, Group, _listener), None));

        Assert.Equal(
            "Adopting shop failed: PutParameter: throttled. Rolled back: listener forward back to blue only; deleted Auto Scaling group phoenix-shop-green; "
            + "deleted target group phoenix-shop-green.",
            failed.Message);
        AssertUntouched();

        // Like the blue group's tags, the template's and listener's stay: they route nothing and the next run sets them again.
        Assert.Equal("shop", _region.TagsOf(_listener)["PhoenixApplication"]);
    }

    [Fact]
    public async Task Run_AgainAfterARollbackThatFailed_FindsTheLeftoversAndFinishes()
    {
        // First run: the topology write fails and so do the deletes, leaving both twins and the split listener behind.
        var stuck = new FleetAdoption(new NoDelete(_region.AutoScaling), new NoDeleteTargetGroup(_region.LoadBalancer), _region.Ec2, new FailingCreate(_region.Topology));
        var failed = await Assert.ThrowsAsync<AdoptionFailed>(() => stuck.RunAsync(new AdoptRequest(App, Group, _listener), None));
        Assert.Contains("Left to clean up by hand: Auto Scaling group phoenix-shop-green (delete refused); target group ", failed.Message, StringComparison.Ordinal);
        Assert.True(_region.HasGroup("phoenix-shop-green"));

        var report = await Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None);

        Assert.Contains("Target group phoenix-shop-green exists from an earlier run with the same settings: kept.", report.Lines);
        Assert.Contains("Auto Scaling group phoenix-shop-green exists from an earlier run: kept.", report.Lines);
        Assert.NotNull(await _region.Topology.GetAsync(App, None));
        var forward = (await _region.LoadBalancer.DescribeListenerActionsAsync(_listener, None)).Single().Forward!;
        Assert.Equal([100, 0], forward.TargetGroups.Select(t => t.Weight));
    }

    [Fact]
    public async Task Run_TwinNameTakenBySomethingElse_RefusesNamingIt()
    {
        await _region.LoadBalancer.CreateTargetGroupAsync(
            (await _region.LoadBalancer.DescribeTargetGroupAsync(Group, byName: true, None))!.Settings with { Name = "phoenix-shop-green", Port = 8080 }, [], None);

        var refused = await Assert.ThrowsAsync<AdoptionRefused>(() => Adoption().RunAsync(new AdoptRequest(App, Group, _listener), None));

        Assert.Contains("a target group named 'phoenix-shop-green' already exists (", refused.Message, StringComparison.Ordinal);
        Assert.Contains("with settings other than shop-web's: adopt names the idle twin's target group so; delete or rename that one", refused.Message, StringComparison.Ordinal);
        Assert.False(_region.HasGroup("phoenix-shop-green"));
    }

    [Theory]
    [InlineData("web", "phoenix-web-green")]
    [InlineData("a-very-long-application-name", "phoenix-a-very-lo-8762d0e5-green")]
    [InlineData("my_app.v2", "phoenix-my-app-v2-0a45b945-green")]
    public void TwinTargetGroupName_AnyApplicationName_FitsElbv2sRulesAndIsStable(string application, string expected)
    {
        var name = FleetAdoption.TwinTargetGroupName(application);

        Assert.Equal(expected, name);
        Assert.InRange(name.Length, 1, 32);
        Assert.Matches("^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$", name);
    }

    private FleetAdoption Adoption() => new(_region.AutoScaling, _region.LoadBalancer, _region.Ec2, _region.Topology);

    private void AssertUntouched()
    {
        Assert.False(_region.HasGroup("phoenix-shop-green"));
        Assert.False(_region.HasTargetGroup("phoenix-shop-green"));
        var forward = _region.LoadBalancer.DescribeListenerActionsAsync(_listener, None).Result.Single().Forward!;
        Assert.Single(forward.TargetGroups);
    }

    private sealed class FailingCreate(ITopologyStore inner) : ITopologyStore
    {
        public Task<FleetTopology?> GetAsync(string application, CancellationToken cancellationToken) => inner.GetAsync(application, cancellationToken);

        public Task<bool> CreateAsync(FleetTopology topology, CancellationToken cancellationToken) => throw new TransientFailure("PutParameter: throttled");

        public Task<bool> PutImageAsync(string application, Colour colour, string imageId, CancellationToken cancellationToken) =>
            inner.PutImageAsync(application, colour, imageId, cancellationToken);

        public Task<string?> GetImageAsync(string application, Colour colour, CancellationToken cancellationToken) =>
            inner.GetImageAsync(application, colour, cancellationToken);
    }

    private sealed class NoDelete(IAutoScaling inner) : IAutoScaling
    {
        public Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) => inner.DescribeAutoScalingGroupAsync(groupName, cancellationToken);

        public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken) => inner.UpdateAutoScalingGroupAsync(request, cancellationToken);

        public Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken) => inner.SetDesiredCapacityAsync(groupName, desiredCapacity, cancellationToken);

        public Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken) =>
            inner.TerminateInstanceInAutoScalingGroupAsync(instanceId, shouldDecrementDesiredCapacity, cancellationToken);

        public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) => inner.SuspendProcessesAsync(groupName, processes, cancellationToken);

        public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) => inner.ResumeProcessesAsync(groupName, processes, cancellationToken);

        public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken) =>
            inner.DescribeScalingActivitiesAsync(groupName, maxRecords, cancellationToken);

        public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken) => inner.CreateAutoScalingGroupAsync(request, cancellationToken);

        public Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) => throw new InvalidOperationException("delete refused");

        public Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken) => inner.CreateOrUpdateTagsAsync(groupName, tags, cancellationToken);
    }

    /// <summary>Reports the adopted group rewritten (a feature the simulated region does not model); every other call passes through.</summary>
    private sealed class GroupAs(IAutoScaling inner, Func<AutoScalingGroup, AutoScalingGroup> rewrite) : IAutoScaling
    {
        public async Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken)
        {
            var group = await inner.DescribeAutoScalingGroupAsync(groupName, cancellationToken);
            return group is not null && groupName == Group ? rewrite(group) : group;
        }

        public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken) => inner.UpdateAutoScalingGroupAsync(request, cancellationToken);

        public Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken) => inner.SetDesiredCapacityAsync(groupName, desiredCapacity, cancellationToken);

        public Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken) =>
            inner.TerminateInstanceInAutoScalingGroupAsync(instanceId, shouldDecrementDesiredCapacity, cancellationToken);

        public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) => inner.SuspendProcessesAsync(groupName, processes, cancellationToken);

        public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) => inner.ResumeProcessesAsync(groupName, processes, cancellationToken);

        public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken) =>
            inner.DescribeScalingActivitiesAsync(groupName, maxRecords, cancellationToken);

        public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken) => inner.CreateAutoScalingGroupAsync(request, cancellationToken);

        public Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) => inner.DeleteAutoScalingGroupAsync(groupName, cancellationToken);

        public Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken) => inner.CreateOrUpdateTagsAsync(groupName, tags, cancellationToken);
    }

    /// <summary>Passes every call through, except what the subclass changes.</summary>
    private class LoadBalancerPassThrough(ILoadBalancer inner) : ILoadBalancer
    {
        public Task<IReadOnlyList<ListenerAction>> DescribeListenerActionsAsync(string listenerArn, CancellationToken cancellationToken) => inner.DescribeListenerActionsAsync(listenerArn, cancellationToken);

        public Task ModifyListenerActionsAsync(string listenerArn, IReadOnlyList<ListenerAction> defaultActions, CancellationToken cancellationToken) =>
            inner.ModifyListenerActionsAsync(listenerArn, defaultActions, cancellationToken);

        public Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken) => inner.DescribeRulesAsync(listenerArn, cancellationToken);

        public Task ModifyRuleActionsAsync(string ruleArn, IReadOnlyList<ListenerAction> actions, CancellationToken cancellationToken) => inner.ModifyRuleActionsAsync(ruleArn, actions, cancellationToken);

        public Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken) => inner.DescribeTargetHealthAsync(targetGroupArn, cancellationToken);

        public virtual Task<ListenerDescription?> DescribeListenerAsync(string listenerArn, CancellationToken cancellationToken) => inner.DescribeListenerAsync(listenerArn, cancellationToken);

        public Task<TargetGroupDescription?> DescribeTargetGroupAsync(string arnOrName, bool byName, CancellationToken cancellationToken) => inner.DescribeTargetGroupAsync(arnOrName, byName, cancellationToken);

        public Task<string> CreateTargetGroupAsync(TargetGroupSettings settings, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
            inner.CreateTargetGroupAsync(settings, tags, cancellationToken);

        public virtual Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken) => inner.DeleteTargetGroupAsync(targetGroupArn, cancellationToken);

        public virtual Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
            inner.AddTagsAsync(resourceArns, tags, cancellationToken);
    }

    private sealed class ListenerAs(ILoadBalancer inner, Func<ListenerDescription, ListenerDescription> rewrite) : LoadBalancerPassThrough(inner)
    {
        public override async Task<ListenerDescription?> DescribeListenerAsync(string listenerArn, CancellationToken cancellationToken) =>
            await base.DescribeListenerAsync(listenerArn, cancellationToken) is { } listener ? rewrite(listener) : null;
    }

    private sealed class NoDeleteTargetGroup(ILoadBalancer inner) : LoadBalancerPassThrough(inner)
    {
        public override Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken) => throw new InvalidOperationException("delete refused");
    }
}
