using Phoenix.Cli.Simulation;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Tests.Simulation;

/// <summary>The simulated listener: default actions and rules as ELBv2 stores them, and ELBv2's validation.</summary>
public class RegionListenerTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task DescribeListenerActions_FullListener_OidcConfigurationVerbatimThenForwardWithStickiness()
    {
        var fixture = new RegionFixture(listener: ListenerSpec.Full);

        var actions = await fixture.Region.LoadBalancer.DescribeListenerActionsAsync(fixture.Topology.ListenerArn, None);

        Assert.Equal(["authenticate-oidc", "forward"], actions.Select(a => a.Type));
        Assert.Equal(ListenerSpec.ExampleOidc, actions[0].Configuration);
        var forward = actions[1].Forward!;
        Assert.Equal((true, 3600), (forward.StickinessEnabled, forward.StickinessDurationSeconds));
        Assert.Equal([100, 0], forward.TargetGroups.Select(t => t.Weight));
    }

    [Fact]
    public async Task DescribeRules_FullListener_RulesByPriorityThenTheDefaultRuleWithTheDefaultActions()
    {
        var fixture = new RegionFixture(listener: ListenerSpec.Full);

        var rules = await fixture.Region.LoadBalancer.DescribeRulesAsync(fixture.Topology.ListenerArn, None);

        Assert.Equal(["10", "20", "30", "default"], rules.Select(r => r.Priority));
        Assert.Equal([false, false, false, true], rules.Select(r => r.IsDefault));
        Assert.Equal("path-pattern=/api/*", rules[0].Conditions);
        Assert.Equal(fixture.Topology.Blue.TargetGroupArn, Assert.Single(rules[0].Actions[^1].Forward!.TargetGroups).TargetGroupArn);
        Assert.Equal(await fixture.Region.LoadBalancer.DescribeListenerActionsAsync(fixture.Topology.ListenerArn, None), rules[3].Actions);
    }

    [Fact]
    public async Task ModifyRuleActions_ApiRuleToGreen_ActionsReplacedConditionsAndPriorityKeptRuleTrafficMoves()
    {
        var fixture = new RegionFixture(listener: ListenerSpec.Full);
        var lb = fixture.Region.LoadBalancer;
        var api = (await lb.DescribeRulesAsync(fixture.Topology.ListenerArn, None))[0];

        await lb.ModifyRuleActionsAsync(api.RuleArn, LoadBalancerWeights.WithWeights(api.Actions, [new(fixture.Topology.Green.TargetGroupArn, 1)]), None);

        var after = (await lb.DescribeRulesAsync(fixture.Topology.ListenerArn, None))[0];
        Assert.Equal((api.RuleArn, api.Priority, api.Conditions), (after.RuleArn, after.Priority, after.Conditions));
        Assert.Equal(ListenerSpec.ExampleOidc, after.Actions[0].Configuration);
        Assert.Equal((100, 0), (fixture.Fleet.Blue.Weight, fixture.Fleet.Green.Weight));
        Assert.Equal((0, 1), (fixture.Fleet.Blue.RuleWeight, fixture.Fleet.Green.RuleWeight));
    }

    [Fact]
    public async Task ModifyRuleActions_DefaultRule_OperationNotPermitted()
    {
        var fixture = new RegionFixture(listener: ListenerSpec.Full);
        var rules = await fixture.Region.LoadBalancer.DescribeRulesAsync(fixture.Topology.ListenerArn, None);

        var error = await Assert.ThrowsAsync<SimulatedServiceException>(() => fixture.Region.LoadBalancer.ModifyRuleActionsAsync(rules[^1].RuleArn, rules[^1].Actions, None));

        Assert.Equal("OperationNotPermitted", error.ErrorCode);
    }

    [Fact]
    public async Task ModifyRuleActions_UnknownRule_RuleNotFoundNamingIt()
    {
        var fixture = new RegionFixture(listener: ListenerSpec.Full);

        var error = await Assert.ThrowsAsync<SimulatedServiceException>(
            () => fixture.Region.LoadBalancer.ModifyRuleActionsAsync("arn:rule/none", [new ListenerAction("fixed-response", 1, Configuration: "{}")], None));

        Assert.Equal("RuleNotFound", error.ErrorCode);
        Assert.Contains("arn:rule/none", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadForwards() => new()
    {
        { "weight", "ValidationError" },
        { "six", "ValidationError" },
        { "unknown", "TargetGroupNotFound" },
        { "duplicate", "ValidationError" },
        { "stickiness", "ValidationError" },
        { "forward-first", "InvalidLoadBalancerAction" },
        { "no-config", "ValidationError" },
    };

    [Theory]
    [MemberData(nameof(BadForwards))]
    public async Task ModifyListenerActions_Invalid_ElbErrorCodeAndListenerUnchanged(string bad, string code)
    {
        var fixture = new RegionFixture(listener: ListenerSpec.Full);
        var arn = fixture.Topology.ListenerArn;
        var lb = fixture.Region.LoadBalancer;
        var actions = await lb.DescribeListenerActionsAsync(arn, None);
        var settings = fixture.Region.ListenerSettings(arn);
        var blue = fixture.Topology.Blue.TargetGroupArn;
        var green = fixture.Topology.Green.TargetGroupArn;
        IReadOnlyList<ListenerAction> changed = bad switch
        {
            "weight" => LoadBalancerWeights.WithWeights(actions, [new(blue, 1000), new(green, 0)]),
            "six" => LoadBalancerWeights.WithWeights(actions, [.. Enumerable.Range(0, 6).Select(_ => new TargetGroupWeight(blue, 1))]),
            "unknown" => LoadBalancerWeights.WithWeights(actions, [new(blue, 1), new("arn:aws:elasticloadbalancing:us-east-1:0:targetgroup/nope/1", 1)]),
            "duplicate" => LoadBalancerWeights.WithWeights(actions, [new(blue, 1), new(blue, 1)]),
            "stickiness" => [actions[0], actions[1] with { Forward = actions[1].Forward! with { StickinessDurationSeconds = 0 } }],
            "forward-first" => [actions[0] with { Order = 2 }, actions[1] with { Order = 1 }],
            _ => [actions[0] with { Configuration = null }, actions[1]],
        };

        var error = await Assert.ThrowsAsync<SimulatedServiceException>(() => lb.ModifyListenerActionsAsync(arn, changed, None));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(actions, await lb.DescribeListenerActionsAsync(arn, None));
        Assert.Equal(settings, fixture.Region.ListenerSettings(arn));
    }

    [Fact]
    public async Task ModifyListenerWeights_FullListener_OnlyWeightsChange()
    {
        var fixture = new RegionFixture(listener: ListenerSpec.Full);
        var arn = fixture.Topology.ListenerArn;
        var settings = fixture.Region.ListenerSettings(arn);

        await fixture.Region.LoadBalancer.ModifyListenerWeightsAsync(
            arn, [new(fixture.Topology.Blue.TargetGroupArn, 40), new(fixture.Topology.Green.TargetGroupArn, 60)], None);

        Assert.Equal(settings, fixture.Region.ListenerSettings(arn));
        Assert.Equal((40, 60), (fixture.Fleet.Blue.Weight, fixture.Fleet.Green.Weight));
    }

    [Fact]
    public async Task ListenerSettings_StickinessDropped_Differs()
    {
        // The comparison the property test relies on must see a setting Phoenix does not own being lost.
        var fixture = new RegionFixture(listener: ListenerSpec.Full);
        var arn = fixture.Topology.ListenerArn;
        var settings = fixture.Region.ListenerSettings(arn);
        var actions = await fixture.Region.LoadBalancer.DescribeListenerActionsAsync(arn, None);

        await fixture.Region.LoadBalancer.ModifyListenerActionsAsync(arn, [actions[0], actions[1] with { Forward = new ForwardAction(actions[1].Forward!.TargetGroups) }], None);

        Assert.NotEqual(settings, fixture.Region.ListenerSettings(arn));
    }
}
