using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace Phoenix.Cdk;

/// <summary>
/// Suppressions for the security gates, written as the CloudFormation metadata the gates read: cdk-nag's
/// <c>cdk_nag.rules_to_suppress</c> and cfn-guard's <c>guard.SuppressedRules</c>. Every suppression carries a reason;
/// guard has no reason field, so its reasons are kept beside it under <c>phoenix_guard_reasons</c> (checked by a test).
/// </summary>
public static class Governance
{
    public const string ApplicationTag = "PhoenixApplication";

    /// <summary>Call once per resource with all of its suppressions.</summary>
    public static void SuppressNag(IConstruct construct, params (string Rule, string Reason)[] rules)
    {
        var resource = Resource(construct);
        resource.AddMetadata("cdk_nag", new Dictionary<string, object>
        {
            ["rules_to_suppress"] = rules.Select(r => new Dictionary<string, object> { ["id"] = r.Rule, ["reason"] = r.Reason }).ToArray(),
        });
    }

    /// <summary>Call once per resource with all of its suppressions.</summary>
    public static void SuppressGuard(IConstruct construct, params (string Rule, string Reason)[] rules)
    {
        var resource = Resource(construct);
        resource.AddMetadata("guard", new Dictionary<string, object> { ["SuppressedRules"] = rules.Select(r => r.Rule).ToArray() });
        resource.AddMetadata("phoenix_guard_reasons", rules.ToDictionary(r => r.Rule, r => (object)r.Reason));
    }

    /// <summary>
    /// A log group kept a year and encrypted with the stack's log key (Control Tower CT.CLOUDWATCH.PR.2 and PR.3).
    /// </summary>
    public static LogGroup EncryptedLogGroup(Construct scope, string id, string? logGroupName = null)
    {
        var logs = new LogGroup(scope, id, new Amazon.CDK.AWS.Logs.LogGroupProps
        {
            LogGroupName = logGroupName,
            Retention = RetentionDays.ONE_YEAR,
            EncryptionKey = LogsKey(Stack.Of(scope)),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        return logs;
    }

    /// <summary>One key per stack for its log groups; CloudWatch Logs may use it only for this account's log groups.</summary>
    public static Key LogsKey(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (stack.Node.TryFindChild("LogsKey") is Key existing)
        {
            return existing;
        }

        var key = new Key(stack, "LogsKey", new KeyProps
        {
            EnableKeyRotation = true,
            Description = $"{stack.StackName} CloudWatch log groups",
        });
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Principals = [new ServicePrincipal($"logs.{stack.Region}.amazonaws.com")],
            Actions = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:aws:logs:arn"] = stack.FormatArn(new ArnComponents
                    {
                        Service = "logs",
                        Resource = "log-group",
                        ResourceName = "*",
                        ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
                    }),
                },
            },
        }));
        LimitKeyGrants(key);
        return key;
    }

    /// <summary>
    /// Grants on a key may only be created for AWS resources or by AWS services (Control Tower CT.KMS.PR.3): CDK's
    /// default policy lets the account root do anything, including kms:CreateGrant for anyone.
    /// </summary>
    public static void LimitKeyGrants(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["kms:CreateGrant"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["BoolIfExists"] = new Dictionary<string, object>
                {
                    ["kms:GrantIsForAWSResource"] = "false",
                    ["aws:PrincipalIsAWSService"] = "false",
                },
            },
        }));
    }

    /// <summary>Scopes a statement to resources Phoenix manages: those tagged with <see cref="ApplicationTag"/>.</summary>
    public static PolicyStatement Tagged(string[] actions, string[] resources) => new(new PolicyStatementProps
    {
        Actions = actions,
        Resources = resources,
        Conditions = new Dictionary<string, object>
        {
            ["StringLike"] = new Dictionary<string, object> { ["aws:ResourceTag/" + ApplicationTag] = "*" },
        },
    });

    /// <summary>
    /// For actions IAM cannot scope to a resource (X-Ray segments, log delivery, Config evaluations, EC2 Describe*),
    /// the statement is held to this stack's region.
    /// </summary>
    public static PolicyStatement InRegion(Stack stack, params string[] actions) => new(new PolicyStatementProps
    {
        Actions = actions,
        Resources = ["*"],
        Conditions = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:RequestedRegion"] = stack.Region },
        },
    });

    public static PolicyStatement Allow(string[] actions, params string[] resources) => new(new PolicyStatementProps
    {
        Actions = actions,
        Resources = resources,
    });

    private static CfnResource Resource(IConstruct construct) => construct as CfnResource
        ?? construct.Node.DefaultChild as CfnResource
        ?? throw new ArgumentException($"'{construct.Node.Path}' has no CloudFormation resource to annotate.", nameof(construct));
}
