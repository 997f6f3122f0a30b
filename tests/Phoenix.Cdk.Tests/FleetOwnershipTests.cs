using System.Text.Json.Nodes;
using Phoenix.Cdk.Tests.Support;
using Phoenix.Core.Domain;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// The app synthesized before and after a redeploy that used to undo Phoenix's work: the image the fleet is built from is
/// another one (a new stock Amazon Linux, or a new phoenix:imageId) and unrelated context changed. CloudFormation updates a
/// resource only where its template changes, so what must not differ is every property that holds something Phoenix owns
/// after its first deployment: each colour's image and launch-template version, the listener's weights, the groups' sizes
/// (phoenix:capacity and phoenix:maxCapacity change too: they shape only a new fleet).
/// </summary>
public sealed class FleetOwnershipTests(FleetOwnershipTests.Redeploy redeploy) : IClassFixture<FleetOwnershipTests.Redeploy>
{
    private const string ImageParameterType = "Custom::PhoenixImageParameter";
    private const string InitialSizesType = "Custom::PhoenixInitialSizes";

    [Fact]
    public void Redeploy_NewImageAndChangedContext_OnlyCreateCallsAndTheTopologysDefaultCapacityDiffer()
    {
        var before = Resources(redeploy.Before);
        var after = Resources(redeploy.After);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());

        var changed = before.Keys.Where(id => !JsonNode.DeepEquals(before[id], after[id])).Order().ToList();
        // Where the new image and the new capacities reach: the create calls of the image parameters and of the groups'
        // initial sizes, which CloudFormation never replays, and the topology's defaultCapacity (a setting, see below).
        Assert.Equal(
            ["FleetBlueImageParameter", "FleetBlueInitialSizes", "FleetGreenImageParameter", "FleetGreenInitialSizes", "FleetTopology"],
            changed.Select(LogicalPrefix).Order());
        foreach (var id in changed.Where(id => !id.StartsWith("FleetTopology", StringComparison.Ordinal)))
        {
            var (was, now) = (before[id]!.AsObject().DeepClone().AsObject(), after[id]!.AsObject().DeepClone().AsObject());
            Assert.Contains((string?)now["Type"], new[] { ImageParameterType, InitialSizesType });
            Assert.NotEqual(was["Properties"]!["Create"]!.ToJsonString(), now["Properties"]!["Create"]!.ToJsonString());
            if ((string?)now["Type"] == ImageParameterType)
            {
                Assert.Contains(Redeploy.BeforeImageId, was["Properties"]!["Create"]!.ToJsonString(), StringComparison.Ordinal);
                Assert.Contains(Redeploy.AfterImageId, now["Properties"]!["Create"]!.ToJsonString(), StringComparison.Ordinal);
            }

            was["Properties"]!.AsObject().Remove("Create");
            now["Properties"]!.AsObject().Remove("Create");
            Assert.True(JsonNode.DeepEquals(was, now), $"{id} differs beyond its create call.");
        }

