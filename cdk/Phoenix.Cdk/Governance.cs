using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Phoenix.Cdk.Fleet;
using Phoenix.Core.Domain;

namespace Phoenix.Cdk;

/// <summary>
/// Suppressions for the security gates (<see cref="Suppressions"/> writes them; the fleet library uses the same), shared
/// log groups and keys, and the statement shapes the stacks' policies are built from.
/// </summary>
public static class Governance
{
    /// <summary>The tag that marks a resource as Phoenix's (defined once: <see cref="FleetConventions.ApplicationTag"/>).</summary>
    public const string ApplicationTag = FleetConventions.ApplicationTag;

    /// <summary>Call once per resource with all of its suppressions (the metadata format: <see cref="Suppressions"/>).</summary>
    public static void SuppressNag(IConstruct construct, params (string Rule, string Reason)[] rules) => Suppressions.SuppressNag(construct, rules);

    /// <summary>Call once per resource with all of its suppressions.</summary>
    public static void SuppressGuard(IConstruct construct, params (string Rule, string Reason)[] rules) => Suppressions.SuppressGuard(construct, rules);

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
}
