using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Phoenix.Cdk.Fleet;
using Phoenix.Cdk.Tests.Support;
using Phoenix.Core.Domain;
using Phoenix.Core.Serialization;
using Phoenix.Core.Workflow;
using TargetHealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;

namespace Phoenix.Cdk.Tests;

/// <summary>The CDK form of <c>phoenix adopt</c>: an existing group and listener put under Phoenix by a stack.</summary>
public sealed class AdoptedFleetTests
{
    private const string Listener = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210";
    private const string TargetGroup = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web/0123456789abcdef";
    private const string Template = "lt-0123456789abcdef0";

    // The AWS SDK for JavaScript v3 clients the provider loads (@aws-sdk/client-NAME) and the IAM prefix of each, as
    // CDK's custom-resources/lib/helpers-internal/sdk-v3-metadata.json lists them.
    private static readonly Dictionary<string, string> IamPrefixOfClient = new(StringComparer.Ordinal)
    {
        ["@aws-sdk/client-elastic-load-balancing-v2"] = "elasticloadbalancing",
        ["@aws-sdk/client-auto-scaling"] = "autoscaling",
        ["@aws-sdk/client-ec2"] = "ec2",
    };

    [Fact]
    public void Adopt_TwinGroup_SameLaunchTemplateVersionAtZeroInTheGivenSubnetsTaggedGreen()
    {
        var json = Synthesize(Props);

        var (_, group) = Json.Resources(json, "AWS::AutoScaling::AutoScalingGroup").Single();
        var properties = group["Properties"]!;
        Assert.Equal(FleetAdoption.TwinGroupName("shop"), (string?)properties["AutoScalingGroupName"]);
        Assert.Equal(("0", "0"), ((string?)properties["MinSize"], (string?)properties["MaxSize"]));
        Assert.Null(properties["DesiredCapacity"]);
        Assert.Equal((Template, "7"), ((string?)properties["LaunchTemplate"]!["LaunchTemplateId"], (string?)properties["LaunchTemplate"]!["Version"]));
        Assert.Equal(["subnet-a", "subnet-b"], properties["VPCZoneIdentifier"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(("ELB", 300), ((string?)properties["HealthCheckType"], (int)properties["HealthCheckGracePeriod"]!));
        Assert.True((bool)group["UpdatePolicy"]!["AutoScalingScheduledAction"]!["IgnoreUnmodifiedGroupSizeProperties"]!);
        var twinTargetGroupId = Json.Resources(json, "AWS::ElasticLoadBalancingV2::TargetGroup").Single().LogicalId;
        Assert.Equal(twinTargetGroupId, (string?)properties["TargetGroupARNs"]![0]!["Ref"]);
        var tags = properties["Tags"]!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => ((string)t!["Value"]!, (bool)t["PropagateAtLaunch"]!));
        Assert.Equal(("shop", true), tags[FleetConventions.ApplicationTag]);
        Assert.Equal(("green", true), tags[FleetConventions.ColourTag]);
    }

    [Fact]
    public void Adopt_TwinTargetGroup_TheExistingOnesProtocolPortAndHealthCheck()
    {
        var json = Synthesize(Props with
        {
            TargetGroupProtocol = ApplicationProtocol.HTTPS,
            TargetGroupProtocolVersion = ApplicationProtocolVersion.HTTP2,
            ApplicationPort = 8443,
            HealthCheck = new TargetHealthCheck
            {
                Path = "/healthz",
                Interval = Duration.Seconds(10),
                Timeout = Duration.Seconds(4),
                HealthyThresholdCount = 3,
                UnhealthyThresholdCount = 4,
                HealthyHttpCodes = "200-299",
            },
        });

        var properties = Json.Resources(json, "AWS::ElasticLoadBalancingV2::TargetGroup").Single().Resource["Properties"]!;
        Assert.Equal(FleetAdoption.TwinTargetGroupName("shop"), (string?)properties["Name"]);
        Assert.Equal(("HTTPS", "HTTP2", 8443, "instance", "vpc-1"), (
            (string?)properties["Protocol"], (string?)properties["ProtocolVersion"], (int)properties["Port"]!, (string?)properties["TargetType"], (string?)properties["VpcId"]));
        Assert.Equal(("/healthz", 10, 4, 3, 4, "200-299"), (
            (string?)properties["HealthCheckPath"],
            (int)properties["HealthCheckIntervalSeconds"]!,
            (int)properties["HealthCheckTimeoutSeconds"]!,
            (int)properties["HealthyThresholdCount"]!,
            (int)properties["UnhealthyThresholdCount"]!,
            (string?)properties["Matcher"]!["HttpCode"]));
        var tags = properties["Tags"]!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => (string)t!["Value"]!);
        Assert.Equal(("shop", "green"), (tags[FleetConventions.ApplicationTag], tags[FleetConventions.ColourTag]));
    }