        // The topology is configuration Phoenix reads and never writes; its defaultCapacity is the size of a deployment to a
        // fleet with nothing live (ResolveFleet), so it follows phoenix:capacity. Nothing else in it may move.
        var topologyId = changed.Single(id => id.StartsWith("FleetTopology", StringComparison.Ordinal));
        var (oldTopology, newTopology) = (Topology(before[topologyId]!), Topology(after[topologyId]!));
        Assert.Equal((2, 3), ((int)oldTopology["defaultCapacity"]!, (int)newTopology["defaultCapacity"]!));
        oldTopology.Remove("defaultCapacity");
        newTopology.Remove("defaultCapacity");
        Assert.True(JsonNode.DeepEquals(oldTopology, newTopology), "The topology differs beyond its defaultCapacity.");
    }

    [Fact]
    public void InitialSizes_CreateOnly_ConfiguredSizesOnTheInitiallyLiveColourOnly()
    {
        foreach (var (app, capacity, max) in new[] { (redeploy.Before, 2, 4), (redeploy.After, 3, 6) })
        {
            var json = app.JsonOf(app.Stacks.Fleet);
            var groups = Json.Resources(json, "AWS::AutoScaling::AutoScalingGroup").ToDictionary(g => LogicalPrefix(g.LogicalId), g => g.LogicalId);
            var sizes = Json.Resources(json, InitialSizesType).ToList();
            Assert.Equal(2, sizes.Count);
            foreach (var (id, resource) in sizes)
            {
                var properties = resource["Properties"]!.AsObject();
                // No update call: a changed setting changes the create call, which CloudFormation does not run again.
                Assert.Null(properties["Update"]);
                Assert.Null(properties["Delete"]);
                var group = groups[id.StartsWith("FleetBlue", StringComparison.Ordinal) ? "FleetBlueGroupASG" : "FleetGreenGroupASG"];
                Assert.Contains($"{{\"Ref\":\"{group}\"}}", properties["Create"]!.ToJsonString(), StringComparison.Ordinal);
                var create = JsonNode.Parse(Json.Flatten(properties["Create"]!))!;
                Assert.Equal(("AutoScaling", "updateAutoScalingGroup"), ((string?)create["service"], (string?)create["action"]));
                var parameters = create["parameters"]!;
                var live = id.StartsWith("FleetBlue", StringComparison.Ordinal);
                Assert.Equal(live ? capacity : 0, (int)parameters["MinSize"]!);
                Assert.Equal(max, (int)parameters["MaxSize"]!);
                Assert.Equal(live ? capacity : null, (int?)parameters["DesiredCapacity"]);
            }

            // Least privilege: the provider may update these two groups only, by name inside their ARNs.
            var statements = Json.Resources(json, "AWS::IAM::Policy")
                .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
                .Where(s => Json.Many(s!["Action"]).Any(a => ((string?)a)!.StartsWith("autoscaling:", StringComparison.Ordinal)))
                .ToList();
            Assert.Equal(2, statements.Count);
            foreach (var statement in statements)
            {
                Assert.Equal(["autoscaling:UpdateAutoScalingGroup"], Json.Many(statement!["Action"]).Select(a => (string?)a));
                var resource = Json.Many(statement["Resource"]).Single().ToJsonString();
                Assert.Contains(":autoScalingGroup:*:autoScalingGroupName/", resource, StringComparison.Ordinal);
                Assert.Contains(groups.Values, g => resource.Contains($"{{\"Ref\":\"{g}\"}}", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void ImageParameters_CreateAndDeleteOnly_NoUpdateCallCouldOverwritePhoenixsImage()
    {
        var parameters = Json.Resources(redeploy.After.JsonOf(redeploy.After.Stacks.Fleet), ImageParameterType).ToList();
        Assert.Equal(2, parameters.Count);
        foreach (var (id, resource) in parameters)
        {
            var properties = resource["Properties"]!.AsObject();
            Assert.Null(properties["Update"]);
            var create = JsonNode.Parse(Json.Flatten(properties["Create"]!))!;
            Assert.Equal("putParameter", (string?)create["action"]);
            Assert.False((bool)create["parameters"]!["Overwrite"]!);
            Assert.Equal("aws:ec2:image", (string?)create["parameters"]!["DataType"]);
            Assert.Equal("ParameterAlreadyExists", (string?)create["ignoreErrorCodesMatching"]);
            var colour = id.StartsWith("FleetBlue", StringComparison.Ordinal) ? Colour.Blue : Colour.Green;
            Assert.Equal(FleetConventions.ImageParameter("web", colour), (string?)create["parameters"]!["Name"]);
            Assert.NotNull(properties["Delete"]);
        }
    }

    [Fact]
    public void LaunchTemplates_Image_ResolvedFromTheColoursParameterAtLaunch()
    {
        foreach (var app in new[] { redeploy.Before, redeploy.After })
        {
            var templates = Json.Resources(app.JsonOf(app.Stacks.Fleet), "AWS::EC2::LaunchTemplate").ToDictionary(t => LogicalPrefix(t.LogicalId), t => t.Resource);
            Assert.Equal(FleetConventions.ImageAlias("web", Colour.Blue), (string?)templates["FleetBlueLaunchTemplate"]["Properties"]!["LaunchTemplateData"]!["ImageId"]);
            Assert.Equal(FleetConventions.ImageAlias("web", Colour.Green), (string?)templates["FleetGreenLaunchTemplate"]["Properties"]!["LaunchTemplateData"]!["ImageId"]);
            // EC2 refuses a template naming a parameter that does not exist yet.
            Assert.All(templates.Values, t => Assert.Contains(t["DependsOn"]!.AsArray(), d => ((string)d!).Contains("ImageParameter", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Groups_Sizes_ConstantsNoDesiredCapacityAndUnmodifiedSizesIgnoredOnUpdate()
    {
        foreach (var (_, group) in new[] { redeploy.Before, redeploy.After }.SelectMany(a => Json.Resources(a.JsonOf(a.Stacks.Fleet), "AWS::AutoScaling::AutoScalingGroup")))
        {
            Assert.Null(group["Properties"]!["DesiredCapacity"]);
            Assert.Equal(("0", "1000"), ((string?)group["Properties"]!["MinSize"], (string?)group["Properties"]!["MaxSize"]));
            Assert.True((bool)group["UpdatePolicy"]!["AutoScalingScheduledAction"]!["IgnoreUnmodifiedGroupSizeProperties"]!);
            // Only the scheduled-action policy: a rolling or replacing update policy would recreate instances on a stack update.
            Assert.Equal(["AutoScalingScheduledAction"], group["UpdatePolicy"]!.AsObject().Select(p => p.Key));
        }
    }

    [Fact]
    public void StockImage_ResolvedOnEveryDeploy_ReachesOnlyTheImageParametersCreateCall()
    {
        // With no phoenix:imageId the fleet starts from the latest Amazon Linux 2023, a template parameter CloudFormation
        // resolves again on every deployment: whatever refers to it changes when AWS publishes a new image.
        var app = redeploy.Stock;
        var json = app.JsonOf(app.Stacks.Fleet);
        var stock = json["Parameters"]!.AsObject()
            .Where(p => ((string?)p.Value!["Type"])?.Contains("AWS::EC2::Image::Id", StringComparison.Ordinal) == true)
            .Select(p => p.Key)
            .ToList();
        Assert.Single(stock);
        var referrers = json["Resources"]!.AsObject()
            .Where(r => r.Value!.ToJsonString().Contains($"{{\"Ref\":\"{stock[0]}\"}}", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, referrers.Count);
        foreach (var (id, resource) in referrers)
        {
            Assert.Equal(ImageParameterType, (string?)resource!["Type"]);
            var withoutCreate = resource.DeepClone().AsObject();
            withoutCreate["Properties"]!.AsObject().Remove("Create");
            Assert.DoesNotContain(stock[0], withoutCreate.ToJsonString(), StringComparison.Ordinal);
        }
    }

    private static JsonObject Topology(JsonNode parameter) => JsonNode.Parse(Json.Flatten(parameter["Properties"]!["Value"]!))!.AsObject();

    private static Dictionary<string, JsonNode?> Resources(SynthesizedApp app) =>
        app.JsonOf(app.Stacks.Fleet)["Resources"]!.AsObject().ToDictionary(r => r.Key, r => r.Value);

    // Logical ids end in an 8-character hash of the construct path; the prefix names the construct.
    private static string LogicalPrefix(string logicalId) => logicalId[..^8];

    /// <summary>The same app synthesized as it was, as it is redeployed later, and with the stock image.</summary>
    public sealed class Redeploy : IDisposable
    {
        public const string BeforeImageId = "ami-0aaaaaaaaaaaaaaaa";
        public const string AfterImageId = "ami-0bbbbbbbbbbbbbbbb";

        public Redeploy()
        {
            Before = new ContextApp(Context(BeforeImageId, branch: "main", channel: "C0123ABCD", approvedTag: "Phoenix:baked", capacity: 2, maxCapacity: 4));
            After = new ContextApp(Context(AfterImageId, branch: "release", channel: "C9999ZZZZ", approvedTag: "Golden:yes", capacity: 3, maxCapacity: 6));
            var stock = Context(null, branch: "main", channel: "C0123ABCD", approvedTag: "Phoenix:baked", capacity: 2, maxCapacity: 4);
            Stock = new ContextApp(stock);
        }

        public SynthesizedApp Before { get; }

        public SynthesizedApp After { get; }

        public SynthesizedApp Stock { get; }

        public void Dispose()
        {
            Before.Dispose();
            After.Dispose();
            Stock.Dispose();
        }

        private static Dictionary<string, object> Context(string? imageId, string branch, string channel, string approvedTag, int capacity, int maxCapacity)
        {
            var context = new Dictionary<string, object>
            {
                ["phoenix:capacity"] = capacity,
                ["phoenix:maxCapacity"] = maxCapacity,
                ["phoenix:connectionArn"] = SynthesizedApp.ConnectionArn,
                ["phoenix:repository"] = "acme/web",
                ["phoenix:branch"] = branch,
                ["phoenix:slackWorkspaceId"] = "T0123ABCD",
                ["phoenix:slackChannelId"] = channel,
                ["phoenix:approvedAmiTag"] = approvedTag,
            };
            if (imageId is not null)
            {
                context["phoenix:imageId"] = imageId;
            }

            return context;
        }
    }

    private sealed class ContextApp(IDictionary<string, object> context) : SynthesizedApp(context);
}
