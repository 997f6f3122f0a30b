using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using static Phoenix.Cdk.Governance;

namespace Phoenix.Cdk;

/// <summary>What each handler may touch, by resource ARN or by the <see cref="Governance.ApplicationTag"/> tag.</summary>
public sealed record PermissionTargets(Stack Stack, string TableArn, string DeployTopicArn, string DriftTopicArn, string TopicKeyArn, string? BakeProjectArn);

/// <summary>
/// The least-privilege table: handler -> statements. Read-only Describe* calls cannot be scoped by IAM and are allowed
/// on every resource; every mutating call is scoped by ARN, by tag, or (where IAM offers neither) by region.
/// </summary>
public static class HandlerPermissions
{
    public static IReadOnlyList<PolicyStatement> For(string handler, PermissionTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var t = targets;
        return handler switch
        {
            // The fleet's shape (warm pool, mixed instances), listener rules that could not move, alarms already firing.
            // ... and whether the bake project's source can check out a commit (BakeSources).
            "Validate" => [Topology(t), ReadFleet(), ReadRules(), ReadAlarms(t), .. Bake(t, "codebuild:BatchGetProjects")],
            // Before taking a lock that expired in a dead execution's name, its cleanup runs (DeploymentCleanup), which
            // lists the application's ledger entries to see whether a later deployment has started since.
            "AcquireLock" =>
            [
                Table(t, ["APP#*"], "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"),
                Topology(t),
                .. CleanUpDeployment(t),
                ReadFleet(),
            ],
            // The last deployments' ledger entries are read to catch a listener describe that lags their ending.
            "ResolveFleet" => [Topology(t), ReadFleet(), ReadAlarms(t), Table(t, ["APP#*"], "dynamodb:Query")],
            "StartBake" => [Topology(t), .. Bake(t, "codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:BatchGetProjects")],
            // The baked image must exist and be available before the launch template points at it.
            "CheckBake" => [.. Bake(t, "codebuild:BatchGetBuilds"), Allow(["ec2:DescribeImages"], "*")],
            "UpdateLaunchTemplate" =>
            [
                Tagged(["ec2:CreateLaunchTemplateVersion"], [Arn(t, "ec2", "launch-template/*")]),
                .. SwitchLaunchTemplate(t),
                ReadFleet(),
            ],
            // The restore point goes in the ledger entry before the first change; leftover idle instances are terminated in-group.
            "ScaleUpGreen" =>
            [
                SizeGroups(t),
                ReadFleet(),
                Ledger(t),
                Tagged(["autoscaling:TerminateInstanceInAutoScalingGroup"], [Arn(t, "autoscaling", "autoScalingGroup:*:autoScalingGroupName/*", ArnFormat.COLON_RESOURCE_NAME)]),
            ],
            "ScaleDownPrevious" => [SizeGroups(t), ReadFleet(), Ledger(t)],
            // The deployed image goes in the colour's image parameter, which its launch template resolves at launch.
            "Finalize" => [SizeGroups(t), ReadFleet(), Ledger(t), Topology(t), Allow(["ssm:PutParameter"], Arn(t, "ssm", "parameter/phoenix/apps/*/image-id"))],
            // The green group's scaling activities say why launches fail (LaunchFailed).
            "CheckHealth" => [ReadFleet()],
            // SwapTraffic raises green's desired when the live group scaled out before the last step, moves the listener
            // rules with the default action, and marks the ledger's restore point before the first change.
            "SwapTraffic" => [.. ModifyListener(t), .. MoveRules(t), SizeGroups(t), ReadFleet(), Ledger(t)],
            "CheckAlarms" => [ReadAlarms(t)],
            // The current task token lives in the ledger entry, so the posted message can name the execution instead.
            "RequestApproval" => [.. Publish(t.DeployTopicArn, t), Ledger(t)],
            // After a failed rollback the alert names what is left, read from the fleet.
            "Notify" => [Topology(t), .. Publish(t.DeployTopicArn, t), ReadFleet()],
            "Rollback" => [.. ModifyListener(t), .. MoveRules(t), .. SwitchLaunchTemplate(t), ReadFleet(), Ledger(t)],
            // Ledger entry and lock item share the APP# key family.
            "RecordRollbackFailure" => [ReadFleet(), Ledger(t)],
            "ReleaseLock" => [Table(t, ["APP#*"], "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem")],
            // The stopped deployment's cleanup goes through the drift path: its dedupe mark, its alert, and the fleet work.
            Handlers.LockCleanup =>
            [
                Table(t, ["DRIFT#*", "APP#*"], "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"),
                .. Publish(t.DriftTopicArn, t),
                Topology(t),
                .. CleanUpDeployment(t),
                ReadFleet(),
            ],
            Handlers.DriftHandler =>
            [
                // Dedupe marks, the lock a replacement or a stopped deployment's cleanup takes or releases, and the ledger it closes.
                Table(t, ["DRIFT#*", "APP#*"], "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"),
                .. Publish(t.DriftTopicArn, t),
                // Topology and the per-application drift policy (/phoenix/apps/{application}/drift-policy).
                Topology(t),
                .. CleanUpDeployment(t),
                // Replacement: terminate-in-group (the group launches a fresh instance from its launch template).
                Tagged(["autoscaling:TerminateInstanceInAutoScalingGroup"], [Arn(t, "autoscaling", "autoScalingGroup:*:autoScalingGroupName/*", ArnFormat.COLON_RESOURCE_NAME)]),
                ReadFleet(),
            ],
            Handlers.ImmutableInstance =>
            [
                InRegion(t.Stack, "config:PutEvaluations"),
                Topology(t),
                ReadFleet(),
            ],
            _ => throw new ArgumentException($"No permissions are defined for handler '{handler}'.", nameof(handler)),
        };
    }

