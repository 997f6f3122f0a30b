using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>Listener changes edit only the weights Phoenix owns, and routes to the live colour move with it.</summary>
public class ListenerTests
{
    private const string BlueRoute = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/api";
    private const string OtherRoute = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/admin";
    private const string MixedRoute = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/mixed";
    private const string IdleRoute = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/preview";
    private const string AdminTargetGroup = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/admin/0123";

    [Fact]
    public async Task SwapTraffic_ListenerWithOidcAndStickiness_ChangesOnlyForwardWeights()
    {
        var (h, listener, plan, request, version) = await ArrangeHealthyAsync("[10,100]");

        await new SwapTrafficStep(h.Ports with { LoadBalancer = listener }, h.Clock).ExecuteAsync(new SwapTrafficInput(plan, request, version, 0), CancellationToken.None);

        var actions = listener.DefaultActions;
        Assert.Equal(["authenticate-oidc", "forward"], actions.Select(a => a.Type));
        Assert.Equal([1, 2], actions.Select(a => a.Order ?? 0));
        Assert.Equal(FakeListener.OidcConfiguration, actions[0].Configuration);
        Assert.True(actions[1].Forward!.StickinessEnabled);
        Assert.Equal(3600, actions[1].Forward!.StickinessDurationSeconds);
        Assert.Equal($"{h.Topology.Blue.TargetGroupArn}=90,{h.Topology.Green.TargetGroupArn}=10", FakeListener.Weights(actions));
    }

    [Fact]
    public async Task SwapTraffic_RuleForwardingToLiveColour_GetsTheSameWeightsAtEachStep()
    {
        var (h, listener, plan, request, version) = await ArrangeHealthyAsync("[10,100]");
        var step = new SwapTrafficStep(h.Ports with { LoadBalancer = listener }, h.Clock);

        await step.ExecuteAsync(new SwapTrafficInput(plan, request, version, 0), CancellationToken.None);
        var canary = FakeListener.Weights(listener.Rule(BlueRoute).Actions);
        await step.ExecuteAsync(new SwapTrafficInput(plan, request, version, 1), CancellationToken.None);

        Assert.Equal($"{h.Topology.Blue.TargetGroupArn}=90,{h.Topology.Green.TargetGroupArn}=10", canary);
        Assert.Equal(FakeListener.Weights(listener.DefaultActions), FakeListener.Weights(listener.Rule(BlueRoute).Actions));
        Assert.Equal("path-pattern=/api/*", listener.Rule(BlueRoute).Conditions);
        Assert.Equal("authenticate-cognito", listener.Rule(BlueRoute).Actions[0].Type);
        Assert.Equal($"{AdminTargetGroup}=1", FakeListener.Weights(listener.Rule(OtherRoute).Actions));
    }

    [Fact]
    public async Task Rollback_AfterFullSwap_MovesRuleBackToPreviousColour()
    {
        var (h, listener, plan, request, version) = await ArrangeHealthyAsync("[100]");
        var ports = h.Ports with { LoadBalancer = listener };
        await new SwapTrafficStep(ports, h.Clock).ExecuteAsync(new SwapTrafficInput(plan, request, version, 0), CancellationToken.None);

        await new RollbackStep(ports, h.Clock).ExecuteAsync(
            new RollbackInput(plan, request, plan.ImageId, h.Execution, new StepError("AlarmTriggered", "test")), CancellationToken.None);

        var back = $"{h.Topology.Blue.TargetGroupArn}=100,{h.Topology.Green.TargetGroupArn}=0";
        Assert.Equal(back, FakeListener.Weights(listener.DefaultActions));
        Assert.Equal(back, FakeListener.Weights(listener.Rule(BlueRoute).Actions));
    }

