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

    /// <summary>
    /// The AWS actions each step's code calls through its ports (read from functions/Phoenix.Core/Workflow/*Step.cs and the
    /// helpers they use: GreenHealth, ColourHealth, Listener, FleetRestore, LaunchFailures, DeploymentCleanup). A call
    /// added to a step without its grant fails here instead of with AccessDenied in a real account.
    /// </summary>
    [Theory]
    [InlineData("Validate", "ssm:GetParameter autoscaling:DescribeAutoScalingGroups elasticloadbalancing:DescribeListeners elasticloadbalancing:DescribeRules cloudwatch:DescribeAlarms codebuild:BatchGetProjects")]
    [InlineData("AcquireLock", "dynamodb:GetItem dynamodb:PutItem dynamodb:Query ssm:GetParameter elasticloadbalancing:DescribeListeners elasticloadbalancing:ModifyListener elasticloadbalancing:DescribeRules elasticloadbalancing:ModifyRule autoscaling:DescribeAutoScalingGroups autoscaling:UpdateAutoScalingGroup autoscaling:ResumeProcesses elasticloadbalancing:DescribeTargetHealth")]
    [InlineData("ResolveFleet", "ssm:GetParameter elasticloadbalancing:DescribeListeners autoscaling:DescribeAutoScalingGroups ec2:DescribeLaunchTemplateVersions ec2:DescribeImages cloudwatch:DescribeAlarms dynamodb:Query")]
    [InlineData("StartBake", "codebuild:BatchGetProjects codebuild:StartBuild")]
    [InlineData("CheckBake", "codebuild:BatchGetBuilds ec2:DescribeImages")]
    [InlineData("ScaleUpGreen", "autoscaling:DescribeAutoScalingGroups autoscaling:SuspendProcesses autoscaling:ResumeProcesses autoscaling:UpdateAutoScalingGroup autoscaling:TerminateInstanceInAutoScalingGroup dynamodb:GetItem dynamodb:PutItem")]
    [InlineData("CheckHealth", "autoscaling:DescribeAutoScalingGroups elasticloadbalancing:DescribeTargetHealth autoscaling:DescribeScalingActivities")]
    [InlineData("SwapTraffic", "autoscaling:DescribeAutoScalingGroups autoscaling:UpdateAutoScalingGroup elasticloadbalancing:DescribeTargetHealth elasticloadbalancing:DescribeListeners elasticloadbalancing:ModifyListener elasticloadbalancing:DescribeRules elasticloadbalancing:ModifyRule dynamodb:GetItem dynamodb:PutItem")]
    [InlineData("Rollback", "elasticloadbalancing:DescribeListeners elasticloadbalancing:ModifyListener elasticloadbalancing:DescribeRules elasticloadbalancing:ModifyRule autoscaling:DescribeAutoScalingGroups elasticloadbalancing:DescribeTargetHealth autoscaling:UpdateAutoScalingGroup autoscaling:ResumeProcesses dynamodb:GetItem dynamodb:PutItem")]
    [InlineData("RecordRollbackFailure", "autoscaling:DescribeAutoScalingGroups elasticloadbalancing:DescribeListeners dynamodb:GetItem dynamodb:PutItem")]
    [InlineData("ScaleDownPrevious", "autoscaling:UpdateAutoScalingGroup autoscaling:ResumeProcesses dynamodb:GetItem")]
    [InlineData("Finalize", "autoscaling:DescribeAutoScalingGroups autoscaling:UpdateAutoScalingGroup autoscaling:ResumeProcesses dynamodb:GetItem dynamodb:PutItem")]
    [InlineData("ReleaseLock", "dynamodb:GetItem dynamodb:PutItem dynamodb:DeleteItem")]
    public void For_EachStep_GrantsEveryActionItsCodeCalls(string handler, string calls)
    {
        var granted = HandlerPermissions.For(handler, Targets).SelectMany(s => s.Actions).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(string.Empty, string.Join(" ", calls.Split(' ').Where(a => !granted.Contains(a))));
    }

    /// <summary>
    /// An adopted load balancer keeps its own name, so the roles that move traffic reach its listener and rules by the
    /// PhoenixApplication tag phoenix adopt puts on them: listener/app/*/* and listener-rule/app/*/* only under that
    /// condition, and BlueGreenFleet's phoenix-* load balancers by name as before. Nothing else may ModifyListener/ModifyRule.
    /// </summary>
    [Theory]
    [InlineData("SwapTraffic")]
    [InlineData("Rollback")]
    [InlineData("AcquireLock")]
    [InlineData("LockCleanup")]
    [InlineData("DriftHandler")]
    public void For_TrafficMovers_ModifyListenersAndRulesByNameOrApplicationTagOnly(string handler)
    {
        var grants = HandlerPermissions.For(handler, Targets)
            .Where(s => s.Actions.Any(a => a is "elasticloadbalancing:ModifyListener" or "elasticloadbalancing:ModifyRule"))
            .Select(s => (Actions: string.Join(" ", s.Actions), Json: System.Text.Json.JsonSerializer.Serialize(Targets.Stack.Resolve(s.ToStatementJson()))))
            .Select(s => (s.Actions, Resource: Resource(s.Json), Tagged: s.Json.Contains("\"aws:ResourceTag/PhoenixApplication\":\"*\"", StringComparison.Ordinal), Conditioned: s.Json.Contains("\"Condition\"", StringComparison.Ordinal)))
            .OrderBy(s => s.Actions, StringComparer.Ordinal).ThenBy(s => s.Resource, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            [
                ("elasticloadbalancing:ModifyListener", "listener/app/*/*", true, true),
                ("elasticloadbalancing:ModifyListener", "listener/app/phoenix-*/*", false, false),
                ("elasticloadbalancing:ModifyRule", "listener-rule/app/*/*", true, true),
                ("elasticloadbalancing:ModifyRule", "listener-rule/app/phoenix-*/*", false, false),
            ],
            grants);

        // The ARN's partition, region and account are tokens; what follows ":listener" is the part that scopes.
        static string Resource(string json)
        {
            var start = json.IndexOf(":listener", StringComparison.Ordinal) + 1;
            return json[start..json.IndexOf('"', start)];
        }
    }
}
