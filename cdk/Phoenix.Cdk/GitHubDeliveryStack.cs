using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;
using static Phoenix.Cdk.Governance;

namespace Phoenix.Cdk;

public sealed class GitHubDeliveryStackProps : StackProps
{
    public required PhoenixSettings Settings { get; init; }

    public required PipelineStack Pipeline { get; init; }
}

/// <summary>
/// git push to deployment from GitHub Actions (the other delivery path beside <see cref="DeliveryStack"/>): GitHub's
/// OIDC provider (created, or the account's existing one) and a role that only a workflow run on one repository's one
/// branch can assume, with no long-lived keys. The role may start and watch Phoenix executions, read the application's
/// ledger entries and the two parameters that name the state machine and table, each on its specific resource, nothing else. The image bake needs nothing more: without an image id
/// the workflow itself runs it (StartBake → the Packer CodeBuild project, under the bake project's own role), so this
/// role holds no CodeBuild or EC2 permission at all.
/// </summary>
public sealed class GitHubDeliveryStack : Stack
{
    public const string TokenHost = "token.actions.githubusercontent.com";
    public const string Audience = "sts.amazonaws.com";

    public GitHubDeliveryStack(Construct scope, string id, GitHubDeliveryStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var engine = props.Pipeline;

        string providerArn;
        if (settings.GitHubOidcProviderArn is { } existing)
        {
            // IAM holds one provider per URL and account: a second CreateOpenIDConnectProvider would fail the deploy.
            providerArn = existing;
        }
        else
        {
            // The L1 resource is native CloudFormation; CDK's OpenIdConnectProvider is a Lambda-backed custom resource.
            // No thumbprint: IAM validates GitHub's certificate against its own trusted CAs (the property is optional).
            var provider = new CfnOIDCProvider(this, "GitHubOidcProvider", new CfnOIDCProviderProps
            {
                Url = "https://" + TokenHost,
                ClientIdList = [Audience],
            });
            providerArn = provider.AttrArn;
        }

        Subject = $"repo:{settings.GitHubRepository}:ref:refs/heads/{settings.GitHubBranch}";
        DeployRole = new Role(this, "GitHubDeployRole", new RoleProps
        {
            Description = $"Phoenix deployments from GitHub Actions: {settings.GitHubRepository} on {settings.GitHubBranch} only.",
            // StringEquals on both claims: a pull request, another branch, a tag or an environment-scoped job of the same
            // repository presents another sub and is refused; aud is what aws-actions/configure-aws-credentials requests.
            AssumedBy = new FederatedPrincipal(
                providerArn,
                new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object>
                    {
                        [TokenHost + ":aud"] = Audience,
                        [TokenHost + ":sub"] = Subject,
                    },
                },
                "sts:AssumeRoleWithWebIdentity"),
            // A deployment with the default strategy takes ~20 minutes; the action asks for an hour by default.
            MaxSessionDuration = Duration.Hours(2),
        });

        // Start and watch: StartExecution on the one state machine, reads on its executions only.
        DeployRole.AddToPrincipalPolicy(Allow(["states:StartExecution"], engine.StateMachine.StateMachineArn));
        DeployRole.AddToPrincipalPolicy(Allow(["states:DescribeExecution", "states:GetExecutionHistory"], FormatArn(new ArnComponents
        {
            Service = "states",
            Resource = "execution",
            ResourceName = engine.StateMachine.StateMachineName + ":*",
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        })));

        // The ledger entry for the job summary (the CLI finds it with Query): the application's own items only, as the
        // table also holds the lock and drift dedupe.
        DeployRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["dynamodb:Query"],
            Resources = [engine.Table.TableArn],
            Conditions = new Dictionary<string, object>
            {
                ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["dynamodb:LeadingKeys"] = new[] { "APP#" + settings.Application } },
            },
        }));

        // The one value a workflow sets is this role's ARN: phoenix deploy finds the state machine and table the pipeline
        // stack published in the region (EnvironmentParameters), those two parameters and nothing else.
        DeployRole.AddToPrincipalPolicy(Allow(["ssm:GetParameter"], [.. EnvironmentParameters.Discoverable.Select(leaf => EnvironmentParameters.Arn(this, leaf))]));

        SuppressNag(DeployRole.Node.FindChild("DefaultPolicy"),
            ("AwsSolutions-IAM5", "Executions of the Phoenix state machine are named per deployment (application and start time); the ARN is held to that state machine."));

        _ = new CfnOutput(this, "GitHubDeployRoleArn", new CfnOutputProps
        {
            Value = DeployRole.RoleArn,
            Description = $"role-to-assume for .github/actions/phoenix-deploy ({Subject})",
        });
    }

    public Role DeployRole { get; }

    /// <summary>The one <c>sub</c> claim the role trusts.</summary>
    public string Subject { get; }
}
