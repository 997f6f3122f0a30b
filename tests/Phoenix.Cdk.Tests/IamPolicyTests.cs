using System.Text.Json.Nodes;
using Phoenix.Cdk.Tests.Support;

namespace Phoenix.Cdk.Tests;

/// <summary>
/// Identity policies (AWS::IAM::Policy, AWS::IAM::ManagedPolicy, roles' inline policies) of every stack: no wildcard in any
/// action, and a mutating action on every resource of a kind (<c>*</c>, or an ARN such as <c>instance/*</c> or
/// <c>role/*</c>) only with a condition that really holds it to Phoenix's resources. Which condition key scopes which
/// action is taken from AWS's Service Authorization Reference (the "Actions" tables of
/// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html, list_amazonec2autoscaling.html,
/// list_amazondynamodb.html, list_awsidentityandaccessmanagementiam.html, list_awselasticloadbalancingv2.html). A region condition holds nothing: it is what
/// every Phoenix resource and every other resource in the region have in common.
/// Resource policies (KMS key policies, queue and topic policies) are not identity policies and are left to the gates.
/// </summary>
[Collection(SynthesizedAppGroup.Name)]
public sealed class IamPolicyTests(SynthesizedApp app, AlternateApp alternate)
{
    private static readonly string[] ReadOnlyPrefixes = ["Describe", "Get", "List", "BatchGet"];

    // The tags Phoenix puts on what it owns: the fleet's groups, launch templates and instances, and the bake's build
    // instance, volumes, security group, key pair, images and snapshots.
    private static readonly string[] PhoenixTags = [Governance.ApplicationTag, LeastPrivilege.BakeTag];

    /// <summary>
    /// Actions for which the reference lists no resource type and no service condition key (only the global ones), so
    /// IAM cannot hold them to anything narrower than the account; each is granted only where the service needs it.
    /// </summary>
    private static readonly string[] Unscopable =
    [
        "config:PutEvaluations",
        "xray:PutTraceSegments", "xray:PutTelemetryRecords",
        "logs:CreateLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:PutResourcePolicy",
    ];

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
    public void Statements_MutatingActionsOnEveryResourceOfAKind_HeldByAScopingCondition()
    {
        var offenders = Statements()
            .Where(s => (string?)s.Statement["Effect"] == "Allow")
            .SelectMany(s => Json.Many(s.Statement["Action"]).Select(a => (s.Where, s.Statement, Action: (string)a!)))
            .Where(a => !ReadOnly(a.Action) && !Unscopable.Contains(a.Action))
            .Where(a => Resources(a.Statement).Any(r => EveryOfAKind(r) && !ReferencedOnly(a.Action, r)))
            .Where(a => !ScopedBy(a.Action, ConditionKeys(a.Statement)))
            .Select(a => $"{a.Where}: {a.Action} on {string.Join(", ", Resources(a.Statement))} held only by [{string.Join(", ", ConditionKeys(a.Statement))}]")
            .ToList();
        Assert.Empty(offenders);
    }

    /// <summary>The rule above must catch what the issue found: a region-held RunInstances, PassRole on role/*.</summary>
    [Theory]
    [InlineData("ec2:RunInstances", "*", "aws:RequestedRegion", false)]
    [InlineData("ec2:RunInstances", "*", "ec2:LaunchTemplate", true)]
    [InlineData("ec2:TerminateInstances", "arn:TOKEN:ec2:TOKEN:TOKEN:instance/*", "aws:RequestedRegion", false)]
    [InlineData("ec2:TerminateInstances", "arn:TOKEN:ec2:TOKEN:TOKEN:instance/*", "aws:ResourceTag/PhoenixBake", true)]
    [InlineData("iam:PassRole", "arn:TOKEN:iam::TOKEN:role/*", "iam:PassedToService", false)]
    [InlineData("ec2:CreateTags", "*", "ec2:CreateAction", true)]
    [InlineData("autoscaling:UpdateAutoScalingGroup", "arn:TOKEN:autoscaling:TOKEN:TOKEN:autoScalingGroup:*:autoScalingGroupName/*", "aws:ResourceTag/PhoenixApplication", true)]
    [InlineData("autoscaling:UpdateAutoScalingGroup", "arn:TOKEN:autoscaling:TOKEN:TOKEN:autoScalingGroup:*:autoScalingGroupName/*", "aws:ResourceTag/Other", false)]
    [InlineData("ec2:ModifyImageAttribute", "*", "aws:ResourceTag/PhoenixBake", true)]
    [InlineData("elasticloadbalancing:ModifyListener", "arn:TOKEN:elasticloadbalancing:TOKEN:TOKEN:listener/app/*/*", "aws:ResourceTag/PhoenixApplication", true)]
    [InlineData("elasticloadbalancing:ModifyRule", "arn:TOKEN:elasticloadbalancing:TOKEN:TOKEN:listener-rule/app/*/*", "aws:ResourceTag/PhoenixApplication", true)]
    [InlineData("elasticloadbalancing:ModifyListener", "arn:TOKEN:elasticloadbalancing:TOKEN:TOKEN:listener/app/*/*", "aws:RequestedRegion", false)]
    [InlineData("elasticloadbalancing:DeleteListener", "arn:TOKEN:elasticloadbalancing:TOKEN:TOKEN:listener/app/*/*", "aws:ResourceTag/PhoenixApplication", false)]
    public void ScopedBy_KnownCases_AsTheReferenceDefines(string action, string resource, string key, bool scoped)
    {
        Assert.True(EveryOfAKind(resource));
        Assert.Equal(scoped, ScopedBy(action, [key]));
    }

