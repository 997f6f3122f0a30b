using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

[Collection(SynthesizedAppGroup.Name)]
public sealed class PipelineStackTests(SynthesizedApp app)
{
    private static readonly string[] ContractEnvironment =
        ["PHOENIX_TABLE", "PHOENIX_DEPLOY_TOPIC_ARN", "PHOENIX_DRIFT_TOPIC_ARN", "PHOENIX_TOPOLOGY_PREFIX", "PHOENIX_BAKE_PROJECT"];

    private JsonObject Json => app.JsonOf(app.Stacks.Pipeline);

    [Fact]
    public void Functions_EveryWorkflowStepAndLockCleanup_OneAotFunctionPerHandlerKey()
    {
        var functions = Support.Json.Resources(Json, "AWS::Lambda::Function").Select(f => f.Resource["Properties"]!).ToList();
        foreach (var handler in Handlers.WorkflowSteps.Append(Handlers.LockCleanup))
        {
            var matching = functions.Where(f => (string?)f["Handler"] == handler).ToList();
            var function = Assert.Single(matching);
            Assert.Equal("provided.al2023", (string?)function["Runtime"]);
            Assert.Equal("x86_64", (string?)function["Architectures"]![0]);
            var variables = function["Environment"]!["Variables"]!.AsObject();
            Assert.All(ContractEnvironment, name => Assert.True(variables.ContainsKey(name), $"{handler} lacks {name}"));
            Assert.Equal("/phoenix/apps/", (string?)variables["PHOENIX_TOPOLOGY_PREFIX"]);
        }

        Assert.Equal(Handlers.WorkflowSteps.Count + 1, functions.Count);
    }

    [Fact]
    public void Functions_ConstructIds_FollowHandlerNameFunction()
    {
        foreach (var step in Handlers.WorkflowSteps)
        {
            Assert.Equal(step + "Function", app.Stacks.Pipeline.Functions[step].Node.Id);
        }
    }

    [Fact]
    public void StateMachine_Definition_IsTheAslFileWithEveryStepSubstituted()
    {
        var machine = Support.Json.Resources(Json, "AWS::StepFunctions::StateMachine").Single().Resource["Properties"]!;
        Assert.Equal(AslDefinition.Load(), (string?)machine["DefinitionString"]);
        var substitutions = machine["DefinitionSubstitutions"]!.AsObject();
        Assert.Equal(Handlers.WorkflowSteps.Select(Handlers.Placeholder).Order(), substitutions.Select(s => s.Key).Order());
        foreach (var (key, value) in substitutions)
        {
            var target = (string?)value!["Fn::GetAtt"]![0];
            Assert.StartsWith(key.Replace("FunctionArn", "Function", StringComparison.Ordinal), target, StringComparison.Ordinal);
            Assert.Equal("Arn", (string?)value["Fn::GetAtt"]![1]);
        }
    }

    [Fact]
    public void StateMachine_Observability_VendedLogGroupAllLevelsAndTracing()
    {
        var template = app.TemplateOf(app.Stacks.Pipeline);
        template.HasResourceProperties("AWS::Logs::LogGroup", new Dictionary<string, object>
        {
            ["LogGroupName"] = "/aws/vendedlogs/states/phoenix-deploy",
        });
        template.HasResourceProperties("AWS::StepFunctions::StateMachine", new Dictionary<string, object>
        {
            ["TracingConfiguration"] = new Dictionary<string, object> { ["Enabled"] = true },
            ["LoggingConfiguration"] = Match.ObjectLike(new Dictionary<string, object> { ["Level"] = "ALL", ["IncludeExecutionData"] = true }),
        });
    }

