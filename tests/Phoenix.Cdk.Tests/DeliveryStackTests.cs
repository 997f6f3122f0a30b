using System.Text.Json.Nodes;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

[Collection(SynthesizedAppGroup.Name)]
public sealed class DeliveryStackTests(SynthesizedApp app, AlternateApp alternate)
{
    private static JsonNode Pipeline(SynthesizedApp synthesized) =>
        Json.Resources(synthesized.JsonOf(synthesized.Stacks.Delivery!), "AWS::CodePipeline::Pipeline").Single().Resource["Properties"]!;

    private static JsonNode Action(JsonNode pipeline, string stage) =>
        pipeline["Stages"]!.AsArray().Single(s => (string?)s!["Name"] == stage)!["Actions"]![0]!;

    [Fact]
    public void Pipeline_Defaults_V2QueuedSourceBakeDeploy()
    {
        var pipeline = Pipeline(app);
        Assert.Equal("V2", (string?)pipeline["PipelineType"]);
        Assert.Equal("QUEUED", (string?)pipeline["ExecutionMode"]);
        Assert.Equal(["Source", "Bake", "Deploy"], pipeline["Stages"]!.AsArray().Select(s => (string?)s!["Name"]));
        var source = Action(pipeline, "Source");
        Assert.Equal("CodeStarSourceConnection", (string?)source["ActionTypeId"]!["Provider"]);
        Assert.Equal(SynthesizedApp.ConnectionArn, (string?)source["Configuration"]!["ConnectionArn"]);
        Assert.Equal("acme/web", (string?)source["Configuration"]!["FullRepositoryId"]);
        Assert.Equal("main", (string?)source["Configuration"]!["BranchName"]);
    }

    [Fact]
    public void BakeAction_Packer_RunsTheCommittedTemplateFolder()
    {
        var bake = Action(Pipeline(app), "Bake");
        Assert.Equal("CodeBuild", (string?)bake["ActionTypeId"]!["Provider"]);
        var variables = JsonNode.Parse((string)bake["Configuration"]!["EnvironmentVariables"]!)!.AsArray()
            .ToDictionary(v => (string)v!["name"]!, v => (string)v!["value"]!);
        Assert.Equal("cdk/packer", variables["PACKER_DIR"]);
        Assert.Equal("web", variables["APPLICATION"]);
        Assert.True(File.Exists(Path.Combine(PhoenixSettings.RepositoryRoot, variables["PACKER_DIR"], "app.pkr.hcl")));
    }

    [Fact]
    public void DeployAction_AfterBake_StartsTheStateMachineWithTheBakedImageFile()
    {
        var deploy = Action(Pipeline(app), "Deploy");
        Assert.Equal("StepFunctions", (string?)deploy["ActionTypeId"]!["Provider"]);
        Assert.Equal("FilePath", (string?)deploy["Configuration"]!["InputType"]);
        Assert.Equal("Baked::deploy-input.json", (string?)deploy["Configuration"]!["Input"]);
        Assert.Equal("Baked", (string?)deploy["InputArtifacts"]![0]!["Name"]);
    }

    [Fact]
    public void DeployAction_NoBakeStage_LiteralInputWithApplicationAndCommit()
    {
        var pipeline = Pipeline(alternate);
        Assert.Equal(["Source", "Deploy"], pipeline["Stages"]!.AsArray().Select(s => (string?)s!["Name"]));
        var configuration = Action(pipeline, "Deploy")["Configuration"]!;
        Assert.Equal("Literal", (string?)configuration["InputType"]);
        var input = JsonNode.Parse((string)configuration["Input"]!)!;
        Assert.Equal("shop", (string?)input["application"]);
        Assert.Equal("#{SourceVariables.CommitId}", (string?)input["source"]!["commit"]);
        Assert.Null(input["imageId"]);
    }
}