    [Theory]
    [InlineData("arn:TOKEN:elasticloadbalancing:TOKEN:TOKEN:listener/app/phoenix-*/*", false)]
    [InlineData("arn:TOKEN:elasticloadbalancing:TOKEN:TOKEN:listener/app/*/*", true)]
    [InlineData("arn:TOKEN:elasticloadbalancing:TOKEN:TOKEN:listener-rule/app/*/*", true)]
    [InlineData("arn:TOKEN:ssm:TOKEN:TOKEN:parameter/phoenix/apps/*", false)]
    [InlineData("arn:TOKEN:iam::TOKEN:role/phoenix/instances/*", false)]
    [InlineData("TOKEN", false)]
    [InlineData("arn:TOKEN:ec2:TOKEN:TOKEN:launch-template/*", true)]
    [InlineData("arn:TOKEN:ec2:TOKEN::image/*", true)]
    public void EveryOfAKind_Resources_WildcardOnlyWhereNothingIsNamed(string resource, bool every) =>
        Assert.Equal(every, EveryOfAKind(resource));

    /// <summary>
    /// iam:PassRole only for the fleets' instance roles (their IAM path) and only to EC2: a handler that may pass any role
    /// to any service can hand itself an administrator's role through a launch template.
    /// </summary>
    [Fact]
    public void PassRole_AllStacks_OnlyFleetInstanceRolesToEc2()
    {
        var passRole = Statements().Where(s => Json.Many(s.Statement["Action"]).Any(a => (string?)a == "iam:PassRole")).ToList();

        Assert.NotEmpty(passRole);
        Assert.All(passRole, s =>
        {
            // A role named by reference (the VPC flow logs' own role) is one role; a pattern must be the instance-role path.
            var patterns = Resources(s.Statement).Where(r => r.Contains('*', StringComparison.Ordinal)).ToList();
            Assert.All(patterns, r => Assert.EndsWith(":role" + LeastPrivilege.InstanceRolePath + "*", r, StringComparison.Ordinal));
            if (patterns.Count > 0)
            {
                Assert.Equal("ec2.amazonaws.com", (string?)s.Statement["Condition"]!["StringEquals"]!["iam:PassedToService"]);
            }
        });
        Assert.Contains(passRole, s => Resources(s.Statement).Any(r => r.EndsWith(LeastPrivilege.InstanceRolePath + "*", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The handlers launch only from launch templates carrying the application tag (the Deny above), so every fleet's
    /// templates must carry it on the launch-template resource itself, not only on the instances they launch.
    /// </summary>
    [Fact]
    public void LaunchTemplates_AllApps_CarryTheApplicationTag()
    {
        foreach (var synthesized in new[] { app, (SynthesizedApp)alternate })
        {
            var templates = Json.Resources(synthesized.JsonOf(synthesized.Stacks.Fleet), "AWS::EC2::LaunchTemplate").ToList();
            Assert.Equal(2, templates.Count);
            Assert.All(templates, t =>
            {
                var own = Json.Many(t.Resource["Properties"]!["TagSpecifications"]).Single(s => (string?)s["ResourceType"] == "launch-template");
                Assert.Contains(Json.Many(own["Tags"]), tag => (string?)tag["Key"] == Governance.ApplicationTag);
            });
        }
    }

    /// <summary>Every fleet instance role sits on the path PassRole is held to (else a switch of launch template is refused).</summary>
    [Fact]
    public void InstanceRoles_AllApps_OnThePassablePath()
    {
        foreach (var synthesized in new[] { app, (SynthesizedApp)alternate })
        {
            var roles = Json.Resources(synthesized.JsonOf(synthesized.Stacks.Fleet), "AWS::IAM::Role")
                .Where(r => r.Resource["Properties"]!["AssumeRolePolicyDocument"]!.ToJsonString().Contains("ec2.amazonaws.com", StringComparison.Ordinal))
                .ToList();
            Assert.Single(roles);
            Assert.Equal(LeastPrivilege.InstanceRolePath, (string?)roles[0].Resource["Properties"]!["Path"]);
        }
    }

    /// <summary>
    /// A RunInstances held by ec2:LaunchTemplate alone would accept any launch template in the account; the same role
    /// must deny the launch-template resource when it does not carry Phoenix's application tag.
    /// </summary>
    [Fact]
    public void RunInstances_HeldByLaunchTemplate_UntaggedTemplatesDenied()
    {
        foreach (var (where, statements) in Documents())
        {
            var byTemplate = statements.Where(s => (string?)s["Effect"] == "Allow"
                && Json.Many(s["Action"]).Any(a => (string?)a == "ec2:RunInstances")
                && ConditionKeys(s).Contains("ec2:LaunchTemplate")).ToList();
            if (byTemplate.Count == 0)
            {
                continue;
            }

            var deny = statements.Where(s => (string?)s["Effect"] == "Deny" && Json.Many(s["Action"]).Any(a => (string?)a == "ec2:RunInstances")).ToList();
            Assert.True(deny.Count == 1, $"{where}: RunInstances by launch template without a Deny on untagged templates");
            Assert.EndsWith(":launch-template/*", Resources(deny[0]).Single(), StringComparison.Ordinal);
            Assert.Equal("true", (string?)deny[0]["Condition"]!["Null"]!["aws:ResourceTag/" + Governance.ApplicationTag]);
        }
    }

    /// <summary>No role may share an image or a snapshot (launchPermission / createVolumePermission to others).</summary>
    [Fact]
    public void Statements_AllStacks_NoImageOrSnapshotSharing()
    {
        var sharing = Statements()
            .Where(s => (string?)s.Statement["Effect"] == "Allow")
            .SelectMany(s => Json.Many(s.Statement["Action"]).Select(a => $"{s.Where}: {(string?)a}"))
            .Where(a => a.EndsWith(":ModifyImageAttribute", StringComparison.Ordinal) || a.EndsWith(":ModifySnapshotAttribute", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(sharing);
    }

    [Fact]
    public void Roles_AllStacks_OnlyTheInstanceRoleHasAManagedPolicy()
    {
        var withManaged = new[] { app, (SynthesizedApp)alternate }
            .SelectMany(a => a.AllStacks.SelectMany(s => Json.Resources(a.JsonOf(s), "AWS::IAM::Role").Select(r => (Stack: s.StackName, r.LogicalId, r.Resource))))
            .Where(r => r.Resource["Properties"]!["ManagedPolicyArns"] is JsonArray { Count: > 0 })
            .Select(r => (r.Stack, r.LogicalId, Policies: r.Resource["Properties"]!["ManagedPolicyArns"]!.ToJsonString()))
            .ToList();
        // Besides the instance roles, the role of CDK's AwsCustomResource provider (the fleet's image parameters), which
        // holds log writing only.
        static bool IsProvider(string logicalId) => logicalId.StartsWith("AWS679f53fac002430cb0da5b7982bd2287ServiceRole", StringComparison.Ordinal);
        var provider = withManaged.Where(r => IsProvider(r.LogicalId)).ToList();
        Assert.Equal(2, provider.Count);
        Assert.All(provider, r => Assert.Equal("PhoenixFleet", r.Stack));
        Assert.All(provider, r => Assert.EndsWith(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\"]]}]", r.Policies, StringComparison.Ordinal));
        // The fleet's instance roles, and the bake's build instance role (Packer reaches it through Session Manager).
        var instance = withManaged.Where(r => !IsProvider(r.LogicalId)).ToList();
        Assert.Equal(4, instance.Count);
        Assert.All(instance, r =>
        {
            Assert.True(r.Stack == "PhoenixFleet" && r.LogicalId.StartsWith("FleetInstanceRole", StringComparison.Ordinal)
                || r.Stack == "PhoenixPipeline" && r.LogicalId.StartsWith("BakeInstanceRole", StringComparison.Ordinal), $"{r.Stack}/{r.LogicalId}");
            Assert.Contains("AmazonSSMManagedInstanceCore", r.Policies, StringComparison.Ordinal);
        });
    }

    private static bool ReadOnly(string action) =>
        ReadOnlyPrefixes.Any(p => action.Split(':')[1].StartsWith(p, StringComparison.Ordinal));

    private static List<string> Resources(JsonObject statement) =>
        Json.Many(statement["Resource"]).Select(r => Json.Flatten(r)).ToList();

    private static List<string> ConditionKeys(JsonObject statement) =>
        statement["Condition"] is JsonObject condition
            ? condition.SelectMany(c => c.Value!.AsObject().Select(k => k.Key)).ToList()
            : [];

    /// <summary>
    /// <c>*</c>, or an ARN that names no resource: after the resource type only wildcards (and Auto Scaling's fixed
    /// <c>autoScalingGroupName</c> segment). <c>listener/app/phoenix-*/*</c> or <c>role/phoenix/instances/*</c> name some.
    /// </summary>
    private static bool EveryOfAKind(string resource)
    {
        if (resource == "*")
        {
            return true;
        }

        var parts = resource.Split(':', 6);
        if (parts.Length < 6 || parts[0] != "arn")
        {
            return false;
        }

        // ELBv2's load balancer type (app, net, gwy) is part of the kind: listener/app/*/* is every ALB listener.
        var segments = parts[5].Split(':', '/');
        var kind = parts[2] == "elasticloadbalancing" && segments.Length > 1 && segments[1] is "app" or "net" or "gwy" ? 2 : 1;
        return segments.Length > kind && segments.Skip(kind).All(s => s is "*" or "autoScalingGroupName");
    }

    /// <summary>
    /// Kinds an action authorizes without acting on them as its subject. RunInstances authorizes every resource of the
    /// launch, but what it launches is the instance (and its volumes): the subnet, security group, key pair, network
    /// interface, source image and snapshot are launched from, placed in or attached to, so a statement on those kinds
    /// alone launches nothing; the statement on the instance is the one that must be held. CreateSecurityGroup references
    /// its VPC; CreateImage authorizes the image and snapshots it creates, while the instance it images must be held.
    /// </summary>
    private static readonly Dictionary<string, string[]> Referenced = new(StringComparer.Ordinal)
    {
        ["ec2:RunInstances"] = ["subnet", "security-group", "key-pair", "network-interface", "snapshot", "image"],
        ["ec2:CreateSecurityGroup"] = ["vpc"],
        ["ec2:CreateImage"] = ["image", "snapshot"],
    };

    private static bool ReferencedOnly(string action, string resource) =>
        resource != "*"
        && Referenced.TryGetValue(action, out var kinds)
        && kinds.Any(kind => resource.EndsWith($":{kind}/*", StringComparison.Ordinal));

    /// <summary>Whether one of the statement's condition keys holds this action to Phoenix's resources.</summary>
    private static bool ScopedBy(string action, IReadOnlyCollection<string> keys)
    {
        var service = action.Split(':')[0];
        var name = action.Split(':')[1];
        return keys.Any(key =>
            // Tags on the resource acted on: EC2 and Auto Scaling support aws:ResourceTag on their resource-level actions.
            (service is "ec2" or "autoscaling" && PhoenixTags.Any(t => key == "aws:ResourceTag/" + t))
            // ELBv2 lists aws:ResourceTag for its listener and listener-rule resources on ModifyListener/ModifyRule.
            || (action is "elasticloadbalancing:ModifyListener" or "elasticloadbalancing:ModifyRule" && key == "aws:ResourceTag/" + Governance.ApplicationTag)
            // Tags in the request: only actions that create (RunInstances, Create*, CopyImage, RegisterImage) carry them.
            || (service == "ec2" && (name is "RunInstances" or "CopyImage" or "RegisterImage" || name.StartsWith("Create", StringComparison.Ordinal))
                && PhoenixTags.Any(t => key == "aws:RequestTag/" + t))
            // Tagging only as part of a create call (ec2:CreateAction), never of an existing resource.
            || (action == "ec2:CreateTags" && key == "ec2:CreateAction")
            // Launching only from a launch template (with untagged templates denied: RunInstances_HeldByLaunchTemplate...).
            || (action == "ec2:RunInstances" && key == "ec2:LaunchTemplate")
            // Items by partition key.
            || (service == "dynamodb" && key == "dynamodb:LeadingKeys")
            // Session Manager: sessions only to instances carrying a Phoenix tag; ended only by their starter.
            || (action == "ssm:StartSession" && PhoenixTags.Any(t => key == "aws:ResourceTag/" + t))
            || (action == "ssm:TerminateSession" && key == "ssm:resourceTag/aws:ssmmessages:session-id"));
    }

    private IEnumerable<(string Where, JsonObject Statement)> Statements() =>
        Documents().SelectMany(d => d.Statements.Select(s => (d.Where, s)));

    private IEnumerable<(string Where, List<JsonObject> Statements)> Documents()
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
                    yield return (where, Json.Many(document["Statement"]).Select(s => s.AsObject()).ToList());
                }
            }
        }
    }
}
