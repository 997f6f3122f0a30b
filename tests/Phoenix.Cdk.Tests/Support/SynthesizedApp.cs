using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Phoenix.Cdk.Tests.Support;

/// <summary>
/// The whole app synthesized once, with a small stand-in Lambda asset folder (the real one is a Native AOT build)
/// and every optional feature switched on. Stacks and templates are shared by the test classes of the collection.
/// </summary>
public class SynthesizedApp : IDisposable
{
    public const string ConnectionArn = "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d";

    private readonly string _scratch;
    private readonly Dictionary<string, Template> _templates = new(StringComparer.Ordinal);

    public SynthesizedApp()
        : this(new Dictionary<string, object>
        {
            ["phoenix:connectionArn"] = ConnectionArn,
            ["phoenix:repository"] = "acme/web",
            ["phoenix:slackWorkspaceId"] = "T0123ABCD",
            ["phoenix:slackChannelId"] = "C0123ABCD",
            ["phoenix:teamsTenantId"] = "11111111-2222-3333-4444-555555555555",
            ["phoenix:teamsTeamId"] = "66666666-7777-8888-9999-000000000000",
            ["phoenix:teamsChannelId"] = "19:abc@thread.tacv2",
            ["phoenix:githubRepository"] = GitHubRepository,
        })
    {
    }

    public const string GitHubRepository = "acme/web";

    protected SynthesizedApp(IDictionary<string, object> context)
    {
        _scratch = Directory.CreateTempSubdirectory("phoenix-cdk-").FullName;
        var asset = Directory.CreateDirectory(Path.Combine(_scratch, "asset")).FullName;
        File.WriteAllText(Path.Combine(asset, "bootstrap"), "stand-in for the Native AOT bootstrap");
        context["phoenix:lambdaAsset"] = asset;
        OutputDirectory = Path.Combine(_scratch, "cdk.out");
        App = new App(new AppProps { Context = context, Outdir = OutputDirectory });
        Stacks = PhoenixApp.Build(App);
        App.Synth();
    }

    public App App { get; }

    public PhoenixApp.Stacks Stacks { get; }

    public string OutputDirectory { get; }

    public IEnumerable<Stack> AllStacks => Stacks.All;

    public IReadOnlyList<string> TemplateFiles =>
        AllStacks.Select(s => Path.Combine(OutputDirectory, s.StackName + ".template.json")).ToList();

    public Template TemplateOf(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (!_templates.TryGetValue(stack.StackName, out var template))
        {
            template = Template.FromStack(stack);
            _templates[stack.StackName] = template;
        }

        return template;
    }

    /// <summary>The synthesized template as plain JSON, for checks that walk every resource.</summary>
    public JsonObject JsonOf(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(OutputDirectory, stack.StackName + ".template.json")))!.AsObject();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }
}

/// <summary>
/// The other shape of the app: imported VPC, no bake stage in the pipeline, no chat channels, and GitHub delivery
/// from a release branch through the account's existing OIDC provider.
/// </summary>
public sealed class AlternateApp : SynthesizedApp
{
    public const string ExistingProviderArn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

    public AlternateApp()
        : base(new Dictionary<string, object>
        {
            ["phoenix:connectionArn"] = ConnectionArn,
            ["phoenix:repository"] = "acme/web",
            ["phoenix:bakeInPipeline"] = "false",
            ["phoenix:application"] = "shop",
            ["phoenix:vpcId"] = "vpc-0abc1234",
            ["phoenix:availabilityZones"] = "us-east-1a,us-east-1b",
            ["phoenix:publicSubnetIds"] = "subnet-0a,subnet-0b",
            ["phoenix:privateSubnetIds"] = "subnet-1a,subnet-1b",
            ["phoenix:certificateArn"] = "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            ["phoenix:imageId"] = "ami-0123456789abcdef0",
            ["phoenix:githubRepository"] = "acme/shop",
            ["phoenix:githubBranch"] = "release/2026",
            ["phoenix:githubOidcProviderArn"] = ExistingProviderArn,
        })
    {
    }
}

[CollectionDefinition(Name)]
public sealed class SynthesizedAppGroup : ICollectionFixture<SynthesizedApp>, ICollectionFixture<AlternateApp>
{
    public const string Name = "synthesized app";
}
