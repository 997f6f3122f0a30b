using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Phoenix.Cdk.Tests.Support;
using Phoenix.Core.Serialization;

namespace Phoenix.Cdk.Tests;

[Collection(SynthesizedAppGroup.Name)]
public sealed class FleetStackTests(SynthesizedApp app, AlternateApp alternate)
{
    private JsonObject Json => app.JsonOf(app.Stacks.Fleet);

    [Fact]
    public void LaunchTemplates_BothColours_ImdsV2EncryptedEbsNoPublicIp()
    {
        var templates = Support.Json.Resources(Json, "AWS::EC2::LaunchTemplate").ToList();
        Assert.Equal(2, templates.Count);
        foreach (var (_, resource) in templates)
        {
            var data = resource["Properties"]!["LaunchTemplateData"]!;
            Assert.Equal("required", (string?)data["MetadataOptions"]!["HttpTokens"]);
            var ebs = data["BlockDeviceMappings"]![0]!["Ebs"]!;
            Assert.True((bool)ebs["Encrypted"]!);
            Assert.Equal("gp3", (string?)ebs["VolumeType"]);
            Assert.False((bool)data["NetworkInterfaces"]![0]!["AssociatePublicIpAddress"]!);
            Assert.NotNull(data["IamInstanceProfile"]);
        }
    }

    [Fact]
    public void ScopedResources_Fleet_CarryTheTagAndNameTheStepPermissionsRequire()
    {
        // HandlerPermissions scopes launch-template and group changes by this tag and listener changes by this name.
        foreach (var (_, resource) in Support.Json.Resources(Json, "AWS::EC2::LaunchTemplate"))
        {
            var tags = resource["Properties"]!["TagSpecifications"]!.AsArray().Single(t => (string?)t!["ResourceType"] == "launch-template")!["Tags"]!.AsArray();
            Assert.Contains(tags, t => (string?)t!["Key"] == Governance.ApplicationTag && (string?)t["Value"] == "web");
        }

        var loadBalancer = Support.Json.Resources(Json, "AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!;
        Assert.Equal("phoenix-web", (string?)loadBalancer["Name"]);
    }

    [Fact]
    public void Listener_DefaultAction_WeightedForwardBlueLiveGreenIdle()
    {
        var listener = Support.Json.Resources(Json, "AWS::ElasticLoadBalancingV2::Listener").Single().Resource["Properties"]!;
        Assert.Equal(80, (int)listener["Port"]!);
        var groups = listener["DefaultActions"]![0]!["ForwardConfig"]!["TargetGroups"]!.AsArray()
            .ToDictionary(g => ((string)g!["TargetGroupArn"]!["Ref"]!)[..9], g => (int)g!["Weight"]!);
        Assert.Equal(new Dictionary<string, int> { ["FleetBlue"] = 100, ["FleetGree"] = 0 }, groups);
    }

    [Fact]
    public void TargetGroups_BothColours_HealthChecksOnTheApplicationPath()
    {
        var groups = Support.Json.Resources(Json, "AWS::ElasticLoadBalancingV2::TargetGroup").ToList();
        Assert.Equal(2, groups.Count);
        Assert.All(groups, g =>
        {
            var properties = g.Resource["Properties"]!;
            Assert.Equal("/health", (string?)properties["HealthCheckPath"]);
            Assert.Equal(15, (int)properties["HealthCheckIntervalSeconds"]!);
            Assert.Equal(2, (int)properties["HealthyThresholdCount"]!);
        });
    }

    [Fact]
    public void AutoScalingGroups_Defaults_BlueServesGreenWaitsAtZeroNinetyPercentHealthy()
    {
        var template = app.TemplateOf(app.Stacks.Fleet);
        template.ResourceCountIs("AWS::AutoScaling::AutoScalingGroup", 2);
        var groups = Support.Json.Resources(Json, "AWS::AutoScaling::AutoScalingGroup").ToDictionary(g => g.LogicalId[..9], g => g.Resource["Properties"]!);
        // The template's sizes are constants; the configured ones are the create-only InitialSizes call's (FleetOwnershipTests).
        Assert.All(groups.Values, g => Assert.Equal(("0", "1000"), ((string?)g["MinSize"], (string?)g["MaxSize"])));
        Assert.All(groups.Values, g => Assert.Null(g["DesiredCapacity"]));
        var sizes = Support.Json.Resources(Json, "Custom::PhoenixInitialSizes")
            .ToDictionary(r => r.LogicalId[..9], r => JsonNode.Parse(Support.Json.Flatten(r.Resource["Properties"]!["Create"]!))!["parameters"]!);
        Assert.Equal((2, 4, 2), ((int)sizes["FleetBlue"]["MinSize"]!, (int)sizes["FleetBlue"]["MaxSize"]!, (int)sizes["FleetBlue"]["DesiredCapacity"]!));
        Assert.Equal((0, 4, null), ((int)sizes["FleetGree"]["MinSize"]!, (int)sizes["FleetGree"]["MaxSize"]!, sizes["FleetGree"]["DesiredCapacity"]));
        foreach (var (colour, group) in groups)
        {
            Assert.Equal(90, (int)group["InstanceMaintenancePolicy"]!["MinHealthyPercentage"]!);
            Assert.Equal("ELB", (string?)group["HealthCheckType"]);
            var tags = group["Tags"]!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => (string)t!["Value"]!);
            Assert.Equal(colour == "FleetBlue" ? "web-blue" : "web-green", tags["Name"]);
            Assert.Equal("production", tags["Environment"]);
            Assert.Equal("web", tags[Governance.ApplicationTag]);
            Assert.NotEqual(groups["FleetBlue"]["LaunchTemplate"]!.ToJsonString(), groups["FleetGree"]["LaunchTemplate"]!.ToJsonString());
        }
    }