    [Fact]
    public void Adopt_Listener_Blue100Green0ByACreateOnlyCall_DeleteForwardsToBlueAlone()
    {
        var json = Synthesize(Props);
        var twinTargetGroupId = Json.Resources(json, "AWS::ElasticLoadBalancingV2::TargetGroup").Single().LogicalId;

        var (listenerId, listener) = Json.Resources(json, "Custom::PhoenixAdoptListener").Single();
        var properties = listener["Properties"]!;
        Assert.Null(properties["Update"]);
        var create = Call(properties["Create"]!);
        Assert.Equal(("@aws-sdk/client-elastic-load-balancing-v2", "ModifyListener", Listener), ((string?)create["service"], (string?)create["action"], (string?)create["parameters"]!["ListenerArn"]));
        var action = create["parameters"]!["DefaultActions"]!.AsArray().Single()!;
        Assert.Equal("forward", (string?)action["Type"]);
        Assert.Equal(
            [(TargetGroup, 100), ("Ref:" + twinTargetGroupId, 0)],
            action["ForwardConfig"]!["TargetGroups"]!.AsArray().Select(t => ((string)t!["TargetGroupArn"]!, (int)t["Weight"]!)));
        Assert.Equal(Listener, (string?)create["physicalResourceId"]!["id"]);

        var delete = Call(properties["Delete"]!);
        Assert.Equal(("ModifyListener", Listener), ((string?)delete["action"], (string?)delete["parameters"]!["ListenerArn"]));
        var restored = delete["parameters"]!["DefaultActions"]!.AsArray().Single()!;
        Assert.Equal(("forward", TargetGroup), ((string?)restored["Type"], (string?)restored["TargetGroupArn"]));
        Assert.Null(restored["ForwardConfig"]);

        // The twin group exists (and its target group with it) before traffic can be forwarded there, and the listener
        // carries the tag the deployed functions need to move it before it forwards to the twin.
        Assert.Contains(DependsOn(listener), d => d.StartsWith("FleetGreenGroup", StringComparison.Ordinal));
        Assert.Contains(Json.Resources(json, "Custom::PhoenixAdoptListenerTag").Single().LogicalId, DependsOn(listener));
        Assert.Equal([Listener], PolicyOf(json, listenerId).Select(s => (string)s["Resource"]!));
    }

    [Fact]
    public void Adopt_ExistingGroupAndLaunchTemplate_TaggedOnCreateUntaggedOnDelete()
    {
        var json = Synthesize(Props);

        var groupTags = Json.Resources(json, "Custom::PhoenixAdoptGroupTags").Single().Resource["Properties"]!;
        Assert.Null(groupTags["Update"]);
        var create = Call(groupTags["Create"]!);
        Assert.Equal(("@aws-sdk/client-auto-scaling", "CreateOrUpdateTags"), ((string?)create["service"], (string?)create["action"]));
        var expected = new[] { ("shop-web-asg", "auto-scaling-group", FleetConventions.ApplicationTag, "shop", true), ("shop-web-asg", "auto-scaling-group", FleetConventions.ColourTag, "blue", true) };
        Assert.Equal(expected, GroupTags(create));
        var delete = Call(groupTags["Delete"]!);
        Assert.Equal("DeleteTags", (string?)delete["action"]);
        Assert.Equal(expected, GroupTags(delete));

        var templateTag = Json.Resources(json, "Custom::PhoenixAdoptLaunchTemplateTag").Single().Resource["Properties"]!;
        Assert.Null(templateTag["Update"]);
        foreach (var (call, action) in new[] { (Call(templateTag["Create"]!), "CreateTags"), (Call(templateTag["Delete"]!), "DeleteTags") })
        {
            Assert.Equal(("@aws-sdk/client-ec2", action), ((string?)call["service"], (string?)call["action"]));
            Assert.Equal([Template], call["parameters"]!["Resources"]!.AsArray().Select(r => (string)r!));
            Assert.Equal([(FleetConventions.ApplicationTag, "shop")], call["parameters"]!["Tags"]!.AsArray().Select(t => ((string)t!["Key"]!, (string)t["Value"]!)));
        }
    }

