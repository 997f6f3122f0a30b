using Amazon.CDK;

namespace Phoenix.Cdk.Tests;

public sealed class PhoenixSettingsTests
{
    private static PhoenixSettings From(params (string Key, object Value)[] context) =>
        PhoenixSettings.FromContext(new App(new AppProps { Context = context.ToDictionary(c => c.Key, c => c.Value) }).Node);

    [Fact]
    public void FromContext_Empty_DefaultsWithoutDelivery()
    {
        var settings = From();
        Assert.Equal("web", settings.Application);
        Assert.Equal(PhoenixSettings.DefaultLambdaAsset, settings.LambdaAsset);
        Assert.Null(settings.VpcId);
        Assert.False(settings.DeliveryEnabled);
        Assert.True(settings.BakeInPipeline);
    }

    [Fact]
    public void FromContext_ListsAsCommaSeparatedText_Split()
    {
        var settings = From(("phoenix:vpcId", "vpc-1"), ("phoenix:availabilityZones", "a, b"), ("phoenix:publicSubnetIds", "s1,s2"), ("phoenix:privateSubnetIds", "p1,p2,p3,p4"));
        Assert.Equal(["a", "b"], settings.AvailabilityZones);
        Assert.Equal(4, settings.PrivateSubnetIds.Count);
    }

    [Fact]
    public void FromContext_BadVpcId_ThrowsNamingKeyAndValue()
    {
        var error = Assert.Throws<ArgumentException>(() => From(("phoenix:vpcId", "my-vpc")));
        Assert.Contains("'phoenix:vpcId' is 'my-vpc'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_SubnetsNotPerZone_ThrowsNamingTheSubnets()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            From(("phoenix:vpcId", "vpc-1"), ("phoenix:availabilityZones", "a,b"), ("phoenix:publicSubnetIds", "s1,s2,s3"), ("phoenix:privateSubnetIds", "p1,p2")));
        Assert.Contains("'phoenix:publicSubnetIds' is 's1,s2,s3'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_ConnectionWithoutRepository_ThrowsNamingRepository()
    {
        var error = Assert.Throws<ArgumentException>(() => From(("phoenix:connectionArn", "arn:aws:codeconnections:us-east-1:1:connection/x")));
        Assert.Contains("'phoenix:repository' is '(not set)'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_SlackWorkspaceWithoutChannel_ThrowsShowingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => From(("phoenix:slackWorkspaceId", "T1")));
        Assert.Contains("'T1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("phoenix:slackChannelId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_CapacityNotANumber_ThrowsNamingTheValue()
    {
        var error = Assert.Throws<ArgumentException>(() => From(("phoenix:capacity", "two")));
        Assert.Contains("'phoenix:capacity' is 'two'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveLambdaAsset_NotBuilt_ThrowsNamingPathAndBuildCommand()
    {
        var missing = Path.Combine(Path.GetTempPath(), "phoenix-no-such-asset", "bootstrap.zip");
        var error = Assert.Throws<InvalidOperationException>(() => new PhoenixSettings { LambdaAsset = missing }.ResolveLambdaAsset());
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet publish functions/Phoenix.Lambda", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveLambdaAsset_Relative_TakenFromTheRepositoryRoot()
    {
        var path = new PhoenixSettings { LambdaAsset = "cdk/packer" }.ResolveLambdaAsset();
        Assert.Equal(Path.Combine(PhoenixSettings.RepositoryRoot, "cdk", "packer"), path.TrimEnd(Path.DirectorySeparatorChar));
    }

    [Fact]
    public void FromContext_GitHubRepository_EnablesGitHubDeliveryOnMainByDefault()
    {
        var settings = From(("phoenix:githubRepository", "acme/web"));
        Assert.True(settings.GitHubDeliveryEnabled);
        Assert.Equal("main", settings.GitHubBranch);
        Assert.Null(settings.GitHubOidcProviderArn);
        Assert.False(From().GitHubDeliveryEnabled);
    }

    [Theory]
    [InlineData("acme", "phoenix:githubRepository")]
    [InlineData("acme/*", "phoenix:githubRepository")]
    [InlineData("acme/web/extra", "phoenix:githubRepository")]
    [InlineData("acme/web app", "phoenix:githubRepository")]
    public void FromContext_BadGitHubRepository_ThrowsNamingKeyAndValue(string repository, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => From(("phoenix:githubRepository", repository)));
        Assert.Contains($"'{key}' is '{repository}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refs/heads/main")]
    [InlineData("feature/*")]
    [InlineData("main branch")]
    [InlineData("a..b")]
    public void FromContext_BadGitHubBranch_ThrowsNamingKeyAndValue(string branch)
    {
        var error = Assert.Throws<ArgumentException>(() => From(("phoenix:githubRepository", "acme/web"), ("phoenix:githubBranch", branch)));
        Assert.Contains($"'phoenix:githubBranch' is '{branch}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_ProviderArnOfAnotherIssuer_ThrowsNamingIt()
    {
        const string arn = "arn:aws:iam::123456789012:oidc-provider/gitlab.com";
        var error = Assert.Throws<ArgumentException>(() => From(("phoenix:githubRepository", "acme/web"), ("phoenix:githubOidcProviderArn", arn)));
        Assert.Contains($"'phoenix:githubOidcProviderArn' is '{arn}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromContext_ProviderArnWithoutRepository_ThrowsNamingBoth()
    {
        const string arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        var error = Assert.Throws<ArgumentException>(() => From(("phoenix:githubOidcProviderArn", arn)));
        Assert.Contains(arn, error.Message, StringComparison.Ordinal);
        Assert.Contains("phoenix:githubRepository", error.Message, StringComparison.Ordinal);
    }
}