    [Fact]
    public void TopologyParameter_Value_DeserializesAsTheWorkflowsFleetTopology()
    {
        var parameter = Support.Json.Resources(Json, "AWS::SSM::Parameter").Single().Resource["Properties"]!;
        Assert.Equal("/phoenix/apps/web/topology", (string?)parameter["Name"]);
        var topology = JsonSerializer.Deserialize(Support.Json.Flatten(parameter["Value"]!), CoreJsonContext.Default.FleetTopology)!;
        Assert.Equal("web", topology.Application);
        Assert.Equal("TOKEN", topology.Blue.AutoScalingGroupName);
        Assert.Equal("TOKEN", topology.Green.LaunchTemplateId);
        Assert.Equal("TOKEN", topology.ListenerArn);
        Assert.Equal(
            ["phoenix-web-blue-target-5xx-rate", "phoenix-web-blue-p99-latency", "phoenix-web-green-target-5xx-rate", "phoenix-web-green-p99-latency", "phoenix-web-elb-5xx-rate"],
            topology.AlarmNames);
        Assert.Equal(90, topology.MinHealthyPercentage);
        Assert.Equal(2, topology.DefaultCapacity);
        Assert.Equal("TOKEN", topology.BakeProject);
    }

    [Fact]
    public void InstanceRole_Policies_SessionManagerCore()
    {
        app.TemplateOf(app.Stacks.Fleet).HasResourceProperties("AWS::IAM::Role", new Dictionary<string, object>
        {
            ["ManagedPolicyArns"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
            {
                ["Fn::Join"] = Match.ArrayWith([Match.ArrayWith([":iam::aws:policy/AmazonSSMManagedInstanceCore"])]),
            })]),
        });
    }

    [Fact]
    public void Vpc_NoContext_CreatedWithFlowLogsAndNoAutomaticPublicIps()
    {
        var template = app.TemplateOf(app.Stacks.Fleet);
        template.ResourceCountIs("AWS::EC2::VPC", 1);
        template.ResourceCountIs("AWS::EC2::FlowLog", 1);
        Assert.All(Support.Json.Resources(Json, "AWS::EC2::Subnet"), s => Assert.False((bool)s.Resource["Properties"]!["MapPublicIpOnLaunch"]!));
    }

    [Fact]
    public void Vpc_ImportedByContext_NoVpcCreatedAndGroupsUseTheGivenSubnets()
    {
        var template = alternate.TemplateOf(alternate.Stacks.Fleet);
        template.ResourceCountIs("AWS::EC2::VPC", 0);
        template.HasResourceProperties("AWS::AutoScaling::AutoScalingGroup", new Dictionary<string, object>
        {
            ["VPCZoneIdentifier"] = new[] { "subnet-1a", "subnet-1b" },
        });
        // phoenix:imageId is where both colours start: their image parameters' first value. The launch templates resolve
        // the parameters at launch and never name the image themselves.
        var json = alternate.JsonOf(alternate.Stacks.Fleet);
        var parameters = Support.Json.Resources(json, "Custom::PhoenixImageParameter").ToList();
        Assert.Equal(2, parameters.Count);
        Assert.All(parameters, p => Assert.Contains("\"Value\":\"ami-0123456789abcdef0\"", (string)p.Resource["Properties"]!["Create"]!, StringComparison.Ordinal));
        Assert.All(Support.Json.Resources(json, "AWS::EC2::LaunchTemplate"), t =>
            Assert.StartsWith("resolve:ssm:/phoenix/apps/shop/", (string?)t.Resource["Properties"]!["LaunchTemplateData"]!["ImageId"], StringComparison.Ordinal));
    }

    [Fact]
    public void Listener_CertificateGiven_HttpsWithHttpRedirect()
    {
        var listeners = Support.Json.Resources(alternate.JsonOf(alternate.Stacks.Fleet), "AWS::ElasticLoadBalancingV2::Listener")
            .Select(l => l.Resource["Properties"]!).ToDictionary(l => (int)l["Port"]!);
        Assert.Equal("HTTPS", (string?)listeners[443]["Protocol"]);
        Assert.Equal("forward", (string?)listeners[443]["DefaultActions"]![0]!["Type"]);
        Assert.Equal("redirect", (string?)listeners[80]["DefaultActions"]![0]!["Type"]);
    }
}
