using Amazon.Runtime;
using Phoenix.Aws.Protocol;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Core;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Support;
using Xunit.Abstractions;
using ElbModel = Phoenix.Aws.ElasticLoadBalancingV2.Model;

namespace Phoenix.Emulator.Tests.Adapters;

/// <summary>
/// The adapters against moto for what Phoenix does not own and must leave as found (issue 11): suspended processes, an
/// authenticate-oidc action and forward stickiness on the listener, listener rules.
/// </summary>
public sealed class PreservedSettingsAdapterTests(MotoServer moto, ITestOutputHelper output) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task SuspendThenResumeProcesses_RoundTrip_OnlyTheNamedOnesChange()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().AutoScaling();
        var adapter = new AutoScalingAdapter(client);

        await adapter.SuspendProcessesAsync("web-green", [ScalingProcesses.AzRebalance, ScalingProcesses.ScheduledActions], CancellationToken.None);
        var suspended = await adapter.DescribeAutoScalingGroupAsync("web-green", CancellationToken.None);
        await adapter.ResumeProcessesAsync("web-green", [ScalingProcesses.ScheduledActions], CancellationToken.None);
        var partly = await adapter.DescribeAutoScalingGroupAsync("web-green", CancellationToken.None);
        await adapter.ResumeProcessesAsync("web-green", [ScalingProcesses.AzRebalance, ScalingProcesses.Launch], CancellationToken.None);
        var resumed = await adapter.DescribeAutoScalingGroupAsync("web-green", CancellationToken.None);

        Assert.Equal(["AZRebalance", "ScheduledActions"], suspended!.SuspendedProcesses!.Order(StringComparer.Ordinal));
        Assert.Equal(["AZRebalance"], partly!.SuspendedProcesses);
        Assert.Null(resumed!.SuspendedProcesses);
        Assert.Null((await adapter.DescribeAutoScalingGroupAsync("web-blue", CancellationToken.None))!.SuspendedProcesses);
    }

    [EmulatorFact]
    public async Task DescribeAutoScalingGroup_FleetWithBlueProcessSuspended_ReadsItWithTheZones()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 2, extras: new FleetExtras(BlueSuspendedProcesses: [ScalingProcesses.AzRebalance]));
        using var client = Moto.Clients().AutoScaling();

        var blue = await new AutoScalingAdapter(client).DescribeAutoScalingGroupAsync("web-blue", CancellationToken.None);

        Assert.Equal(["AZRebalance"], blue!.SuspendedProcesses);
        Assert.Equal(["us-east-1a", "us-east-1b"], blue.AvailabilityZones!.Order(StringComparer.Ordinal));
        Assert.All(blue.Instances, i => Assert.Contains(i.AvailabilityZone, blue.AvailabilityZones!));
        Assert.Equal((false, false), (blue.HasMixedInstancesPolicy, blue.HasWarmPool));
        var raw = (await client.DescribeAutoScalingGroupsAsync(new Aws.AutoScaling.Model.DescribeAutoScalingGroupsRequest { AutoScalingGroupNames = ["web-blue"] }))
            .AutoScalingGroups!.Single().SuspendedProcesses!.Single();
        if (string.IsNullOrEmpty(raw.SuspensionReason))
        {
            MotoGap.SuspensionReasonEmpty.Met(output);
        }
        else
        {
            Assert.StartsWith("User suspended at ", raw.SuspensionReason, StringComparison.Ordinal);
        }
    }

    [EmulatorFact]
    public async Task SuspendProcesses_UnknownGroup_ThrowsValidationError()
    {
        using var client = Moto.Clients().AutoScaling();

        var error = await Record.ExceptionAsync(() =>
            new AutoScalingAdapter(client).SuspendProcessesAsync("nobody-blue", [ScalingProcesses.AzRebalance], CancellationToken.None));

        Assert.NotNull(error);
        if (error is TransientFailure { InnerException: AmazonServiceException { StatusCode: System.Net.HttpStatusCode.InternalServerError } })
        {
            MotoGap.SuspendProcessesUnknownGroup.Met(output);
            return;
        }

        Assert.Equal("ValidationError", Assert.IsType<Aws.AutoScaling.ValidationErrorException>(error).ErrorCode);
    }

    [EmulatorFact]
    public async Task DescribeScalingActivities_AfterAScaleOut_NewestFirstForThatGroup()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().AutoScaling();
        var adapter = new AutoScalingAdapter(client);
        await adapter.SetDesiredCapacityAsync("web-blue", 2, CancellationToken.None);

        var activities = await adapter.DescribeScalingActivitiesAsync("web-blue", 10, CancellationToken.None);

        if (activities.Count == 0)
        {
            MotoGap.ScalingActivitiesEmpty.Met(output);
            return;
        }

        Assert.Equal(activities.OrderByDescending(a => a.StartTime).Select(a => a.ActivityId), activities.Select(a => a.ActivityId));
        Assert.Contains(activities, a => a.Description?.StartsWith("Launching a new EC2 instance", StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// A weights change through the adapter keeps the OIDC action (order, endpoints, extra params) and the forward's
    /// stickiness; the request never carries the client secret and asks ELBv2 to keep the existing one.
    /// </summary>
    [EmulatorFact]
    public async Task ModifyListenerWeights_OidcActionAndStickiness_SurviveAndTheSecretIsNeverSent()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1, extras: new FleetExtras(AuthenticateOidc: true, StickinessSeconds: 3600));
        var http = new RecordingHttpClientFactory();
        using var client = new AmazonElasticLoadBalancingV2Client(
            MotoServer.Credentials, Moto.Configure(new AwsServiceConfig(AmazonElasticLoadBalancingV2Client.Definition) { HttpClientFactory = http }));
        var adapter = new LoadBalancerAdapter(client);
        var before = await adapter.DescribeListenerActionsAsync(fleet.ListenerArn, CancellationToken.None);
        TargetGroupWeight[] canary = [new(fleet.Topology.Blue.TargetGroupArn, 90), new(fleet.Topology.Green.TargetGroupArn, 10)];

        await adapter.ModifyListenerWeightsAsync(fleet.ListenerArn, canary, CancellationToken.None);
        var after = await adapter.DescribeListenerActionsAsync(fleet.ListenerArn, CancellationToken.None);

        Assert.DoesNotContain(FleetExtras.OidcClientSecret, before[0].Configuration, StringComparison.Ordinal);
        var sent = http.Requests.Single(r => r.Form.GetValueOrDefault("Action") == "ModifyListener").Form;
        Assert.DoesNotContain(sent.Keys, k => k.EndsWith(".ClientSecret", StringComparison.Ordinal));
        Assert.Equal("true", sent["DefaultActions.member.1.AuthenticateOidcConfig.UseExistingClientSecret"]);
        Assert.Equal([("authenticate-oidc", (int?)1), ("forward", (int?)2)], after.Select(a => (a.Type, a.Order)));
        Assert.Equal(new ForwardAction(canary, StickinessEnabled: true, StickinessDurationSeconds: 3600).TargetGroups, after[1].Forward!.TargetGroups);
        Assert.Equal((true, (int?)3600), (after[1].Forward!.StickinessEnabled, after[1].Forward!.StickinessDurationSeconds));
        Assert.Equal(Oidc(before[0]), Oidc(after[0]));

        var raw = await RawListenerAsync(client, fleet.ListenerArn);
        MotoGap.AuthenticateOnHttpListener.Met(output);
        if (raw.AuthenticateOidcConfig?.UseExistingClientSecret == true)
        {
            // AWS keeps the secret it had and does not echo the flag; moto stores the action as sent.
            MotoGap.OidcUseExistingClientSecretStoredAsSent.Met(output);
        }
    }

    /// <summary>AWS never returns the secret; moto does, and the adapter must not carry it into what Core holds.</summary>
    [EmulatorFact]
    public async Task DescribeListenerActions_OidcListener_CarriesNoClientSecret()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1, extras: new FleetExtras(AuthenticateOidc: true));
        using var client = Moto.Clients().ElasticLoadBalancingV2();

        var actions = await new LoadBalancerAdapter(client).DescribeListenerActionsAsync(fleet.ListenerArn, CancellationToken.None);

        Assert.DoesNotContain(FleetExtras.OidcClientSecret, actions[0].Configuration, StringComparison.Ordinal);
        Assert.Contains("https://idp.example.com/authorize", actions[0].Configuration, StringComparison.Ordinal);
        if ((await RawListenerAsync(client, fleet.ListenerArn)).AuthenticateOidcConfig?.ClientSecret is not null)
        {
            MotoGap.OidcClientSecretReturned.Met(output);
        }
    }

    [EmulatorFact]
    public async Task DescribeRules_FleetWithARuleToBlue_ListsItAndTheDefaultRule()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1, extras: FleetExtras.All);
        using var client = Moto.Clients().ElasticLoadBalancingV2();

        var rules = await new LoadBalancerAdapter(client).DescribeRulesAsync(fleet.ListenerArn, CancellationToken.None);

        Assert.Equal([("10", false), ("default", true)], rules.Select(r => (r.Priority, r.IsDefault)));
        Assert.Equal(fleet.RuleArn, rules[0].RuleArn);
        Assert.Equal([new TargetGroupWeight(fleet.Topology.Blue.TargetGroupArn, 1)], Assert.Single(rules[0].Actions).Forward!.TargetGroups);
        Assert.Contains("/api/*", rules[0].Conditions, StringComparison.Ordinal);
        Assert.Equal(["authenticate-oidc", "forward"], rules[1].Actions.Select(a => a.Type));
    }

    [EmulatorFact]
    public async Task ModifyRuleActions_MoveTheRuleToGreen_ActionsChangeConditionsAndPriorityStay()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1, extras: FleetExtras.All);
        using var client = Moto.Clients().ElasticLoadBalancingV2();
        var adapter = new LoadBalancerAdapter(client);
        var rule = (await adapter.DescribeRulesAsync(fleet.ListenerArn, CancellationToken.None)).Single(r => !r.IsDefault);

        await adapter.ModifyRuleActionsAsync(
            rule.RuleArn, LoadBalancerWeights.WithWeights(rule.Actions, [new(fleet.Topology.Green.TargetGroupArn, 1)]), CancellationToken.None);

        var moved = (await adapter.DescribeRulesAsync(fleet.ListenerArn, CancellationToken.None)).Single(r => !r.IsDefault);
        Assert.Equal((rule.RuleArn, rule.Priority, rule.Conditions), (moved.RuleArn, moved.Priority, moved.Conditions));
        Assert.Equal([new TargetGroupWeight(fleet.Topology.Green.TargetGroupArn, 1)], Assert.Single(moved.Actions).Forward!.TargetGroups);
    }

    [EmulatorFact]
    public async Task ModifyRuleActions_PlainForwardAsMotoReportsIt_IsStillReadAsAOneGroupForward()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1, extras: new FleetExtras(RuleToBlue: true));
        using var client = Moto.Clients().ElasticLoadBalancingV2();
        await client.ModifyRuleAsync(new ElbModel.ModifyRuleRequest
        {
            RuleArn = fleet.RuleArn,
            Actions = [new ElbModel.Action { Type = "forward", TargetGroupArn = fleet.Topology.Green.TargetGroupArn }],
        });

        var rule = (await new LoadBalancerAdapter(client).DescribeRulesAsync(fleet.ListenerArn, CancellationToken.None)).Single(r => !r.IsDefault);

        Assert.Equal([new TargetGroupWeight(fleet.Topology.Green.TargetGroupArn, 1)], Assert.Single(rule.Actions).Forward!.TargetGroups);
        var raw = (await client.DescribeRulesAsync(new ElbModel.DescribeRulesRequest { RuleArns = [fleet.RuleArn!] })).Rules!.Single().Actions!.Single();
        if (raw.ForwardConfig is null)
        {
            MotoGap.PlainForwardWithoutForwardConfig.Met(output);
        }
    }

    [EmulatorFact]
    public async Task ModifyRuleActions_UnknownRule_ThrowsRuleNotFound()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1, extras: new FleetExtras(RuleToBlue: true));
        using var client = Moto.Clients().ElasticLoadBalancingV2();
        var unknown = fleet.RuleArn![..fleet.RuleArn!.LastIndexOf('/')] + "/0123456789abcdef";

        var error = await Assert.ThrowsAsync<RuleNotFoundException>(() => new LoadBalancerAdapter(client).ModifyRuleActionsAsync(
            unknown, [new("forward", null, new ForwardAction([new(fleet.Topology.Green.TargetGroupArn, 1)]))], CancellationToken.None));

        Assert.Equal("RuleNotFound", error.ErrorCode);
    }

    private static string Oidc(ListenerAction action)
    {
        // The flag moto echoes after a modify is not a setting of the action; compare everything else.
        var node = System.Text.Json.Nodes.JsonNode.Parse(action.Configuration!)!["AuthenticateOidcConfig"]!.AsObject();
        node.Remove("UseExistingClientSecret");
        return node.ToJsonString();
    }

    private static async Task<ElbModel.Action> RawListenerAsync(AmazonElasticLoadBalancingV2Client client, string listenerArn) =>
        (await client.DescribeListenersAsync(new ElbModel.DescribeListenersRequest { ListenerArns = [listenerArn] })).Listeners!.Single().DefaultActions!
            .Single(a => a.Type == "authenticate-oidc");
}
