using System.Text.Json.Nodes;
using Amazon.CDK;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// The GitHub Actions delivery path: the OIDC provider and the deploy role as synthesized, with the trust policy and the
/// permissions asserted statement by statement (what is there, and that nothing else is).
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class GitHubDeliveryStackTests(SynthesizedApp app, AlternateApp alternate)
{
    private const string Host = "token.actions.githubusercontent.com";

    private static JsonObject Template(SynthesizedApp synthesized) => synthesized.JsonOf(synthesized.Stacks.GitHub!);

    private static JsonObject DeployRole(SynthesizedApp synthesized) =>
        Json.Resources(Template(synthesized), "AWS::IAM::Role").Single().Resource["Properties"]!.AsObject();

    /// <summary>Every identity-policy statement attached to the deploy role, as (actions, resource JSON, condition).</summary>
    private static List<(string[] Actions, string Resources, JsonNode? Condition)> Permissions(SynthesizedApp synthesized)
    {
        var template = Template(synthesized);
        var roleId = Json.Resources(template, "AWS::IAM::Role").Single().LogicalId;
        var inline = Json.Many(DeployRole(synthesized)["Policies"]).SelectMany(p => Json.Many(p["PolicyDocument"]!["Statement"]));
        var attached = Json.Resources(template, "AWS::IAM::Policy")
            .Where(p => Json.Many(p.Resource["Properties"]!["Roles"]).Any(r => (string?)r["Ref"] == roleId))
            .SelectMany(p => Json.Many(p.Resource["Properties"]!["PolicyDocument"]!["Statement"]));
        return inline.Concat(attached)
            .Select(s =>
            {
                Assert.Equal("Allow", (string?)s["Effect"]);
                return (Json.Many(s["Action"]).Select(a => (string)a!).Order(StringComparer.Ordinal).ToArray(), s["Resource"]!.ToJsonString(), s["Condition"]);
            })
            .ToList();
    }

    [Fact]
    public void TrustPolicy_RepositoryAndBranch_OnlyThatSubAndAudienceWithStringEquals()
    {
        var trust = Assert.Single(Json.Many(DeployRole(app)["AssumeRolePolicyDocument"]!["Statement"]));

        Assert.Equal("Allow", (string?)trust["Effect"]);
        Assert.Equal("sts:AssumeRoleWithWebIdentity", (string?)trust["Action"]);
        var provider = Json.Resources(Template(app), "AWS::IAM::OIDCProvider").Single().LogicalId;
        Assert.Equal($"[\"{provider}\",\"Arn\"]", trust["Principal"]!["Federated"]!["Fn::GetAtt"]!.ToJsonString());
        var condition = trust["Condition"]!.AsObject();
        Assert.Equal(["StringEquals"], condition.Select(c => c.Key));
        var claims = condition["StringEquals"]!.AsObject();
        Assert.Equal(2, claims.Count);
        Assert.Equal("sts.amazonaws.com", (string?)claims[Host + ":aud"]);
        Assert.Equal("repo:acme/web:ref:refs/heads/main", (string?)claims[Host + ":sub"]);
    }

    [Fact]
    public void OidcProvider_NoExistingArn_CreatesGitHubsProviderNatively()
    {
        var (_, provider) = Json.Resources(Template(app), "AWS::IAM::OIDCProvider").Single();

        Assert.Equal("https://" + Host, (string?)provider["Properties"]!["Url"]);
        Assert.Equal(["sts.amazonaws.com"], Json.Many(provider["Properties"]!["ClientIdList"]).Select(c => (string?)c));
        // No Lambda-backed custom resource stands in for the provider.
        Assert.Empty(Json.Resources(Template(app), "Custom::AWSCDKOpenIdConnectProvider"));
        Assert.Empty(Json.Resources(Template(app), "AWS::Lambda::Function"));
    }

    [Fact]
    public void OidcProvider_ExistingArnAndBranch_ImportsItAndTrustsThatBranch()
    {
        Assert.Empty(Json.Resources(Template(alternate), "AWS::IAM::OIDCProvider"));
        var trust = Assert.Single(Json.Many(DeployRole(alternate)["AssumeRolePolicyDocument"]!["Statement"]));

        Assert.Equal(AlternateApp.ExistingProviderArn, (string?)trust["Principal"]!["Federated"]);
        Assert.Equal("repo:acme/shop:ref:refs/heads/release/2026", (string?)trust["Condition"]!["StringEquals"]![Host + ":sub"]);
        Assert.Equal("sts.amazonaws.com", (string?)trust["Condition"]!["StringEquals"]![Host + ":aud"]);
    }

    [Fact]
    public void Permissions_DeployRole_StartWatchAndLedgerOnTheirOwnResourcesOnly()
    {
        var permissions = Permissions(app);

        Assert.Equal(4, permissions.Count);
        var start = Assert.Single(permissions, p => p.Actions.SequenceEqual(["states:StartExecution"]));
        Assert.Contains("DeployStateMachine", start.Resources, StringComparison.Ordinal);
        Assert.Null(start.Condition);

        var watch = Assert.Single(permissions, p => p.Actions.SequenceEqual(["states:DescribeExecution", "states:GetExecutionHistory"]));
        Assert.Contains(":execution:", watch.Resources, StringComparison.Ordinal);
        Assert.Contains("DeployStateMachine", watch.Resources, StringComparison.Ordinal);

        var ledger = Assert.Single(permissions, p => p.Actions.SequenceEqual(["dynamodb:Query"]));
        Assert.Contains("StateTable", ledger.Resources, StringComparison.Ordinal);
        Assert.Equal("[\"APP#web\"]", ledger.Condition!["ForAllValues:StringEquals"]!["dynamodb:LeadingKeys"]!.ToJsonString());

        // The state machine and the table are found, not configured: the two published parameters, by name.
        var discover = Assert.Single(permissions, p => p.Actions.SequenceEqual(["ssm:GetParameter"]));
        Assert.Null(discover.Condition);
        Assert.Equal(2, JsonNode.Parse(discover.Resources)!.AsArray().Count);
        Assert.Contains(":parameter/phoenix/environment/state-machine-arn\"", discover.Resources, StringComparison.Ordinal);
        Assert.Contains(":parameter/phoenix/environment/table-name\"", discover.Resources, StringComparison.Ordinal);

        // The bake runs inside the workflow under the bake project's role: nothing of CodeBuild or EC2 here.
        Assert.DoesNotContain(permissions.SelectMany(p => p.Actions), a => a.StartsWith("codebuild:", StringComparison.Ordinal) || a.StartsWith("ec2:", StringComparison.Ordinal));
    }

    /// <summary>
    /// What the role may read is what the pipeline stack publishes, under the names phoenix deploy looks up (Core's
    /// EnvironmentDiscovery): the state machine's and the table's own references, so a workflow needs only the role.
    /// </summary>
    [Fact]
    public void Parameters_PipelineStack_PublishTheStateMachineAndTableUnderTheNamesDeployReads()
    {
        var template = app.JsonOf(app.Stacks.Pipeline);
        var parameters = Json.Resources(template, "AWS::SSM::Parameter")
            .ToDictionary(p => (string)p.Resource["Properties"]!["Name"]!, p => p.Resource["Properties"]!["Value"]!);
        var machine = Json.Resources(template, "AWS::StepFunctions::StateMachine").Single().LogicalId;
        var table = Json.Resources(template, "AWS::DynamoDB::Table").Single().LogicalId;

        Assert.Equal([Phoenix.Core.Discovery.PublishedEnvironment.StateMachineArn.Parameter, Phoenix.Core.Discovery.PublishedEnvironment.TableName.Parameter], EnvironmentParameters.Discoverable);
        Assert.Equal("/phoenix/environment/state-machine-arn", Phoenix.Core.Discovery.EnvironmentDiscovery.StateMachineParameter);
        Assert.Equal("/phoenix/environment/table-name", Phoenix.Core.Discovery.EnvironmentDiscovery.TableParameter);
        Assert.Equal(machine, (string?)parameters["/phoenix/environment/state-machine-arn"]["Ref"]);
        Assert.Equal(table, (string?)parameters["/phoenix/environment/table-name"]["Ref"]);
    }

    [Fact]
    public void Permissions_DeployRole_NoWildcardActionOrResource()
    {
        foreach (var (actions, resources, _) in Permissions(app).Concat(Permissions(alternate)))
        {
            Assert.All(actions, a => Assert.DoesNotContain("*", a, StringComparison.Ordinal));
            Assert.NotEqual("\"*\"", resources);
            Assert.DoesNotContain("\"*\"", resources, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Output_RoleArn_ExportedForTheWorkflow()
    {
        var outputs = Template(app)["Outputs"]!.AsObject();
        var roleId = Json.Resources(Template(app), "AWS::IAM::Role").Single().LogicalId;

        var output = outputs["GitHubDeployRoleArn"]!;
        Assert.Equal(roleId, (string?)output["Value"]!["Fn::GetAtt"]![0]);
        Assert.Equal("Arn", (string?)output["Value"]!["Fn::GetAtt"]![1]);
    }

    [Fact]
    public void Stack_NoGitHubRepositoryContext_CreatesNoProviderOrRole()
    {
        var scratch = Directory.CreateTempSubdirectory("phoenix-cdk-nogithub-").FullName;
        try
        {
            var asset = Directory.CreateDirectory(Path.Combine(scratch, "asset")).FullName;
            File.WriteAllText(Path.Combine(asset, "bootstrap"), "stand-in");
            var bare = new App(new AppProps
            {
                Context = new Dictionary<string, object> { ["phoenix:lambdaAsset"] = asset },
                Outdir = Path.Combine(scratch, "cdk.out"),
            });

            var stacks = PhoenixApp.Build(bare);
            var assembly = bare.Synth();

            Assert.Null(stacks.GitHub);
            foreach (var stack in assembly.Stacks)
            {
                var text = File.ReadAllText(Path.Combine(assembly.Directory, stack.TemplateFile));
                Assert.DoesNotContain(Host, text, StringComparison.Ordinal);
                Assert.DoesNotContain("AWS::IAM::OIDCProvider", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