    [Fact]
    public async Task Rollback_FirstDeployment_ZeroesDefaultWeightsAndLeavesRulesAsTheyWere()
    {
        var h = new RegionHarness();
        var blue = h.Topology.Blue.TargetGroupArn;
        var green = h.Topology.Green.TargetGroupArn;
        TargetGroupWeight[] nothingLive = [new(blue, 0), new(green, 0)];
        var listener = new FakeListener()
            .WithDefault(new TargetGroupWeight(blue, 0), new TargetGroupWeight(green, 100))
            .WithRule(BlueRoute, "path-pattern=/api/*", Forward(new TargetGroupWeight(blue, 0), new TargetGroupWeight(green, 100)));
        var capacity = new Capacity(2, 2, 2);
        var plan = new DeploymentPlan("web", h.Topology, null, Colour.Green, null, capacity, null, "ami-0fedcba9876543210", nothingLive);
        var request = new DeploymentRequest("web", plan.ImageId, new DeploymentSource(null, null, null), DeploymentStrategy.Default, null, false);

        await new RollbackStep(h.Ports with { LoadBalancer = listener }, h.Clock).ExecuteAsync(
            new RollbackInput(plan, request, plan.ImageId, h.Execution, new StepError("HealthCheckFailed", "test")), CancellationToken.None);

        Assert.Equal($"{blue}=0,{green}=0", FakeListener.Weights(listener.DefaultActions));
        Assert.Equal($"{blue}=0,{green}=100", FakeListener.Weights(listener.Rule(BlueRoute).Actions));
        Assert.Equal(0, listener.RuleModifications);
    }

    [Fact]
    public async Task SwapTraffic_SameStepTwice_SecondRunLeavesTheListenerAndRulesAsTheFirstLeftThem()
    {
        var (h, listener, plan, request, version) = await ArrangeHealthyAsync("[10,100]");
        var step = new SwapTrafficStep(h.Ports with { LoadBalancer = listener }, h.Clock);
        await step.ExecuteAsync(new SwapTrafficInput(plan, request, version, 0), CancellationToken.None);
        var (actions, rules) = (Json(listener.DefaultActions), Json(listener.Rules));

        await step.ExecuteAsync(new SwapTrafficInput(plan, request, version, 0), CancellationToken.None);

        Assert.Equal(actions, Json(listener.DefaultActions));
        Assert.Equal(rules, Json(listener.Rules));
    }

    [Fact]
    public async Task Rollback_DescribeAnswersFromBeforeTheSwap_WritesTrafficBackAnyway()
    {
        var (h, listener, plan, request, version) = await ArrangeHealthyAsync("[100]");
        var ports = h.Ports with { LoadBalancer = listener };
        var beforeSwap = listener.DefaultActions;
        await new SwapTrafficStep(ports, h.Clock).ExecuteAsync(new SwapTrafficInput(plan, request, version, 0), CancellationToken.None);
        listener.StaleDefaultActions = beforeSwap;

        await new RollbackStep(ports, h.Clock).ExecuteAsync(
            new RollbackInput(plan, request, plan.ImageId, h.Execution, new StepError("AlarmTriggered", "test")), CancellationToken.None);

        Assert.Equal($"{h.Topology.Blue.TargetGroupArn}=100,{h.Topology.Green.TargetGroupArn}=0", FakeListener.Weights(listener.DefaultActions));
    }