    [Fact]
    public void Adopt_Listener_TaggedPhoenixApplicationOnCreateOnlyOnTheListener_UntaggedOnDelete()
    {
        var json = Synthesize(Props);

        var (tagId, listenerTag) = Json.Resources(json, "Custom::PhoenixAdoptListenerTag").Single();
        var properties = listenerTag["Properties"]!;
        Assert.Null(properties["Update"]);
        var create = Call(properties["Create"]!);
        Assert.Equal(("@aws-sdk/client-elastic-load-balancing-v2", "AddTags"), ((string?)create["service"], (string?)create["action"]));
        Assert.Equal([Listener], create["parameters"]!["ResourceArns"]!.AsArray().Select(r => (string)r!));
        Assert.Equal([(FleetConventions.ApplicationTag, "shop")], create["parameters"]!["Tags"]!.AsArray().Select(t => ((string)t!["Key"]!, (string)t["Value"]!)));
        Assert.Equal(Listener, (string?)create["physicalResourceId"]!["id"]);

        var delete = Call(properties["Delete"]!);
        Assert.Equal(("@aws-sdk/client-elastic-load-balancing-v2", "RemoveTags"), ((string?)delete["service"], (string?)delete["action"]));
        Assert.Equal([Listener], delete["parameters"]!["ResourceArns"]!.AsArray().Select(r => (string)r!));
        Assert.Equal([FleetConventions.ApplicationTag], delete["parameters"]!["TagKeys"]!.AsArray().Select(k => (string)k!));

        // On the listener alone: not its load balancer, whose tag would let the functions modify every listener on it.
        Assert.Equal([Listener], PolicyOf(json, tagId).SelectMany(s => Json.Many(s["Resource"]).Select(r => (string)r!)));
    }

    [Fact]
    public void Adopt_EveryCall_ItsV3ClientExistsAndItsPolicyGrantsExactlyThatActionOnTheOneResource()
    {
        var json = Synthesize(Props);
        var customResources = json["Resources"]!.AsObject()
            .Where(r => ((string?)r.Value!["Type"])?.StartsWith("Custom::PhoenixAdopt", StringComparison.Ordinal) == true)
            .ToList();
        Assert.Equal(4, customResources.Count);
        foreach (var (id, resource) in customResources)
        {
            var calls = new[] { "Create", "Update", "Delete" }.Where(k => resource!["Properties"]![k] is not null).Select(k => Call(resource!["Properties"]![k]!)).ToList();
            var needed = calls.Select(c =>
            {
                var service = (string)c["service"]!;
                Assert.True(IamPrefixOfClient.ContainsKey(service), $"{id}: '{service}' is not an AWS SDK for JavaScript v3 client the provider can load");
                return $"{IamPrefixOfClient[service]}:{(string)c["action"]!}";
            }).Distinct().Order().ToList();
            var statements = PolicyOf(json, id);
            var granted = statements.SelectMany(s => Json.Many(s["Action"]).Select(a => (string)a!)).Distinct().Order().ToList();
            Assert.Equal(needed, granted);
            Assert.All(statements, s => Assert.DoesNotContain("*", Json.Many(s["Resource"]).Select(r => Json.Flatten(r))));
        }
    }

