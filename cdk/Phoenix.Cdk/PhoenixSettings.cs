using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Constructs;

namespace Phoenix.Cdk;

/// <summary>
/// Every context value the app reads (cdk.json "context" or <c>-c key=value</c>). Values are validated here, before
/// any construct is created, so a bad value fails the synth with a message naming the key and the value.
/// </summary>
public sealed partial record PhoenixSettings
{
    public const string DefaultLambdaAsset = "artifacts/lambda/bootstrap.zip";

    /// <summary>Zip or folder holding the Native AOT <c>bootstrap</c>; relative paths are taken from the repository root.</summary>
    public string LambdaAsset { get; init; } = DefaultLambdaAsset;

    public string Application { get; init; } = "web";

    public string Environment { get; init; } = "production";

    public string? VpcId { get; init; }

    public IReadOnlyList<string> AvailabilityZones { get; init; } = [];

    public IReadOnlyList<string> PublicSubnetIds { get; init; } = [];

    public IReadOnlyList<string> PrivateSubnetIds { get; init; } = [];

    public string InstanceType { get; init; } = "t3.medium";

    public string? ImageId { get; init; }

    public int Capacity { get; init; } = 2;

    public int MaxCapacity { get; init; } = 4;

    public int ApplicationPort { get; init; } = 80;

    public string HealthCheckPath { get; init; } = "/health";

    public string? CertificateArn { get; init; }

    public string? ConnectionArn { get; init; }

    public string? Repository { get; init; }

    public string Branch { get; init; } = "main";

    public bool BakeInPipeline { get; init; } = true;

    public string? SlackWorkspaceId { get; init; }

    public string? SlackChannelId { get; init; }

    public string? TeamsTenantId { get; init; }

    public string? TeamsTeamId { get; init; }

    public string? TeamsChannelId { get; init; }

    public string ApprovedAmiTag { get; init; } = "Phoenix:baked";

    /// <summary>OWNER/NAME of the GitHub repository whose workflow may deploy; turns on the GitHub delivery stack.</summary>
    public string? GitHubRepository { get; init; }

    /// <summary>The only branch of <see cref="GitHubRepository"/> the deploy role trusts.</summary>
    public string GitHubBranch { get; init; } = "main";

    /// <summary>An account's existing GitHub OIDC provider (IAM allows one per URL); null creates one.</summary>
    public string? GitHubOidcProviderArn { get; init; }

    public bool DeliveryEnabled => ConnectionArn is not null;

    public bool GitHubDeliveryEnabled => GitHubRepository is not null;

