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
        Assert.Equal("S3", (string?)project["Source"]!["Type"]);
        Assert.False((bool)project["Environment"]!["PrivilegedMode"]!);
        Assert.NotNull(project["EncryptionKey"]);
    }

    [Fact]
    public void EnvironmentParameters_OnePerDoctorValue_HoldTheSameValueAsTheStackOutput()
    {
        var parameters = Support.Json.Resources(Json, "AWS::SSM::Parameter").Select(p => p.Resource["Properties"]!).ToList();
        var outputs = Json["Outputs"]!.AsObject();

        // The names phoenix doctor reads (Core) are the names this stack writes: one list, checked here against the template.
        Assert.Equal(Core.Doctor.EnvironmentDoctor.EnvironmentPath, EnvironmentParameters.Path);
        Assert.Equal(Core.Doctor.EnvironmentDoctor.Values.Count, parameters.Count);
        foreach (var value in Core.Doctor.EnvironmentDoctor.Values)
        {
            var parameter = Assert.Single(parameters, p => (string?)p["Name"] == EnvironmentParameters.Path + value.Parameter);
            Assert.Equal("String", (string?)parameter["Type"]);
            Assert.True(
                JsonNode.DeepEquals(outputs[value.Output]!["Value"], parameter["Value"]),
                $"{value.Parameter}: {parameter["Value"]?.ToJsonString()} is not output {value.Output}'s {outputs[value.Output]?["Value"]?.ToJsonString()}");
        }
    }
}