    [Fact]
    public async Task Validate_RuleForwardingToColourAndThirdTargetGroup_ThrowsUnsupportedFleetNamingRule()
    {
        var (h, listener, _) = Arrange();
        listener.WithRule(MixedRoute, "path-pattern=/mixed/*", Forward(new TargetGroupWeight(h.Topology.Blue.TargetGroupArn, 50), new TargetGroupWeight(AdminTargetGroup, 50)));

        var error = await Assert.ThrowsAsync<UnsupportedFleet>(() => ValidateAsync(h, listener));

        Assert.Contains(MixedRoute, error.Message, StringComparison.Ordinal);
        Assert.Contains(AdminTargetGroup, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(BlueRoute, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RuleForwardingToIdleColourOnly_ThrowsUnsupportedFleetNamingRule()
    {
        var (h, listener, _) = Arrange();
        listener.WithRule(IdleRoute, "http-header=X-Preview", Forward(new TargetGroupWeight(h.Topology.Green.TargetGroupArn, 1)));

        var error = await Assert.ThrowsAsync<UnsupportedFleet>(() => ValidateAsync(h, listener));

        Assert.Contains(IdleRoute, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RulesThatFollowTheLiveColour_Passes()
    {
        var (h, listener, _) = Arrange();

        var output = await ValidateAsync(h, listener);

        Assert.Equal("web", output.Request.Application);
    }

    private static Task<ValidateOutput> ValidateAsync(RegionHarness h, FakeListener listener) =>
        new ValidateStep(h.Ports with { LoadBalancer = listener }, WorkflowSettings.Default)
            .ExecuteAsync(new ValidateInput(System.Text.Json.Nodes.JsonNode.Parse("""{"application":"web","imageId":"ami-0123456789abcdef0"}""")), CancellationToken.None);

    /// <summary>
    /// As <see cref="Arrange"/>, but with green launched and healthy in the simulated region (SwapTraffic reads its health
    /// before moving traffic); the fake listener answers target health from the region.
    /// </summary>
    private static async Task<(RegionHarness H, FakeListener Listener, DeploymentPlan Plan, DeploymentRequest Request, long Version)> ArrangeHealthyAsync(string steps)
    {
        var (h, _, _) = Arrange();
        var image = h.RegisterImage();
        var request = await h.ValidateAsync($$$"""{"application":"web","imageId":"{{{image}}}","strategy":{"trafficSteps":{{{steps}}}}}""");
        var plan = await h.ResolveAsync(request);
        var version = (await h.RunAsync<UpdateLaunchTemplateInput, UpdateLaunchTemplateOutput>(
            "UpdateLaunchTemplate", new UpdateLaunchTemplateInput(plan, image, h.Execution))).Version;
        await h.RunAsync<ScaleUpGreenInput, ScaleUpGreenOutput>("ScaleUpGreen", new ScaleUpGreenInput(plan, request));
        await h.WaitHealthyAsync(plan, version, TimeSpan.FromMinutes(20));
        return (h, WithRoutes(new FakeListener(h.Ports.LoadBalancer), h), plan, request, version);
    }

    /// <summary>Blue live behind OIDC; an authenticated route to blue alone, and a route to another team's target group.</summary>
    private static (RegionHarness H, FakeListener Listener, DeploymentPlan Plan) Arrange()
    {
        var h = new RegionHarness();
        var blue = h.Topology.Blue.TargetGroupArn;
        var green = h.Topology.Green.TargetGroupArn;
        var listener = WithRoutes(new FakeListener(), h);
        var capacity = new Capacity(3, 6, 3);
        var plan = new DeploymentPlan("web", h.Topology, Colour.Blue, Colour.Green, capacity, capacity, RegionHarness.InitialImage, "ami-0fedcba9876543210",
            [new TargetGroupWeight(blue, 100), new TargetGroupWeight(green, 0)]);
        return (h, listener, plan);
    }

    private static FakeListener WithRoutes(FakeListener listener, RegionHarness h)
    {
        var blue = h.Topology.Blue.TargetGroupArn;
        return listener
            .WithDefault(new TargetGroupWeight(blue, 100), new TargetGroupWeight(h.Topology.Green.TargetGroupArn, 0))
            .WithRule(BlueRoute, "path-pattern=/api/*", new ListenerAction("authenticate-cognito", 1, Configuration: """{"UserPoolArn":"arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x"}"""), Forward(new TargetGroupWeight(blue, 1)) with { Order = 2 })
            .WithRule(OtherRoute, "path-pattern=/admin/*", Forward(new TargetGroupWeight(AdminTargetGroup, 1)));
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static ListenerAction Forward(params TargetGroupWeight[] weights) => new("forward", 1, new ForwardAction(weights));
}
