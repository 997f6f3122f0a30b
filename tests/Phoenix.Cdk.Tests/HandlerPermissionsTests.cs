using Amazon.CDK;

namespace Phoenix.Cdk.Tests;

public sealed class HandlerPermissionsTests
{
    private static readonly PermissionTargets Targets =
        new(new Stack(new App(), "Permissions"), "arn:table", "arn:deploy-topic", "arn:drift-topic", "arn:key", "arn:project");

    [Fact]
    public void For_UnknownHandler_ThrowsNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => HandlerPermissions.For("Deploy", Targets));
        Assert.Contains("'Deploy'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AcquireLock", "APP#*")]
    [InlineData("ReleaseLock", "APP#*")]
    [InlineData("DriftHandler", "DRIFT#*")]
    public void For_TableHandlers_HeldToTheirKeyFamily(string handler, string prefix)
    {
        var table = HandlerPermissions.For(handler, Targets)
            .Where(s => s.Resources.Contains("arn:table"))
            .Select(s => (string)Targets.Stack.Resolve(Targets.Stack.ToJsonString(s.ToStatementJson())))
            .Single();
        Assert.Contains("dynamodb:LeadingKeys", table, StringComparison.Ordinal);
        Assert.Contains(prefix, table, StringComparison.Ordinal);
    }

    [Fact]
    public void For_CheckHealth_ReadsOnly()
    {
        var actions = HandlerPermissions.For("CheckHealth", Targets).SelectMany(s => s.Actions).ToList();
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Matches(@":(Describe|Get|List)", a));
    }
}
