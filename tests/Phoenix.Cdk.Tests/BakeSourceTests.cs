using System.Text.Json;
using Phoenix.Cdk.Tests.Support;
using Phoenix.Core.Serialization;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// The in-workflow bake hands the deployment's commit to CodeBuild as the build's source version, which only a repository
/// source reads as a commit (an S3 source reads it as an object version). So the bake exists only with a repository to build
/// from; without one no stack offers it, and Validate refuses a deployment without an image (Core's BakeSources).
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class BakeSourceTests(SynthesizedApp app, BakeSourceTests.WithoutRepository bare) : IClassFixture<BakeSourceTests.WithoutRepository>
{
    [Fact]
    public void WithoutAConnection_NoStack_HasABakeProjectOrAnythingNamingOne()
    {
        foreach (var stack in bare.AllStacks)
        {
            var json = bare.JsonOf(stack);
            Assert.Empty(Json.Resources(json, "AWS::CodeBuild::Project"));
            Assert.DoesNotContain("PHOENIX_BAKE_PROJECT", json.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("codebuild:", json.ToJsonString(), StringComparison.Ordinal);
            Assert.Null(json["Outputs"]?["BakeProjectName"]);
        }

        Assert.Null(bare.Stacks.Pipeline.BakeProject);
        Assert.Null(bare.Stacks.Delivery);
    }

    [Fact]
    public void WithoutAConnection_Topology_NamesNoBakeProject()
    {
        var parameter = Json.Resources(bare.JsonOf(bare.Stacks.Fleet), "AWS::SSM::Parameter")
            .Single(p => (string?)p.Resource["Properties"]!["Name"] == "/phoenix/apps/web/topology").Resource["Properties"]!;
        var topology = JsonSerializer.Deserialize(Json.Flatten(parameter["Value"]!), CoreJsonContext.Default.FleetTopology)!;

        Assert.Null(topology.BakeProject);
    }

    [Fact]
    public void WithAConnection_TheOnlyBakeProject_BuildsFromTheRepository()
    {
        var projects = app.AllStacks.SelectMany(s => Json.Resources(app.JsonOf(s), "AWS::CodeBuild::Project")).ToList();

        var project = Assert.Single(projects).Resource["Properties"]!;
        Assert.Equal("GITHUB", (string?)project["Source"]!["Type"]);
        Assert.Equal("CODECONNECTIONS", (string?)project["Source"]!["Auth"]!["Type"]);
    }

    /// <summary>The app as a user without a CodeConnections connection deploys it: no repository to bake from.</summary>
    public sealed class WithoutRepository() : SynthesizedApp(new Dictionary<string, object>
    {
        ["phoenix:slackWorkspaceId"] = "T0123ABCD",
        ["phoenix:slackChannelId"] = "C0123ABCD",
    });
}
