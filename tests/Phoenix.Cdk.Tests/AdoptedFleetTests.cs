using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Phoenix.Cdk.Fleet;
using Phoenix.Core.Domain;
using Phoenix.Core.Serialization;
using Phoenix.Core.Workflow;

namespace Phoenix.Cdk.Tests;

/// <summary>The CDK form of <c>phoenix adopt</c>: an existing group and listener put under Phoenix by a stack.</summary>
public sealed class AdoptedFleetTests
{
    private const string Listener = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/0123456789abcdef/fedcba9876543210";
    private const string TargetGroup = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web/0123456789abcdef";

    [Fact]
    public void Adopt_ExistingGroupAndListener_TwinAtZeroListenerOnceBlue100AndTopologyLast()
    {
        var json = Synthesize(new AdoptedFleetProps
        {
            ApplicationName = "shop",
            Vpc = null!,
            AutoScalingGroupName = "shop-web-asg",
            TargetGroupArn = TargetGroup,
            ListenerArn = Listener,
            LaunchTemplateId = "lt-0123456789abcdef0",
            ApplicationPort = 8080,
            HealthCheckPath = "/healthz",
            AlarmNames = ["shop-5xx"],
        });

        // The idle twin: same launch template, zero instances, sizes Phoenix's from then on.
        var group = Support.Json.Resources(json, "AWS::AutoScaling::AutoScalingGroup").Single().Resource;
        var properties = group["Properties"]!;
        Assert.Equal(FleetAdoption.TwinGroupName("shop"), (string?)properties["AutoScalingGroupName"]);
        Assert.Equal(("0", null), ((string?)properties["MinSize"], properties["DesiredCapacity"]));
        Assert.Equal("lt-0123456789abcdef0", (string?)properties["LaunchTemplate"]!["LaunchTemplateId"]);
        Assert.True((bool)group["UpdatePolicy"]!["AutoScalingScheduledAction"]!["IgnoreUnmodifiedGroupSizeProperties"]!);
        var tags = properties["Tags"]!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => (string)t!["Value"]!);
        Assert.Equal(("shop", "green"), (tags[FleetConventions.ApplicationTag], tags[FleetConventions.ColourTag]));
        var targetGroup = Support.Json.Resources(json, "AWS::ElasticLoadBalancingV2::TargetGroup").Single().Resource["Properties"]!;
        Assert.Equal((FleetAdoption.TwinTargetGroupName("shop"), 8080, "/healthz"), ((string?)targetGroup["Name"], (int)targetGroup["Port"]!, (string?)targetGroup["HealthCheckPath"]));

        // The listener: blue 100 / green 0 by a create-only call; deleting the stack forwards to blue alone again.
        var listener = Support.Json.Resources(json, "Custom::PhoenixAdoptListener").Single().Resource;
        Assert.Null(listener["Properties"]!["Update"]);
        var create = JsonNode.Parse(Support.Json.Flatten(listener["Properties"]!["Create"]!))!;
        Assert.Equal(("ElasticLoadBalancingV2", "modifyListener", Listener), ((string?)create["service"], (string?)create["action"], (string?)create["parameters"]!["ListenerArn"]));
        var weights = create["parameters"]!["DefaultActions"]![0]!["ForwardConfig"]!["TargetGroups"]!.AsArray();
        Assert.Equal((TargetGroup, 100), ((string?)weights[0]!["TargetGroupArn"], (int)weights[0]!["Weight"]!));
        Assert.Equal(("TOKEN", 0), ((string?)weights[1]!["TargetGroupArn"], (int)weights[1]!["Weight"]!));
        var delete = JsonNode.Parse(Support.Json.Flatten(listener["Properties"]!["Delete"]!))!;
        Assert.Equal(TargetGroup, (string?)delete["parameters"]!["DefaultActions"]![0]!["TargetGroupArn"]);

        // The existing group is tagged blue (create only); its instances are not touched.
        var blueTags = Support.Json.Resources(json, "Custom::PhoenixAdoptTags").Single().Resource["Properties"]!;
        Assert.Null(blueTags["Update"]);
        var tagCall = JsonNode.Parse(Support.Json.Flatten(blueTags["Create"]!))!;
        Assert.Equal(
            [(FleetConventions.ApplicationTag, "shop"), (FleetConventions.ColourTag, "blue")],
            tagCall["parameters"]!["Tags"]!.AsArray().Select(t => ((string)t!["Key"]!, (string)t!["Value"]!)));
        Assert.All(tagCall["parameters"]!["Tags"]!.AsArray(), t => Assert.Equal("shop-web-asg", (string?)t!["ResourceId"]));

