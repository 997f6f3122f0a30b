using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
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
