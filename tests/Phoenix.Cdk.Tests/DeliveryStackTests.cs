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
        // CodePipeline reads Input as a path inside the input artifact (action-reference-StepFunctions); the bake writes
        // the file at the artifact's root.
        Assert.Equal("deploy-input.json", (string?)deploy["Configuration"]!["Input"]);
        var buildSpec = JsonNode.Parse((string)Json.Resources(app.JsonOf(app.Stacks.Pipeline), "AWS::CodeBuild::Project").Single().Resource["Properties"]!["Source"]!["BuildSpec"]!)!;
        Assert.Null(buildSpec["artifacts"]!["base-directory"]);
        Assert.Contains("deploy-input.json", buildSpec["artifacts"]!["files"]!.AsArray().Select(f => (string?)f));
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

    [Fact]
    public void Trigger_Push_OnlyTheBranchAndTheImagesSources()
    {
        foreach (var synthesized in new[] { app, (SynthesizedApp)alternate })
        {
            var pipeline = Pipeline(synthesized);
            var trigger = pipeline["Triggers"]!.AsArray().Single()!;
            Assert.Equal("CodeStarSourceConnection", (string?)trigger["ProviderType"]);
            Assert.Equal((string?)Action(pipeline, "Source")["Name"], (string?)trigger["GitConfiguration"]!["SourceActionName"]);
            var push = trigger["GitConfiguration"]!["Push"]!.AsArray().Single()!;
            Assert.Equal(["main"], push["Branches"]!["Includes"]!.AsArray().Select(b => (string?)b));
            Assert.Equal(["cdk/packer/**"], push["FilePaths"]!["Includes"]!.AsArray().Select(b => (string?)b));
        }

        // What the bake reads lies inside the filter: the Packer folder the bake action runs.
        var bake = Action(Pipeline(app), "Bake");
        var folder = JsonNode.Parse((string)bake["Configuration"]!["EnvironmentVariables"]!)!.AsArray().Single(v => (string?)v!["name"] == "PACKER_DIR")!["value"]!.ToString();
        Assert.Equal(folder + "/**", DeliveryStack.ImageSourcePaths.Single());
    }

    [Fact]
    public void Actions_EveryInputArtifact_DecryptableByTheRoleThatReadsIt()
    {
        var checkedReads = 0;
        foreach (var synthesized in new[] { app, (SynthesizedApp)alternate })
        {
            var delivery = synthesized.JsonOf(synthesized.Stacks.Delivery!);
            var engine = synthesized.JsonOf(synthesized.Stacks.Pipeline);
            var pipeline = Pipeline(synthesized);
            var storeKey = Key(pipeline["ArtifactStore"]!["EncryptionKey"]!["Id"]!, engine);
            var actions = pipeline["Stages"]!.AsArray().SelectMany(s => s!["Actions"]!.AsArray()).Select(a => a!).ToList();
            // Which key each artifact is written with: the store's, or the producing CodeBuild project's own key.
            var written = new Dictionary<string, string>();
            foreach (var action in actions)
            {
                foreach (var output in Json.Many(action["OutputArtifacts"]))
                {
                    written[(string)output["Name"]!] = (string?)action["ActionTypeId"]!["Provider"] == "CodeBuild"
                        ? "pipeline/" + (string?)Json.Resources(engine, "AWS::CodeBuild::Project").Single().Resource["Properties"]!["EncryptionKey"]!["Fn::GetAtt"]![0]
                        : storeKey;
                }
            }

            foreach (var action in actions)
            {
                // CodeBuild reads its input under the project's own role (the pipeline stack's bake role, granted here
                // by import); every other action under its action role.
                var codeBuild = (string?)action["ActionTypeId"]!["Provider"] == "CodeBuild";
                var role = codeBuild ? null : (string)action["RoleArn"]!["Fn::GetAtt"]![0]!;
                foreach (var input in Json.Many(action["InputArtifacts"]))
                {
                    var key = written[(string)input["Name"]!];
                    Assert.True(Decrypts(delivery, r => codeBuild ? r["Fn::ImportValue"] is not null : (string?)r["Ref"] == role, engine, key),
                        $"{action["Name"]}'s role {role ?? "(the bake project's)"} cannot decrypt {input["Name"]} (key {key})");
                    checkedReads++;
                }
            }
        }

        // The default app: Packer reads Source, Phoenix reads Baked; the alternate app has no input artifacts.
        Assert.True(checkedReads >= 2, $"only {checkedReads} artifact reads checked");
    }

    private static bool Decrypts(JsonObject delivery, Func<JsonNode, bool> reader, JsonObject engine, string key) =>
        Json.Resources(delivery, "AWS::IAM::Policy")
            .Where(p => Json.Many(p.Resource["Properties"]!["Roles"]).Any(reader))
            .SelectMany(p => Json.Many(p.Resource["Properties"]!["PolicyDocument"]!["Statement"]))
            .Any(s => (string?)s["Effect"] == "Allow"
                && Json.Many(s["Action"]).Any(a => (string?)a == "kms:Decrypt")
                && Json.Many(s["Resource"]).Any(r => r is JsonObject && Key(r, engine) == key));

    /// <summary>A key reference as "stack/logical id": GetAtt in the delivery stack, or an import of the pipeline stack's.</summary>
    private static string Key(JsonNode reference, JsonObject engine)
    {
        if (reference["Fn::GetAtt"] is JsonArray local)
        {
            return "delivery/" + (string?)local[0];
        }

        var import = (string?)reference["Fn::ImportValue"] ?? throw new InvalidOperationException($"Not a key reference: {reference.ToJsonString()}");
        var output = engine["Outputs"]!.AsObject().Select(o => o.Value!).Single(o => (string?)o["Export"]?["Name"] == import);
        return "pipeline/" + (string?)output["Value"]!["Fn::GetAtt"]![0];
    }
}