    // Cleanup of a stopped deployment (DeploymentCleanup): traffic back (listener and the rules that move with it), the idle
    // group to 0/0/0 and the previous one's MinSize back, and the scaling processes the deployment suspended resumed.
    private static PolicyStatement[] CleanUpDeployment(PermissionTargets t) =>
    [
        .. ModifyListener(t),
        .. MoveRules(t),
        Tagged(["autoscaling:UpdateAutoScalingGroup", "autoscaling:ResumeProcesses"],
            [Arn(t, "autoscaling", "autoScalingGroup:*:autoScalingGroupName/*", ArnFormat.COLON_RESOURCE_NAME)]),
    ];

    // Listener rules that forward only to the colours follow the default action (Listener.SetAsync): those of
    // BlueGreenFleet's load balancers (named phoenix-*), and those an adopted fleet's owner tagged (phoenix adopt tags them).
    private static PolicyStatement[] MoveRules(PermissionTargets t) =>
    [
        Allow(["elasticloadbalancing:ModifyRule"], Arn(t, "elasticloadbalancing", "listener-rule/app/phoenix-*/*")),
        Tagged(["elasticloadbalancing:ModifyRule"], [Arn(t, "elasticloadbalancing", "listener-rule/app/*/*")]),
        ReadRules(),
    ];

    // Without a bake project (no repository to build from) there is nothing to grant: deployments name their image.
    private static PolicyStatement[] Bake(PermissionTargets t, params string[] actions) =>
        t.BakeProjectArn is null ? [] : [Allow(actions, t.BakeProjectArn)];

    private static PolicyStatement ReadRules() => Allow(["elasticloadbalancing:DescribeRules"], "*");

    private static PolicyStatement ReadAlarms(PermissionTargets t) =>
        Allow(["cloudwatch:DescribeAlarms"], Arn(t, "cloudwatch", "alarm:*", ArnFormat.COLON_RESOURCE_NAME));

    private static PolicyStatement Ledger(PermissionTargets t) => Table(t, ["APP#*"], "dynamodb:GetItem", "dynamodb:PutItem");

    private static PolicyStatement Table(PermissionTargets t, string[] keyPrefixes, params string[] actions) => new(new PolicyStatementProps
    {
        Actions = actions,
        Resources = [t.TableArn],
        // Each handler reaches only its own item family (contracts.md key layout).
        Conditions = new Dictionary<string, object>
        {
            ["ForAllValues:StringLike"] = new Dictionary<string, object> { ["dynamodb:LeadingKeys"] = keyPrefixes },
        },
    });

    // The topology, the drift policy and the colours' images of every application live under /phoenix/apps/;
    // GetParameters is what DescribeLaunchTemplateVersions needs to resolve a template's resolve:ssm: image.
    private static PolicyStatement Topology(PermissionTargets t) =>
        Allow(["ssm:GetParameter", "ssm:GetParameters"], Arn(t, "ssm", "parameter/phoenix/apps/*"));

    private static PolicyStatement ReadFleet() => Allow(
        [
            "autoscaling:DescribeAutoScalingGroups", "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeTargetHealth", "ec2:DescribeInstances", "ec2:DescribeLaunchTemplateVersions",
            "ec2:DescribeImages", "autoscaling:DescribeScalingActivities",
        ],
        "*");

    private static PolicyStatement SizeGroups(PermissionTargets t) => Tagged(
        ["autoscaling:UpdateAutoScalingGroup", "autoscaling:SetDesiredCapacity", "autoscaling:SuspendProcesses", "autoscaling:ResumeProcesses"],
        [Arn(t, "autoscaling", "autoScalingGroup:*:autoScalingGroupName/*", ArnFormat.COLON_RESOURCE_NAME)]);

    // Pointing a group at another launch-template version is checked as if the caller launched from it (LeastPrivilege).
    private static PolicyStatement[] SwitchLaunchTemplate(PermissionTargets t) =>
    [
        SizeGroups(t),
        .. LeastPrivilege.LaunchFromPhoenixTemplates(t.Stack),
    ];

    // BlueGreenFleet names every load balancer phoenix-<application>; an adopted load balancer keeps its own name, so its
    // listener is reached by the PhoenixApplication tag phoenix adopt (and AdoptedFleet) puts on it. ModifyListener and
    // ModifyRule take aws:ResourceTag on the listener and listener-rule resource types (Service Authorization Reference,
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html).
    private static PolicyStatement[] ModifyListener(PermissionTargets t) =>
    [
        Allow(["elasticloadbalancing:ModifyListener"], Arn(t, "elasticloadbalancing", "listener/app/phoenix-*/*")),
        Tagged(["elasticloadbalancing:ModifyListener"], [Arn(t, "elasticloadbalancing", "listener/app/*/*")]),
    ];

    private static PolicyStatement[] Publish(string topicArn, PermissionTargets t) =>
    [
        Allow(["sns:Publish"], topicArn),
        Allow(["kms:GenerateDataKey", "kms:Decrypt"], t.TopicKeyArn),
    ];

    private static string Arn(PermissionTargets t, string service, string resource, ArnFormat format = ArnFormat.SLASH_RESOURCE_NAME)
    {
        var parts = format == ArnFormat.COLON_RESOURCE_NAME ? resource.Split(':', 2) : resource.Split('/', 2);
        return t.Stack.FormatArn(new ArnComponents
        {
            Service = service,
            Resource = parts[0],
            ResourceName = parts.Length > 1 ? parts[1] : null,
            ArnFormat = format,
        });
    }
}
