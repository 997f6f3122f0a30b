using Amazon.CDK;
using Constructs;

namespace Phoenix.Cdk.Fleet;

/// <summary>
/// Suppressions for the security gates, written as the CloudFormation metadata the gates read: cdk-nag's
/// <c>cdk_nag.rules_to_suppress</c> and cfn-guard's <c>guard.SuppressedRules</c>. Every suppression carries a reason;
/// guard has no reason field, so its reasons are kept beside it under <c>phoenix_guard_reasons</c> (checked by a test).
/// </summary>
public static class Suppressions
{
    /// <summary>Call once per resource with all of its suppressions.</summary>
    public static void SuppressNag(IConstruct construct, params (string Rule, string Reason)[] rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Resource(construct).AddMetadata("cdk_nag", new Dictionary<string, object>
        {
            ["rules_to_suppress"] = rules.Select(r => new Dictionary<string, object> { ["id"] = r.Rule, ["reason"] = r.Reason }).ToArray(),
        });
    }

    /// <summary>Call once per resource with all of its suppressions.</summary>
    public static void SuppressGuard(IConstruct construct, params (string Rule, string Reason)[] rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var resource = Resource(construct);
        resource.AddMetadata("guard", new Dictionary<string, object> { ["SuppressedRules"] = rules.Select(r => r.Rule).ToArray() });
        resource.AddMetadata("phoenix_guard_reasons", rules.ToDictionary(r => r.Rule, r => (object)r.Reason));
    }

    private static CfnResource Resource(IConstruct construct)
    {
        ArgumentNullException.ThrowIfNull(construct);
        return construct as CfnResource
            ?? construct.Node.DefaultChild as CfnResource
            ?? throw new ArgumentException($"'{construct.Node.Path}' has no CloudFormation resource to annotate.", nameof(construct));
    }
}