    public static PhoenixSettings FromContext(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var defaults = new PhoenixSettings();
        var settings = new PhoenixSettings
        {
            LambdaAsset = Text(node, "phoenix:lambdaAsset") ?? defaults.LambdaAsset,
            Application = Text(node, "phoenix:application") ?? defaults.Application,
            Environment = Text(node, "phoenix:environment") ?? defaults.Environment,
            VpcId = Text(node, "phoenix:vpcId"),
            AvailabilityZones = List(node, "phoenix:availabilityZones"),
            PublicSubnetIds = List(node, "phoenix:publicSubnetIds"),
            PrivateSubnetIds = List(node, "phoenix:privateSubnetIds"),
            InstanceType = Text(node, "phoenix:instanceType") ?? defaults.InstanceType,
            ImageId = Text(node, "phoenix:imageId"),
            Capacity = Number(node, "phoenix:capacity") ?? defaults.Capacity,
            MaxCapacity = Number(node, "phoenix:maxCapacity") ?? defaults.MaxCapacity,
            ApplicationPort = Number(node, "phoenix:appPort") ?? defaults.ApplicationPort,
            HealthCheckPath = Text(node, "phoenix:healthCheckPath") ?? defaults.HealthCheckPath,
            CertificateArn = Text(node, "phoenix:certificateArn"),
            ConnectionArn = Text(node, "phoenix:connectionArn"),
            Repository = Text(node, "phoenix:repository"),
            Branch = Text(node, "phoenix:branch") ?? defaults.Branch,
            BakeInPipeline = Flag(node, "phoenix:bakeInPipeline") ?? defaults.BakeInPipeline,
            SlackWorkspaceId = Text(node, "phoenix:slackWorkspaceId"),
            SlackChannelId = Text(node, "phoenix:slackChannelId"),
            TeamsTenantId = Text(node, "phoenix:teamsTenantId"),
            TeamsTeamId = Text(node, "phoenix:teamsTeamId"),
            TeamsChannelId = Text(node, "phoenix:teamsChannelId"),
            ApprovedAmiTag = Text(node, "phoenix:approvedAmiTag") ?? defaults.ApprovedAmiTag,
            GitHubRepository = Text(node, "phoenix:githubRepository"),
            GitHubBranch = Text(node, "phoenix:githubBranch") ?? defaults.GitHubBranch,
            GitHubOidcProviderArn = Text(node, "phoenix:githubOidcProviderArn"),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the context key and the bad value.</summary>
    public void Validate()
    {
        if (VpcId is not null)
        {
            if (!VpcId.StartsWith("vpc-", StringComparison.Ordinal))
            {
                throw Bad("phoenix:vpcId", VpcId, "a VPC id such as vpc-0abc1234");
            }

            if (AvailabilityZones.Count == 0 || PublicSubnetIds.Count == 0 || PrivateSubnetIds.Count == 0)
            {
                throw new ArgumentException(
                    $"Context 'phoenix:vpcId' is '{VpcId}' but 'phoenix:availabilityZones', 'phoenix:publicSubnetIds' and 'phoenix:privateSubnetIds' " +
                    $"must all be given with it (got {AvailabilityZones.Count}, {PublicSubnetIds.Count} and {PrivateSubnetIds.Count} values).");
            }

            foreach (var (key, ids) in new[] { ("phoenix:publicSubnetIds", PublicSubnetIds), ("phoenix:privateSubnetIds", PrivateSubnetIds) })
            {
                if (ids.Count % AvailabilityZones.Count != 0)
                {
                    throw Bad(key, string.Join(',', ids), $"a multiple of the {AvailabilityZones.Count} availability zones in 'phoenix:availabilityZones'");
                }
            }
        }
        else if (AvailabilityZones.Count + PublicSubnetIds.Count + PrivateSubnetIds.Count > 0)
        {
            throw new ArgumentException("Context 'phoenix:availabilityZones', 'phoenix:publicSubnetIds' and 'phoenix:privateSubnetIds' need 'phoenix:vpcId'.");
        }

        if (ImageId is not null && !ImageId.StartsWith("ami-", StringComparison.Ordinal))
        {
            throw Bad("phoenix:imageId", ImageId, "an AMI id such as ami-0abc1234");
        }

        if (CertificateArn is not null && !CertificateArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            throw Bad("phoenix:certificateArn", CertificateArn, "an ACM certificate ARN");
        }

        if (ConnectionArn is not null)
        {
            if (!ConnectionArn.StartsWith("arn:", StringComparison.Ordinal) || !ConnectionArn.Contains(":connection/", StringComparison.Ordinal))
            {
                throw Bad("phoenix:connectionArn", ConnectionArn, "a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<id>)");
            }

            if (Repository is null || Repository.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
            {
                throw Bad("phoenix:repository", Repository ?? "(not set)", "owner/name of the repository the connection reads");
            }
        }

        if ((SlackWorkspaceId is null) != (SlackChannelId is null))
        {
            throw new ArgumentException(
                $"Context 'phoenix:slackWorkspaceId' ('{SlackWorkspaceId ?? "(not set)"}') and 'phoenix:slackChannelId' ('{SlackChannelId ?? "(not set)"}') go together.");
        }

        var teams = new[] { TeamsTenantId, TeamsTeamId, TeamsChannelId };
        if (teams.Any(t => t is null) && teams.Any(t => t is not null))
        {
            throw new ArgumentException(
                $"Context 'phoenix:teamsTenantId' ('{TeamsTenantId ?? "(not set)"}'), 'phoenix:teamsTeamId' ('{TeamsTeamId ?? "(not set)"}') " +
                $"and 'phoenix:teamsChannelId' ('{TeamsChannelId ?? "(not set)"}') go together.");
        }

        if (!ApprovedAmiTag.Contains(':', StringComparison.Ordinal))
        {
            throw Bad("phoenix:approvedAmiTag", ApprovedAmiTag, "tag-key:tag-value");
        }

        ValidateGitHub();
    }

    private void ValidateGitHub()
    {
        if (GitHubRepository is null)
        {
            if (GitHubOidcProviderArn is not null)
            {
                throw new ArgumentException($"Context 'phoenix:githubOidcProviderArn' ('{GitHubOidcProviderArn}') needs 'phoenix:githubRepository'.");
            }

            return;
        }

        // The role's trust policy compares the token's sub claim with StringEquals: a wildcard would be taken literally
        // (and trust nothing), and a name GitHub cannot have would trust nothing either, so both are refused here.
        if (!GitHubRepositoryPattern().IsMatch(GitHubRepository))
        {
            throw Bad("phoenix:githubRepository", GitHubRepository, "OWNER/NAME of a GitHub repository (letters, digits, '-', '_', '.'; no wildcards)");
        }

        if (!GitHubBranchPattern().IsMatch(GitHubBranch) || GitHubBranch.StartsWith("refs/", StringComparison.Ordinal) || GitHubBranch.Contains("..", StringComparison.Ordinal))
        {
            throw Bad("phoenix:githubBranch", GitHubBranch, "a branch name such as main or release/2026 (no refs/ prefix, wildcards or spaces)");
        }

        if (GitHubOidcProviderArn is not null && !GitHubProviderArnPattern().IsMatch(GitHubOidcProviderArn))
        {
            throw Bad("phoenix:githubOidcProviderArn", GitHubOidcProviderArn, "the ARN of GitHub's IAM OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex GitHubRepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._/-]{1,200}$")]
    private static partial Regex GitHubBranchPattern();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::\d{12}:oidc-provider/token\.actions\.githubusercontent\.com$")]
    private static partial Regex GitHubProviderArnPattern();

    /// <summary>The Lambda asset as an absolute path; fails with the build command when it has not been built.</summary>
    public string ResolveLambdaAsset()
    {
        var path = Path.IsPathRooted(LambdaAsset) ? LambdaAsset : Path.GetFullPath(Path.Combine(RepositoryRoot, LambdaAsset));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException(
                $"Lambda asset '{path}' (context 'phoenix:lambdaAsset') does not exist. Build it first: {LambdaBuildCommand}, " +
                "or pass -c phoenix:lambdaAsset=<zip or folder holding bootstrap>.");
        }

        return path;
    }

    public const string LambdaBuildCommand = "dotnet publish functions/Phoenix.Lambda -c Release -r linux-x64 (Native AOT; writes artifacts/lambda/bootstrap.zip)";

    /// <summary>Recorded at build time (Phoenix.Cdk.csproj) because cdk and the tests run from other folders.</summary>
    public static string RepositoryRoot =>
        typeof(PhoenixSettings).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "PhoenixRepositoryRoot")?.Value
        ?? throw new InvalidOperationException("Assembly metadata PhoenixRepositoryRoot is missing; build through Phoenix.Cdk.csproj.");

    private static ArgumentException Bad(string key, string value, string expected) =>
        new($"Context '{key}' is '{value}': expected {expected}.");

    private static string? Text(Node node, string key) => node.TryGetContext(key) switch
    {
        null => null,
        string s when s.Trim().Length == 0 => null,
        string s => s.Trim(),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    // -c gives strings, cdk.json gives JSON arrays; accept a comma-separated string for both.
    private static string[] List(Node node, string key) => node.TryGetContext(key) switch
    {
        null => [],
        string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        object[] items => items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? string.Empty).Where(i => i.Length > 0).ToArray(),
        var other => throw Bad(key, other.ToString() ?? string.Empty, "a list (JSON array or comma-separated)"),
    };

    private static int? Number(Node node, string key)
    {
        var text = Text(node, key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(key, text, "a whole number");
    }

    private static bool? Flag(Node node, string key)
    {
        var text = Text(node, key);
        if (text is null)
        {
            return null;
        }

        return bool.TryParse(text, out var value) ? value : throw Bad(key, text, "true or false");
    }
}
