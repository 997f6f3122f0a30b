using Amazon.CDK;

namespace Phoenix.Cdk.Tests;

/// <summary>Both consumers of the Step Functions status-change event run the stopped deployment's cleanup.</summary>
public sealed class CleanupPermissionsTests
{
    private static readonly PermissionTargets Targets =
        new(new Stack(new App(), "CleanupPermissions"), "arn:table", "arn:deploy-topic", "arn:drift-topic", "arn:key", "arn:project");

    [Theory]
    [InlineData("LockCleanup")]
    [InlineData("DriftHandler")]
    public void For_StatusChangeConsumers_MayPutTheFleetBack(string handler)
    {
        var actions = HandlerPermissions.For(handler, Targets).SelectMany(s => s.Actions).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:DescribeRules",
                "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTargetHealth",
                "autoscaling:UpdateAutoScalingGroup", "autoscaling:ResumeProcesses", "autoscaling:DescribeAutoScalingGroups",
                "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query", "ssm:GetParameter", "sns:Publish",
            },
            actions);
        Assert.DoesNotContain("autoscaling:SuspendProcesses", actions);
    }

    [Fact]
    public void For_LockCleanup_ReachesTheDriftDedupeMarksItClaims()
    {
        var table = HandlerPermissions.For("LockCleanup", Targets)
            .Where(s => s.Resources.Contains("arn:table"))
            .Select(s => (string)Targets.Stack.Resolve(Targets.Stack.ToJsonString(s.ToStatementJson())))
            .Single();

        Assert.Contains("DRIFT#*", table, StringComparison.Ordinal);
        Assert.Contains("APP#*", table, StringComparison.Ordinal);
    }
}