    [Fact]
    public void Table_Schema_PkSkWithTtlPointInTimeRecoveryAndEncryption()
    {
        app.TemplateOf(app.Stacks.Pipeline).HasResourceProperties("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["KeySchema"] = new object[]
            {
                new Dictionary<string, object> { ["AttributeName"] = "pk", ["KeyType"] = "HASH" },
                new Dictionary<string, object> { ["AttributeName"] = "sk", ["KeyType"] = "RANGE" },
            },
            ["TimeToLiveSpecification"] = new Dictionary<string, object> { ["AttributeName"] = "ttl", ["Enabled"] = true },
            ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
            ["SSESpecification"] = new Dictionary<string, object> { ["SSEEnabled"] = true },
        });
    }

    [Fact]
    public void Topics_DeploymentAndDrift_EncryptedWithTheNotificationsKey()
    {
        var topics = Support.Json.Resources(Json, "AWS::SNS::Topic").ToList();
        Assert.Equal(2, topics.Count);
        Assert.All(topics, t => Assert.StartsWith("NotificationsKey", (string?)t.Resource["Properties"]!["KmsMasterKeyId"]!["Fn::GetAtt"]![0], StringComparison.Ordinal));
    }

    [Fact]
    public void ReleaseStaleLocksRule_Pattern_SendsFailedTimedOutAbortedExecutionsToLockCleanup()
    {
        var rule = Support.Json.Resources(Json, "AWS::Events::Rule").Single().Resource["Properties"]!;
        var pattern = rule["EventPattern"]!;
        Assert.Equal("aws.states", (string?)pattern["source"]![0]);
        Assert.Equal("Step Functions Execution Status Change", (string?)pattern["detail-type"]![0]);
        Assert.Equal(["FAILED", "TIMED_OUT", "ABORTED"], pattern["detail"]!["status"]!.AsArray().Select(s => (string?)s));
        Assert.StartsWith("DeployStateMachine", (string?)pattern["detail"]!["stateMachineArn"]![0]!["Ref"], StringComparison.Ordinal);
        Assert.StartsWith("LockCleanupFunction", (string?)rule["Targets"]![0]!["Arn"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public void BakeProject_BuildSpec_ExportsImageIdFromTheManifest()
    {
        var project = Support.Json.Resources(Json, "AWS::CodeBuild::Project").Single().Resource["Properties"]!;
        var buildSpec = (string)project["Source"]!["BuildSpec"]!;
        Assert.Contains("\"exported-variables\"", buildSpec, StringComparison.Ordinal);
        Assert.Contains("IMAGE_ID", buildSpec, StringComparison.Ordinal);
        Assert.Contains(".builds[-1].artifact_id", buildSpec, StringComparison.Ordinal);
        Assert.Contains("deploy-input.json", buildSpec, StringComparison.Ordinal);
        Assert.Equal("GITHUB", (string?)project["Source"]!["Type"]);
        Assert.False((bool)project["Environment"]!["PrivilegedMode"]!);
        Assert.NotNull(project["EncryptionKey"]);
    }

    [Fact]
    public void EnvironmentParameters_OnePerPublishedValue_HoldTheSameValueAsTheStackOutput()
    {
        var parameters = Support.Json.Resources(Json, "AWS::SSM::Parameter").Select(p => p.Resource["Properties"]!).ToList();
        var outputs = Json["Outputs"]!.AsObject();

        // The names phoenix doctor and discovery read (Core's one list) are the names this stack writes, checked against the template.
        Assert.Equal(Core.Discovery.PublishedEnvironment.All.Count, parameters.Count);
        foreach (var value in Core.Discovery.PublishedEnvironment.All)
        {
            var parameter = Assert.Single(parameters, p => (string?)p["Name"] == value.ParameterName);
            Assert.Equal("String", (string?)parameter["Type"]);
            Assert.True(
                JsonNode.DeepEquals(outputs[value.Output]!["Value"], parameter["Value"]),
                $"{value.Parameter}: {parameter["Value"]?.ToJsonString()} is not output {value.Output}'s {outputs[value.Output]?["Value"]?.ToJsonString()}");
        }
    }

    [Fact]
    public void BakeProject_WithAConnection_BuildsTheRepositoryAtTheCommitThroughCodeConnections()
    {
        var project = Support.Json.Resources(Json, "AWS::CodeBuild::Project").Single().Resource["Properties"]!;
        // A GitHub source takes a commit id as StartBuild's sourceVersion (an S3 source would take it as an object version).
        Assert.Equal("https://github.com/acme/web.git", (string?)project["Source"]!["Location"]);
        Assert.Equal("CODECONNECTIONS", (string?)project["Source"]!["Auth"]!["Type"]);
        Assert.Equal(SynthesizedApp.ConnectionArn, (string?)project["Source"]!["Auth"]!["Resource"]);
        Assert.Equal(DeliveryStack.PackerFolder, Variable(project, "PACKER_DIR"));
        Assert.Contains(BakeRoleStatements(), s => Support.Json.Many(s["Action"]).Any(a => (string?)a == "codeconnections:GetConnectionToken")
            && Support.Json.Many(s["Resource"]).Any(r => r is JsonValue && (string?)r == SynthesizedApp.ConnectionArn));
    }

    [Fact]
    public void BakeProject_PackerVariables_EveryDeclaredVariableIsSetByTheBuildAndNothingElse()
    {
        var project = Support.Json.Resources(Json, "AWS::CodeBuild::Project").Single().Resource["Properties"]!;
        var declared = HclBlock.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "packer", "app.pkr.hcl")))
            .All("variable").Select(v => v.Labels[0]).Order().ToList();
        var fromEnvironment = project["Environment"]!["EnvironmentVariables"]!.AsArray()
            .Select(v => (string)v!["Name"]!).Where(n => n.StartsWith("PKR_VAR_", StringComparison.Ordinal)).Select(n => n["PKR_VAR_".Length..]);
        var buildSpec = (string)project["Source"]!["BuildSpec"]!;
        var fromCommandLine = System.Text.RegularExpressions.Regex.Matches(buildSpec, @"-var \\""([a-z_]+)=").Select(m => m.Groups[1].Value);
        Assert.Equal(declared, fromEnvironment.Concat(fromCommandLine).Order().ToList());
        // The approved-image tag Packer puts on the image is the one the drift stack's Config rule accepts.
        var rule = Support.Json.Resources(app.JsonOf(app.Stacks.Drift), "AWS::Config::ConfigRule")
            .Single(r => (string?)r.Resource["Properties"]!["ConfigRuleName"] == DriftStack.ApprovedAmisRuleName).Resource["Properties"]!;
        Assert.Equal((string?)rule["InputParameters"]!["amisByTagKeyAndValue"], Variable(project, "PKR_VAR_approved_ami_tag"));
    }

    [Fact]
    public void BakeProject_Downloads_CheckedAgainstPinnedSha256BeforeUse()
    {
        var buildSpec = JsonNode.Parse((string)Support.Json.Resources(Json, "AWS::CodeBuild::Project").Single().Resource["Properties"]!["Source"]!["BuildSpec"]!)!;
        var install = buildSpec["phases"]!["install"]!["commands"]!.AsArray().Select(c => (string)c!).ToList();
        var variables = buildSpec["env"]!["variables"]!;
        Assert.Matches("^[0-9a-f]{64}$", (string?)variables["PACKER_SHA256"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)variables["SSM_PLUGIN_SHA256"]);
        int Index(string text) => install.FindIndex(c => c.Contains(text, StringComparison.Ordinal));
        Assert.True(Index("${PACKER_SHA256}  /tmp/packer.zip\" | sha256sum -c -") is var check && check >= 0 && check < Index("unzip"), "packer.zip is unzipped before its checksum is checked");
        Assert.True(Index("${SSM_PLUGIN_SHA256}  /tmp/session-manager-plugin.deb\" | sha256sum -c -") is var ssm && ssm >= 0 && ssm < Index("dpkg -i"), "the plugin is installed before its checksum is checked");
    }

    [Fact]
    public void BakeRole_SessionManager_OnlyToTheBakesOwnInstancesAndOnlyItsProfilesRole()
    {
        var statements = BakeRoleStatements();
        var start = statements.Where(s => Support.Json.Many(s["Action"]).Any(a => (string?)a == "ssm:StartSession")).ToList();
        Assert.Equal(2, start.Count);
        Assert.Contains(start, s => (string?)s["Condition"]?["StringEquals"]?["aws:ResourceTag/" + LeastPrivilege.BakeTag] is not null);
        Assert.Contains(start, s => Support.Json.Flatten(s["Resource"]!).EndsWith(":document/AWS-StartPortForwardingSession", StringComparison.Ordinal));
        var passRole = statements.Single(s => Support.Json.Many(s["Action"]).Any(a => (string?)a == "iam:PassRole"));
        Assert.StartsWith("BakeInstanceRole", (string?)passRole["Resource"]!["Fn::GetAtt"]![0], StringComparison.Ordinal);
        Assert.Equal("ec2.amazonaws.com", (string?)passRole["Condition"]!["StringEquals"]!["iam:PassedToService"]);
    }

    private List<JsonNode> BakeRoleStatements() =>
        Support.Json.Resources(Json, "AWS::IAM::Policy")
            .Where(p => Support.Json.Many(p.Resource["Properties"]!["Roles"]).Any(r => ((string?)r["Ref"])?.StartsWith("BakeRole", StringComparison.Ordinal) == true))
            .SelectMany(p => Support.Json.Many(p.Resource["Properties"]!["PolicyDocument"]!["Statement"]))
            .ToList();

    private static string? Variable(JsonNode project, string name) =>
        (string?)project["Environment"]!["EnvironmentVariables"]!.AsArray().Single(v => (string?)v!["Name"] == name)!["Value"];
}
