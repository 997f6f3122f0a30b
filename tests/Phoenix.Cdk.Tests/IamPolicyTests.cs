using System.Text.Json.Nodes;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// Identity policies (AWS::IAM::Policy, AWS::IAM::ManagedPolicy, roles' inline policies) of every stack: no wildcard
/// in any action, and a bare <c>*</c> resource only for read-only actions unless a condition holds the statement.
/// Resource policies (KMS key policies, queue and topic policies) are not identity policies and are left to the gates.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class IamPolicyTests(SynthesizedApp app, AlternateApp alternate)
{
    private static readonly string[] ReadOnlyPrefixes = ["Describe", "Get", "List", "BatchGet"];

    [Fact]
    public void Statements_AllStacks_NoWildcardActions()
    {
        var offenders = Statements()
            .SelectMany(s => Json.Many(s.Statement["Action"]).Select(a => (s.Where, Action: (string)a!)))
            .Where(a => a.Action.Contains('*', StringComparison.Ordinal))
            .Select(a => $"{a.Where}: {a.Action}")
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Statements_MutatingActionsOnEveryResource_CarryACondition()
    {
        var offenders = Statements()
            .Where(s => (string?)s.Statement["Effect"] == "Allow")
            .Where(s => Json.Many(s.Statement["Resource"]).Any(r => r is JsonValue v && v.GetValue<string>() == "*"))
            .Where(s => s.Statement["Condition"] is null)
            .SelectMany(s => Json.Many(s.Statement["Action"]).Select(a => (s.Where, Action: (string)a!)))
            .Where(a => !ReadOnlyPrefixes.Any(p => a.Action.Split(':')[1].StartsWith(p, StringComparison.Ordinal)))
            .Select(a => $"{a.Where}: {a.Action}")
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Roles_AllStacks_OnlyTheInstanceRoleHasAManagedPolicy()
    {
        var withManaged = new[] { app, (SynthesizedApp)alternate }
            .SelectMany(a => a.AllStacks.SelectMany(s => Json.Resources(a.JsonOf(s), "AWS::IAM::Role").Select(r => (Stack: s.StackName, r.LogicalId, r.Resource))))
            .Where(r => r.Resource["Properties"]!["ManagedPolicyArns"] is JsonArray { Count: > 0 })
            .Select(r => (r.Stack, r.LogicalId, Policies: r.Resource["Properties"]!["ManagedPolicyArns"]!.ToJsonString()))
            .ToList();
        // Besides the instance role, the role of CDK's AwsCustomResource provider (the fleet's image parameters), which
        // holds log writing only.
        static bool IsProvider(string logicalId) => logicalId.StartsWith("AWS679f53fac002430cb0da5b7982bd2287ServiceRole", StringComparison.Ordinal);
        var provider = withManaged.Where(r => IsProvider(r.LogicalId)).ToList();
        Assert.Equal(2, provider.Count);
        Assert.All(provider, r => Assert.Equal("PhoenixFleet", r.Stack));
        Assert.All(provider, r => Assert.EndsWith(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\"]]}]", r.Policies, StringComparison.Ordinal));
        var instance = withManaged.Where(r => !IsProvider(r.LogicalId)).ToList();
        Assert.Equal(2, instance.Count);
        Assert.All(instance, r =>
        {
            Assert.Equal("PhoenixFleet", r.Stack);
            Assert.StartsWith("FleetInstanceRole", r.LogicalId, StringComparison.Ordinal);
            Assert.Contains("AmazonSSMManagedInstanceCore", r.Policies, StringComparison.Ordinal);
        });
    }

    private IEnumerable<(string Where, JsonObject Statement)> Statements()
    {
        foreach (var synthesized in new[] { app, (SynthesizedApp)alternate })
        {
            foreach (var stack in synthesized.AllStacks)
            {
                var template = synthesized.JsonOf(stack);
                var documents = Json.Resources(template, "AWS::IAM::Policy")
                    .Concat(Json.Resources(template, "AWS::IAM::ManagedPolicy"))
                    .Select(p => (Where: $"{stack.StackName}/{p.LogicalId}", Document: p.Resource["Properties"]!["PolicyDocument"]!))
                    .Concat(Json.Resources(template, "AWS::IAM::Role").SelectMany(r =>
                        Json.Many(r.Resource["Properties"]!["Policies"]).Select(p => (Where: $"{stack.StackName}/{r.LogicalId}", Document: p["PolicyDocument"]!))));
                foreach (var (where, document) in documents)
                {
                    foreach (var statement in Json.Many(document["Statement"]))
                    {
                        yield return (where, statement.AsObject());
                    }
                }
            }
        }
    }
}