    [Fact]
    public void Adopt_Topology_WrittenLastAsTheWorkflowReadsIt()
    {
        var json = Synthesize(Props with { AlarmNames = ["shop-5xx"], DefaultCapacity = 3, BakeProjectName = "phoenix-bake" });
        var twinTargetGroupId = Json.Resources(json, "AWS::ElasticLoadBalancingV2::TargetGroup").Single().LogicalId;

        var (_, parameter) = Json.Resources(json, "AWS::SSM::Parameter").Single();
        Assert.Equal(FleetConventions.TopologyParameter("shop"), (string?)parameter["Properties"]!["Name"]);
        var topology = JsonSerializer.Deserialize(Flatten(parameter["Properties"]!["Value"]!), CoreJsonContext.Default.FleetTopology)!;
        Assert.Equal("shop", topology.Application);
        Assert.Equal(new ColourResources("shop-web-asg", TargetGroup, Template), topology.Blue);
        Assert.Equal(new ColourResources(FleetAdoption.TwinGroupName("shop"), "Ref:" + twinTargetGroupId, Template), topology.Green);
        Assert.Equal((Listener, 3, "phoenix-bake"), (topology.ListenerArn, topology.DefaultCapacity, topology.BakeProject));
        Assert.Equal(["shop-5xx"], topology.AlarmNames);
        var dependsOn = DependsOn(parameter);
        foreach (var prefix in new[] { "FleetListenerForward", "FleetListenerTag", "FleetBlueTags", "FleetLaunchTemplateTag" })
        {
            Assert.Contains(dependsOn, d => d.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Adopt_SecurityGates_NoUnsuppressedFindings()
    {
        var output = Path.Combine(Path.GetTempPath(), $"phoenix-adopt-gates-{Guid.NewGuid():N}");
        try
        {
            var file = SynthesizeTo(output, Props);
            var nag = Gates.Run("nag", [file]);
            Assert.Empty(Gates.Describe(nag["findings"]));
            Assert.NotEmpty(nag["suppressed"]!.AsArray());
            var guard = Gates.Run("guard", [file]);
            Assert.Empty(Gates.Describe(guard["findings"]));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>
    /// The calls as CloudFormation would run them: the synthesized provider handler (CDK's AwsCustomResource asset) with
    /// the AWS SDK for JavaScript v3 clients it loads, against moto (an independent emulator), over an existing fleet
    /// built there (tests/tools/cdk-provider/run.js). Catches a service, command or parameter name the SDK does not know.
    /// </summary>
    [Fact]
    public void Adopt_CallsThroughCdksProviderAgainstMoto_ListenerSplitAndGroupTemplateAndListenerTaggedWithoutTouchingInstances_DeleteRestores()
    {
        var output = Path.Combine(Path.GetTempPath(), $"phoenix-adopt-provider-{Guid.NewGuid():N}");
        try
        {
            var template = SynthesizeTo(output, Props);
            var handler = Directory.GetDirectories(output, "asset.*").Select(d => Path.Combine(d, "index.js")).Single(File.Exists);
            var result = RunProvider(template, handler);
            var names = result["names"]!;
            var (blue, green) = ((string)names["blue"]!, (string)names["green"]!);

            Assert.All(result["calls"]!.AsArray(), c => Assert.True((string?)c!["status"] == "SUCCESS", $"{c["type"]} {c["requestType"]}: {c["status"]} {c["reason"]}"));
            Assert.Equal(8, result["calls"]!.AsArray().Count);
            Assert.Equal([("forward", blue)], result["before"]!["defaultActions"]!.AsArray().Select(a => ((string)a!["Type"]!, (string)a["TargetGroupArn"]!)));
            Assert.Empty(result["before"]!["groupTags"]!.AsArray());
            Assert.Empty(result["before"]!["listenerTags"]!.AsArray());

            var created = result["created"]!;
            var forward = created["defaultActions"]!.AsArray().Single()!;
            Assert.Equal([(blue, 100), (green, 0)], forward["ForwardConfig"]!["TargetGroups"]!.AsArray().Select(t => ((string)t!["TargetGroupArn"]!, (int)t["Weight"]!)));
            Assert.Equal(
                [(FleetConventions.ApplicationTag, "shop", true), (FleetConventions.ColourTag, "blue", true)],
                created["groupTags"]!.AsArray().Select(t => ((string)t!["key"]!, (string)t["value"]!, (bool)t["propagateAtLaunch"]!)).Order());
            Assert.Equal([(FleetConventions.ApplicationTag, "shop")], created["launchTemplateTags"]!.AsArray().Select(t => ((string)t!["key"]!, (string)t["value"]!)));
            Assert.Equal([(FleetConventions.ApplicationTag, "shop")], created["listenerTags"]!.AsArray().Select(t => ((string)t!["key"]!, (string)t["value"]!)));
            Assert.Equal(2, created["groupInstances"]!.AsArray().Count);
            Assert.Equal(result["before"]!["groupInstances"]!.ToJsonString(), created["groupInstances"]!.ToJsonString());

            var deleted = result["deleted"]!;
            var restored = deleted["defaultActions"]!.AsArray().Single()!;
            Assert.Equal(("forward", blue), ((string)restored["Type"]!, (string)restored["TargetGroupArn"]!));
            Assert.DoesNotContain(green, restored.ToJsonString(), StringComparison.Ordinal);
            Assert.Empty(deleted["groupTags"]!.AsArray());
            Assert.Empty(deleted["launchTemplateTags"]!.AsArray());
            Assert.Empty(deleted["listenerTags"]!.AsArray());
            Assert.Equal(result["before"]!["groupInstances"]!.ToJsonString(), deleted["groupInstances"]!.ToJsonString());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Theory]
    [InlineData("ListenerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/shop/0123456789abcdef/fedcba9876543210", "Network Load Balancer")]
    [InlineData("ListenerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/gwy/shop/0123456789abcdef/fedcba9876543210", "Gateway Load Balancer")]
    [InlineData("ListenerArn", "shop-classic-elb", "Classic Load Balancer")]
    [InlineData("ListenerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/0123456789abcdef", "not one of its listeners")]
    [InlineData("ListenerArn", TargetGroup, "target group's ARN")]
    [InlineData("ListenerArn", "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210", "stack's region eu-west-1")]
    [InlineData("TargetGroupArn", "shop-web", "target group ARN")]
    [InlineData("TargetGroupArn", "arn:aws:elasticloadbalancing:eu-west-1:210987654321:targetgroup/shop-web/0123456789abcdef", "listener's region eu-west-1 and account 123456789012")]
    [InlineData("LaunchTemplateId", "web-template", "launch template id")]
    [InlineData("LaunchTemplateVersion", "$Default", "no $Default or $Latest")]
    [InlineData("LaunchTemplateVersion", "$Latest", "no $Default or $Latest")]
    [InlineData("LaunchTemplateVersion", "0", "version number")]
    [InlineData("AutoScalingGroupName", "phoenix-shop-green", "the twin adopt creates")]
    [InlineData("AutoScalingGroupName", " ", "existing group's name")]
    [InlineData("ApplicationName", "Shop_1", "lower-case letters")]
    [InlineData("DefaultCapacity", "0", "at least 1")]
    [InlineData("TopologyParameterPrefix", "phoenix/apps", "starts and ends with /")]
    public void Adopt_WhatCannotBeAdopted_RefusedAtSynthNamingTheValueAndNothingAdded(string property, string value, string reason)
    {
        var stack = NewStack(new App());
        var props = property switch
        {
            "ListenerArn" => Props with { ListenerArn = value },
            "TargetGroupArn" => Props with { TargetGroupArn = value },
            "LaunchTemplateId" => Props with { LaunchTemplateId = value },
            "LaunchTemplateVersion" => Props with { LaunchTemplateVersion = value },
            "AutoScalingGroupName" => Props with { AutoScalingGroupName = value },
            "ApplicationName" => Props with { ApplicationName = value },
            "DefaultCapacity" => Props with { DefaultCapacity = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            "TopologyParameterPrefix" => Props with { TopologyParameterPrefix = value },
            _ => throw new ArgumentOutOfRangeException(nameof(property)),
        };
        var vpc = VpcOf(stack);
        var before = stack.Node.FindAll().Length;

        var error = Assert.Throws<ArgumentException>(() => new AdoptedFleet(stack, "Fleet", props with { Vpc = vpc }));

        Assert.StartsWith($"AdoptedFleetProps.{property} is '{value}': expected ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, stack.Node.FindAll().Length);
        Assert.Null(stack.Node.TryFindChild("Fleet"));
    }

    [Fact]
    public void Adopt_SameApplicationOrGroupTwiceInOneApp_SecondRefused()
    {
        var app = new App();
        var stack = NewStack(app);
        var other = NewStack(app, "Other");
        var otherVpc = VpcOf(other);
        var third = NewStack(app, "Third");
        _ = new AdoptedFleet(stack, "Fleet", Props with { Vpc = VpcOf(stack) });
        _ = new BlueGreenFleet(third, "Web", new BlueGreenFleetProps { ApplicationName = "web", Vpc = VpcOf(third), InternetFacing = false });

        var sameName = Assert.Throws<ArgumentException>(() => new AdoptedFleet(other, "Fleet", Props with { Vpc = otherVpc, AutoScalingGroupName = "other-asg" }));
        var sameGroup = Assert.Throws<ArgumentException>(() => new AdoptedFleet(other, "Fleet", Props with { Vpc = otherVpc, ApplicationName = "shop2" }));
        var fleetFirst = Assert.Throws<ArgumentException>(() => new AdoptedFleet(other, "Fleet", Props with { Vpc = otherVpc, ApplicationName = "web", AutoScalingGroupName = "web-asg" }));
        _ = new AdoptedFleet(other, "Fleet", Props with { Vpc = otherVpc, ApplicationName = "shop2", AutoScalingGroupName = "other-asg" });

        Assert.StartsWith("AdoptedFleetProps.ApplicationName is 'shop': expected a name unique", sameName.Message, StringComparison.Ordinal);
        Assert.StartsWith("AdoptedFleetProps.AutoScalingGroupName is 'shop-web-asg': expected a group not adopted already", sameGroup.Message, StringComparison.Ordinal);
        Assert.StartsWith("AdoptedFleetProps.ApplicationName is 'web': expected a name unique", fleetFirst.Message, StringComparison.Ordinal);
    }

    private static AdoptedFleetProps Props => new()
    {
        ApplicationName = "shop",
        Vpc = null!,
        AutoScalingGroupName = "shop-web-asg",
        TargetGroupArn = TargetGroup,
        ListenerArn = Listener,
        LaunchTemplateId = Template,
        LaunchTemplateVersion = "7",
    };

    private static Stack NewStack(App app, string name = "Adopt") =>
        new(app, name, new StackProps { Env = new Amazon.CDK.Environment { Account = "123456789012", Region = "eu-west-1" } });

    private static IVpc VpcOf(Stack stack) => Vpc.FromVpcAttributes(stack, "Vpc", new VpcAttributes
    {
        VpcId = "vpc-1",
        VpcCidrBlock = "10.0.0.0/16",
        AvailabilityZones = ["eu-west-1a", "eu-west-1b"],
        PrivateSubnetIds = ["subnet-a", "subnet-b"],
    });

    private static JsonObject Synthesize(AdoptedFleetProps props)
    {
        var output = Path.Combine(Path.GetTempPath(), $"phoenix-adopt-{Guid.NewGuid():N}");
        try
        {
            return JsonNode.Parse(File.ReadAllText(SynthesizeTo(output, props)))!.AsObject();
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static string SynthesizeTo(string output, AdoptedFleetProps props)
    {
        var app = new App(new AppProps { Outdir = output });
        var stack = NewStack(app);
        _ = new AdoptedFleet(stack, "Fleet", props with { Vpc = VpcOf(stack) });
        app.Synth();
        return Path.Combine(output, "Adopt.template.json");
    }

    // moto started for this test alone (../shared/emulators/moto/start beside the repository, as the emulator tests use).
    private static JsonNode RunProvider(string template, string handler)
    {
        var tools = Path.Combine(PhoenixSettings.RepositoryRoot, "tests", "tools", "cdk-provider");
        if (!Directory.Exists(Path.Combine(tools, "node_modules", "@aws-sdk", "client-elastic-load-balancing-v2")))
        {
            throw new InvalidOperationException($"The provider check's SDK clients are not installed: run 'npm ci' in {tools}.");
        }

        var start = Path.Combine(PhoenixSettings.RepositoryRoot, "..", "shared", "emulators", "moto", "start");
        var (endpoint, pid) = StartMoto(start);
        try
        {
            var info = new ProcessStartInfo("node") { WorkingDirectory = tools, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("run.js");
            info.ArgumentList.Add(template);
            info.ArgumentList.Add(handler);
            // What Lambda gives the provider: a region and credentials in the environment (the emulator's, here).
            info.Environment["AWS_ENDPOINT_URL"] = endpoint;
            info.Environment["AWS_REGION"] = "us-east-1";
            info.Environment["AWS_ACCESS_KEY_ID"] = "test";
            info.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
            info.Environment.Remove("AWS_PROFILE");
            info.Environment.Remove("AWS_SESSION_TOKEN");
            info.Environment["NODE_PATH"] = Path.Combine(tools, "node_modules");
            info.Environment["PHOENIX_ADOPT_NAMES"] = new JsonObject { ["listener"] = Listener, ["targetGroup"] = TargetGroup, ["launchTemplate"] = Template }.ToJsonString();
            using var node = Process.Start(info)!;
            var error = node.StandardError.ReadToEndAsync();
            var stdout = node.StandardOutput.ReadToEnd();
            node.WaitForExit();
            Assert.True(node.ExitCode == 0, $"run.js exited {node.ExitCode}: {error.Result}");
            return JsonNode.Parse(stdout)!;
        }
        finally
        {
            using var moto = Process.GetProcessById(pid);
            moto.Kill(entireProcessTree: true);
        }
    }

    private static (string Endpoint, int Pid) StartMoto(string start)
    {
        if (!File.Exists(start))
        {
            throw new InvalidOperationException($"No AWS emulator: {start} not found beside the repository root.");
        }

        var info = new ProcessStartInfo(start) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var lines = process.StandardOutput.ReadToEnd().Split('\n');
        process.WaitForExit();
        var endpoint = lines.FirstOrDefault(l => l.StartsWith("endpoint=", StringComparison.Ordinal))?["endpoint=".Length..];
        var pid = lines.FirstOrDefault(l => l.StartsWith("pid=", StringComparison.Ordinal))?["pid=".Length..];
        return endpoint is not null && pid is not null
            ? (endpoint.Trim(), int.Parse(pid.Trim(), System.Globalization.CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"moto did not start ({start} exited {process.ExitCode}): {error.Result}");
    }

    /// <summary>An AwsCustomResource call (a JSON string, joined around tokens), with each Ref rendered as Ref:LOGICAL_ID.</summary>
    private static JsonNode Call(JsonNode value) => JsonNode.Parse(Flatten(value))!;

    private static string Flatten(JsonNode value) => value switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonObject o when o["Fn::Join"] is JsonArray join => string.Join((string?)join[0], join[1]!.AsArray().Select(p => Flatten(p!))),
        JsonObject o when o["Ref"] is JsonValue reference => "Ref:" + (string)reference!,
        _ => throw new InvalidOperationException($"Unexpected intrinsic {value.ToJsonString()}"),
    };

    private static List<(string, string, string, string, bool)> GroupTags(JsonNode call) =>
        call["parameters"]!["Tags"]!.AsArray()
            .Select(t => ((string)t!["ResourceId"]!, (string)t["ResourceType"]!, (string)t["Key"]!, (string)t["Value"]!, (bool)t["PropagateAtLaunch"]!))
            .ToList();

    private static List<string> DependsOn(JsonObject resource) => Json.Many(resource["DependsOn"]).Select(d => (string)d!).ToList();

    // Each AwsCustomResource has its own policy (Fleet/NAME/CustomResourcePolicy), on which it depends (so the call runs
    // with the policy in place). It may depend on another's too, through an ordering dependency on that resource.
    private static List<JsonObject> PolicyOf(JsonObject template, string customResourceId)
    {
        var own = customResourceId[..^8] + "CustomResourcePolicy";
        var policies = Json.Resources(template, "AWS::IAM::Policy")
            .Where(p => DependsOn(template["Resources"]![customResourceId]!.AsObject()).Contains(p.LogicalId) && p.LogicalId.StartsWith(own, StringComparison.Ordinal))
            .ToList();
        return policies.Single().Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();
    }
}
