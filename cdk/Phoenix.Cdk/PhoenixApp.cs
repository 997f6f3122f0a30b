using Amazon.CDK;

namespace Phoenix.Cdk;

/// <summary>The app's stacks, wired from the context values (<see cref="PhoenixSettings"/>).</summary>
public static class PhoenixApp
{
    public sealed record Stacks(PipelineStack Pipeline, FleetStack Fleet, DriftStack Drift, DeliveryStack? Delivery, GitHubDeliveryStack? GitHub)
    {
        public IEnumerable<Stack> All =>
            new Stack[] { Pipeline, Fleet, Drift }.Concat(Delivery is null ? [] : [Delivery]).Concat(GitHub is null ? [] : [GitHub]);
    }

    public static Stacks Build(App app, string? definition = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = PhoenixSettings.FromContext(app.Node);
        // No Env: the templates are account- and region-agnostic, deployable wherever the CLI's credentials point.
        var pipeline = new PipelineStack(app, "PhoenixPipeline", new PipelineStackProps
        {
            Description = "Phoenix: blue/green deployment workflow (Step Functions + one Lambda per step)",
            LambdaAssetPath = settings.ResolveLambdaAsset(),
            Definition = definition,
            Settings = settings,
        });
        var fleet = new FleetStack(app, "PhoenixFleet", new FleetStackProps
        {
            Description = $"Phoenix: blue/green fleet for {settings.Application}",
            Settings = settings,
            BakeProjectName = pipeline.BakeProject?.ProjectName,
            DeploymentTopicArn = pipeline.DeployTopic.TopicArn,
        });
        var drift = new DriftStack(app, "PhoenixDrift", new DriftStackProps
        {
            Description = "Phoenix: drift detection (AWS Config), alerts to chat",
            Settings = settings,
            Pipeline = pipeline,
        });
        DeliveryStack? delivery = null;
        if (settings.DeliveryEnabled)
        {
            delivery = new DeliveryStack(app, "PhoenixDelivery", new DeliveryStackProps
            {
                Description = "Phoenix: git push to deployment (CodePipeline V2)",
                Settings = settings,
                Pipeline = pipeline,
            });
        }

        GitHubDeliveryStack? github = null;
        if (settings.GitHubDeliveryEnabled)
        {
            github = new GitHubDeliveryStack(app, "PhoenixGitHub", new GitHubDeliveryStackProps
            {
                Description = $"Phoenix: deployments from GitHub Actions ({settings.GitHubRepository}, branch {settings.GitHubBranch}) via OIDC",
                Settings = settings,
                Pipeline = pipeline,
            });
        }

        var stacks = new Stacks(pipeline, fleet, drift, delivery, github);
        foreach (var stack in stacks.All)
        {
            Tags.Of(stack).Add("Project", "Phoenix");
        }

        return stacks;
    }
}