        // The topology, written after the listener and the tags, deserializes as the workflow reads it.
        var (topologyId, topologyResource) = Support.Json.Resources(json, "AWS::SSM::Parameter").Single();
        Assert.Equal(FleetConventions.TopologyParameter("shop"), (string?)topologyResource["Properties"]!["Name"]);
        var topology = JsonSerializer.Deserialize(Support.Json.Flatten(topologyResource["Properties"]!["Value"]!), CoreJsonContext.Default.FleetTopology)!;
        Assert.Equal(("shop-web-asg", TargetGroup, "lt-0123456789abcdef0"), (topology.Blue.AutoScalingGroupName, topology.Blue.TargetGroupArn, topology.Blue.LaunchTemplateId));
        Assert.Equal(Listener, topology.ListenerArn);
        Assert.Equal(["shop-5xx"], topology.AlarmNames);
        var dependsOn = topologyResource["DependsOn"]!.AsArray().Select(d => (string)d!).ToList();
        Assert.Contains(dependsOn, d => d.StartsWith("FleetListenerForward", StringComparison.Ordinal));
        Assert.Contains(dependsOn, d => d.StartsWith("FleetBlueTags", StringComparison.Ordinal));
        Assert.NotNull(topologyId);
    }

    [Theory]
    [InlineData("ListenerArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/shop/0123456789abcdef/fedcba9876543210")]
    [InlineData("ListenerArn", "shop-classic-elb")]
    [InlineData("TargetGroupArn", "shop-web")]
    [InlineData("LaunchTemplateId", "web-template")]
    [InlineData("AutoScalingGroupName", "phoenix-shop-green")]
    public void Adopt_WhatCannotBeAdopted_ThrowsNamingTheValueAndCreatesNothing(string property, string value)
    {
        var stack = new Stack(new App(), "Adopt");
        var vpc = Vpc.FromVpcAttributes(stack, "Vpc", new VpcAttributes { VpcId = "vpc-1", AvailabilityZones = ["a", "b"], PrivateSubnetIds = ["s-1", "s-2"] });
        var props = new AdoptedFleetProps
        {
            ApplicationName = "shop",
            Vpc = vpc,
            AutoScalingGroupName = property == "AutoScalingGroupName" ? value : "shop-web-asg",
            TargetGroupArn = property == "TargetGroupArn" ? value : TargetGroup,
            ListenerArn = property == "ListenerArn" ? value : Listener,
            LaunchTemplateId = property == "LaunchTemplateId" ? value : "lt-0123456789abcdef0",
        };
        var before = stack.Node.Children.Length;

        var error = Assert.Throws<ArgumentException>(() => new AdoptedFleet(stack, "Fleet", props));

        Assert.Contains($"AdoptedFleetProps.{property} is '{value}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, stack.Node.Children.Length);
    }

    private static JsonObject Synthesize(AdoptedFleetProps props)
    {
        var output = Path.Combine(Path.GetTempPath(), $"phoenix-adopt-{Guid.NewGuid():N}");
        var app = new App(new AppProps { Outdir = output });
        var stack = new Stack(app, "Adopt");
        var vpc = Vpc.FromVpcAttributes(stack, "Vpc", new VpcAttributes { VpcId = "vpc-1", AvailabilityZones = ["a", "b"], PrivateSubnetIds = ["s-1", "s-2"] });
        _ = new AdoptedFleet(stack, "Fleet", new AdoptedFleetProps
        {
            ApplicationName = props.ApplicationName,
            Vpc = vpc,
            AutoScalingGroupName = props.AutoScalingGroupName,
            TargetGroupArn = props.TargetGroupArn,
            ListenerArn = props.ListenerArn,
            LaunchTemplateId = props.LaunchTemplateId,
            ApplicationPort = props.ApplicationPort,
            HealthCheckPath = props.HealthCheckPath,
            AlarmNames = props.AlarmNames,
        });
        app.Synth();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "Adopt.template.json")))!.AsObject();
        Directory.Delete(output, recursive: true);
        return json;
    }
}
