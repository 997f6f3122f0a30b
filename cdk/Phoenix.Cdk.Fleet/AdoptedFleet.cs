using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SSM;
using Amazon.CDK.CustomResources;
using Constructs;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;
using static Phoenix.Cdk.Fleet.Suppressions;
using GroupHealthCheck = Amazon.CDK.AWS.AutoScaling.HealthCheck;
using TargetHealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;

namespace Phoenix.Cdk.Fleet;

/// <summary>
/// An existing fleet to put under Phoenix from CDK, as <c>phoenix adopt</c> does from the command line: one Auto Scaling
/// group (it becomes blue) behind an Application Load Balancer listener whose default action is a plain forward to the
/// group's target group. A synth cannot describe them offline, so what the twin copies is given here: give the existing
/// group's and target group's values. The deployment fails, naming the resource, when one of them does not exist.
/// </summary>
public sealed record AdoptedFleetProps
{
    /// <summary>Lower-case letters, digits and dashes, at most 24 characters; unique in the account and region.</summary>
    public required string ApplicationName { get; init; }

    /// <summary>The existing target group's VPC (the twin target group is created in it).</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The existing group; it keeps running untouched and becomes blue.</summary>
    public required string AutoScalingGroupName { get; init; }

    /// <summary>The existing group's target group, the one the listener's default action forwards to.</summary>
    public required string TargetGroupArn { get; init; }

    /// <summary>An Application Load Balancer listener (only an ALB's forward splits traffic by weight).</summary>
    public required string ListenerArn { get; init; }

    /// <summary>The existing group's launch template; the idle twin launches from the same one.</summary>
    public required string LaunchTemplateId { get; init; }

    /// <summary>
    /// The existing group's launch template version, as a number: CloudFormation takes no <c>$Default</c> or
    /// <c>$Latest</c> for an Auto Scaling group. Deployments build each new version from the template's default, so
    /// this should be the default version.
    /// </summary>
    public required string LaunchTemplateVersion { get; init; }

    /// <summary>The existing group's subnets (its VPCZoneIdentifier). Default: the VPC's private subnets with egress.</summary>
    public SubnetSelection? Subnets { get; init; }

    /// <summary>The existing target group's protocol and port.</summary>
    public ApplicationProtocol TargetGroupProtocol { get; init; } = ApplicationProtocol.HTTP;

    public int ApplicationPort { get; init; } = 80;

    /// <summary>The existing target group's protocol version (HTTP1, HTTP2 or GRPC). Default: HTTP1, ELBv2's.</summary>
    public ApplicationProtocolVersion? TargetGroupProtocolVersion { get; init; }

    /// <summary>The existing target group's health check. Default: ELBv2's defaults (path /, every 30 s, codes 200).</summary>
    public TargetHealthCheck? HealthCheck { get; init; }

    /// <summary>The existing group's health check type and grace period. Default: ELB with 5 minutes, as BlueGreenFleet's groups.</summary>
    public GroupHealthCheck? GroupHealthCheck { get; init; }

    /// <summary>Instances a deployment gives green when neither the request nor the live group says (the topology's defaultCapacity).</summary>
    public int DefaultCapacity { get; init; } = 2;

    /// <summary>The share of a colour instance maintenance keeps in service (the topology's minHealthyPercentage).</summary>
    public int MinHealthyPercentage { get; init; } = 90;

    /// <summary>Alarms the workflow's CheckAlarms step watches during deployments.</summary>
    public IReadOnlyList<string> AlarmNames { get; init; } = [];

    public string? BakeProjectName { get; init; }

    public string? DeploymentTopicArn { get; init; }

    /// <summary>Where the topology goes; the workflow's PHOENIX_TOPOLOGY_PREFIX must match.</summary>
    public string TopologyParameterPrefix { get; init; } = FleetConventions.ParameterPrefix;
}

/// <summary>
/// Brings an existing group and listener under Phoenix, changing no running instance and no traffic: creates the idle
/// twin (a group <c>phoenix-APP-green</c> from the same launch template version at min = max = 0, and a target group with
/// the same protocol, port and health check), tags the existing group as blue and its launch template and listener as the
/// application's, turns the listener's default action into a weighted forward blue 100 / green 0, and writes the topology
/// last (as <see cref="FleetAdoption"/> does). From then on Phoenix owns the same things as on a <see cref="BlueGreenFleet"/>
/// and nothing here re-asserts them: the listener and the tags are set by create-only calls, and the twin has no desired
/// capacity and ignores unmodified sizes on update. Deleting the stack puts the listener back to a plain forward to the
/// existing target group and removes the tags.
/// <para>
/// Unlike <c>phoenix adopt</c>, which reads the listener and hands its other actions and stickiness back, CloudFormation
/// cannot read before it writes: the listener's default actions become exactly the weighted forward, so adopt from CDK only
/// a listener whose default action is a plain forward.
/// </para>
/// </summary>
public sealed partial class AdoptedFleet : Construct
{
    public AdoptedFleet(Construct scope, string id, AdoptedFleetProps props)
        : base(scope, Validated(scope, props, id))
    {
        var app = props.ApplicationName;
        var stack = Stack.Of(this);
        ApplicationName = app;
        ParameterPrefix = props.TopologyParameterPrefix;
        ExistingGroupName = props.AutoScalingGroupName;
        Subnets = props.Subnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS };

        TwinTargetGroup = new ApplicationTargetGroup(this, "GreenTargetGroup", new ApplicationTargetGroupProps
        {
            TargetGroupName = FleetAdoption.TwinTargetGroupName(app),
            Vpc = props.Vpc,
            Port = props.ApplicationPort,
            Protocol = props.TargetGroupProtocol,
            ProtocolVersion = props.TargetGroupProtocolVersion,
            TargetType = TargetType.INSTANCE,
            HealthCheck = props.HealthCheck,
        });

        var template = LaunchTemplate.FromLaunchTemplateAttributes(this, "LaunchTemplate", new LaunchTemplateAttributes
        {
            LaunchTemplateId = props.LaunchTemplateId,
            VersionNumber = props.LaunchTemplateVersion,
        });
        TwinGroup = new AutoScalingGroup(this, "GreenGroup", new AutoScalingGroupProps
        {
            AutoScalingGroupName = FleetAdoption.TwinGroupName(app),
            Vpc = props.Vpc,
            VpcSubnets = Subnets,
            LaunchTemplate = template,
            // At zero, as phoenix adopt creates it: ScaleUpGreen sizes it from the live group when it deploys to it.
            MinCapacity = 0,
            MaxCapacity = 0,
            HealthCheck = props.GroupHealthCheck ?? GroupHealthCheck.Elb(new ElbHealthCheckOptions { Grace = Duration.Minutes(5) }),
        });
        // Without this policy CloudFormation sets MinSize/MaxSize back to the template's values on every update of the
        // group; with it, only when those values change in the template (as on BlueGreenFleet's groups).
        ((CfnAutoScalingGroup)TwinGroup.Node.DefaultChild!).CfnOptions.UpdatePolicy = new CfnUpdatePolicy
        {
            AutoScalingScheduledAction = new CfnAutoScalingScheduledAction { IgnoreUnmodifiedGroupSizeProperties = true },
        };
        TwinGroup.AttachToApplicationTargetGroup(TwinTargetGroup);
        Tags.Of(TwinGroup).Add(FleetConventions.ColourTag, Colour.Green.ToWire());
        Tags.Of(TwinTargetGroup).Add(FleetConventions.ColourTag, Colour.Green.ToWire());
        SuppressNag(TwinGroup, ("AwsSolutions-AS3", "Deployment and drift events reach chat through Phoenix's own topics; per-group notifications would repeat them."));
        SuppressGuard(TwinGroup,
            ("autoscaling_multiple_az_check", "The twin spans the subnets given (the existing group's) through VPCZoneIdentifier; the rule reads only AvailabilityZones."),
            ("autoscaling_mixed_instances_policy_multiple_instance_types_check", "The twin launches from the existing group's launch template, as the existing group does (adopt refuses mixed-instances groups)."));

        BlueTags = CreateBlueTags(stack, props);
        LaunchTemplateTag = CreateLaunchTemplateTag(stack, props);
        ListenerTag = CreateListenerTag(props);
        ListenerForward = CreateListenerForward(props);
        // The twin group must exist (registered to its target group) before the listener forwards to that target group;
        // the listener is tagged first, so an adopted listener never forwards to the twin without the tag that lets the
        // deployed functions move its weights (and on delete the forward is put back before the tag goes).
        ListenerForward.Node.AddDependency(TwinGroup, ListenerTag);

        TopologyParameter = new StringParameter(this, "Topology", new StringParameterProps
        {
            ParameterName = FleetConventions.TopologyParameter(app, props.TopologyParameterPrefix),
            Description = $"Phoenix topology of {app} (adopted fleet; FleetTopology, read by ResolveFleet).",
            StringValue = BlueGreenFleet.TopologyJson(Topology(props)),
        });
        // Written last, as phoenix adopt does: the topology is what makes the application deployable. CloudFormation
        // refuses to create a parameter that exists, so an application that already has a topology is not adopted.
        TopologyParameter.Node.AddDependency(ListenerForward, ListenerTag, BlueTags, LaunchTemplateTag);
        Tags.Of(this).Add(FleetConventions.ApplicationTag, app);
        BlueGreenFleet.SuppressProvider(stack);
    }

    public string ApplicationName { get; }

    /// <summary>The prefix of the fleet's parameters (<see cref="FleetConventions"/>).</summary>
    public string ParameterPrefix { get; }

    /// <summary>The adopted group's name (blue).</summary>
    public string ExistingGroupName { get; }

    /// <summary>The idle twin, green, at zero until the first deployment.</summary>
    public AutoScalingGroup TwinGroup { get; }

    public ApplicationTargetGroup TwinTargetGroup { get; }

    /// <summary>The subnets the twin launches into.</summary>
    public SubnetSelection Subnets { get; }

    /// <summary>PhoenixApplication and PhoenixColour=blue on the existing group (create, and removed on delete).</summary>
    public AwsCustomResource BlueTags { get; }

    /// <summary>PhoenixApplication on the launch template: the deployed functions may add versions only to tagged templates.</summary>
    public AwsCustomResource LaunchTemplateTag { get; }

    /// <summary>
    /// PhoenixApplication on the listener: the deployed functions may ModifyListener only on listeners so tagged or on
    /// <c>phoenix-*</c> load balancers' (HandlerPermissions), so without it the first SwapTraffic would be refused.
    /// </summary>
    public AwsCustomResource ListenerTag { get; }

    /// <summary>The listener's default action: blue 100 / green 0 once, at creation; a plain forward to blue again on delete.</summary>
    public AwsCustomResource ListenerForward { get; }

    public StringParameter TopologyParameter { get; }

    // Service names are AWS SDK for JavaScript v3 client packages, actions its command names (without "Command"): the
    // provider loads @aws-sdk/client-<service>. A v2-style name it does not map (such as "ElasticLoadBalancingV2") would
    // name no package and fail only at deployment.
    internal const string AutoScalingClient = "@aws-sdk/client-auto-scaling";
    internal const string Ec2Client = "@aws-sdk/client-ec2";
    internal const string LoadBalancingClient = "@aws-sdk/client-elastic-load-balancing-v2";

    // The IAM conditions of the deployed functions and the drift rule know a Phoenix group by its application tag, and
    // SizeGroups needs it to size blue. Running instances keep theirs (a tag propagates at launch only).
    private AwsCustomResource CreateBlueTags(Stack stack, AdoptedFleetProps props)
    {
        var group = props.AutoScalingGroupName;
        var groupArn = stack.FormatArn(new ArnComponents
        {
            Service = "autoscaling",
            Resource = "autoScalingGroup",
            ResourceName = "*:autoScalingGroupName/" + group,
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });
        var tags = new[] { (FleetConventions.ApplicationTag, props.ApplicationName), (FleetConventions.ColourTag, Colour.Blue.ToWire()) };
        var resource = new AwsCustomResource(this, "BlueTags", new AwsCustomResourceProps
        {
            ResourceType = "Custom::PhoenixAdoptGroupTags",
            InstallLatestAwsSdk = false,
            OnCreate = new AwsSdkCall
            {
                Service = AutoScalingClient,
                Action = "CreateOrUpdateTags",
                Parameters = new Dictionary<string, object> { ["Tags"] = tags.Select(t => GroupTag(group, t.Item1, t.Item2)).ToArray() },
                PhysicalResourceId = PhysicalResourceId.Of(group),
            },
            OnDelete = new AwsSdkCall
            {
                Service = AutoScalingClient,
                Action = "DeleteTags",
                Parameters = new Dictionary<string, object> { ["Tags"] = tags.Select(t => GroupTag(group, t.Item1, t.Item2)).ToArray() },
            },
            Policy = AwsCustomResourcePolicy.FromStatements(
            [
                new PolicyStatement(new PolicyStatementProps { Actions = ["autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags"], Resources = [groupArn] }),
            ]),
        });
        SuppressNag(resource.Node.FindChild("CustomResourcePolicy"),
            ("AwsSolutions-IAM5", "The group ARN's middle part is the group's id, unknown before deployment; the group name is exact."));
        return resource;
    }

    // UpdateLaunchTemplate may add versions only to templates tagged PhoenixApplication, and the functions may launch only
    // from such templates (HandlerPermissions, LeastPrivilege): without this tag no deployment could start green.
    private AwsCustomResource CreateLaunchTemplateTag(Stack stack, AdoptedFleetProps props)
    {
        var templateArn = stack.FormatArn(new ArnComponents { Service = "ec2", Resource = "launch-template", ResourceName = props.LaunchTemplateId });
        var tag = new Dictionary<string, object> { ["Key"] = FleetConventions.ApplicationTag, ["Value"] = props.ApplicationName };
        return new AwsCustomResource(this, "LaunchTemplateTag", new AwsCustomResourceProps
        {
            ResourceType = "Custom::PhoenixAdoptLaunchTemplateTag",
            InstallLatestAwsSdk = false,
            OnCreate = new AwsSdkCall
            {
                Service = Ec2Client,
                Action = "CreateTags",
                Parameters = new Dictionary<string, object> { ["Resources"] = new[] { props.LaunchTemplateId }, ["Tags"] = new[] { tag } },
                PhysicalResourceId = PhysicalResourceId.Of(props.LaunchTemplateId),
            },
            OnDelete = new AwsSdkCall
            {
                Service = Ec2Client,
                Action = "DeleteTags",
                Parameters = new Dictionary<string, object> { ["Resources"] = new[] { props.LaunchTemplateId }, ["Tags"] = new[] { tag } },
            },
            Policy = AwsCustomResourcePolicy.FromStatements(
            [
                new PolicyStatement(new PolicyStatementProps { Actions = ["ec2:CreateTags", "ec2:DeleteTags"], Resources = [templateArn] }),
            ]),
        });
    }

    // As phoenix adopt tags it. Create-only like the other tags: a later stack update never re-asserts it.
    private AwsCustomResource CreateListenerTag(AdoptedFleetProps props)
    {
        var resourceArns = new[] { props.ListenerArn };
        return new AwsCustomResource(this, "ListenerTag", new AwsCustomResourceProps
        {
            ResourceType = "Custom::PhoenixAdoptListenerTag",
            InstallLatestAwsSdk = false,
            OnCreate = new AwsSdkCall
            {
                Service = LoadBalancingClient,
                Action = "AddTags",
                Parameters = new Dictionary<string, object>
                {
                    ["ResourceArns"] = resourceArns,
                    ["Tags"] = new[] { new Dictionary<string, object> { ["Key"] = FleetConventions.ApplicationTag, ["Value"] = props.ApplicationName } },
                },
                PhysicalResourceId = PhysicalResourceId.Of(props.ListenerArn),
            },
            OnDelete = new AwsSdkCall
            {
                Service = LoadBalancingClient,
                Action = "RemoveTags",
                Parameters = new Dictionary<string, object> { ["ResourceArns"] = resourceArns, ["TagKeys"] = new[] { FleetConventions.ApplicationTag } },
            },
            Policy = AwsCustomResourcePolicy.FromStatements(
            [
                new PolicyStatement(new PolicyStatementProps { Actions = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], Resources = [props.ListenerArn] }),
            ]),
        });
    }

    // Blue 100 / green 0 once, at creation; no update call, so a later stack update never moves the weights Phoenix set.
    private AwsCustomResource CreateListenerForward(AdoptedFleetProps props)
    {
        var weighted = new Dictionary<string, object>
        {
            ["Type"] = "forward",
            ["ForwardConfig"] = new Dictionary<string, object>
            {
                ["TargetGroups"] = new object[]
                {
                    new Dictionary<string, object> { ["TargetGroupArn"] = props.TargetGroupArn, ["Weight"] = 100 },
                    new Dictionary<string, object> { ["TargetGroupArn"] = TwinTargetGroup.TargetGroupArn, ["Weight"] = 0 },
                },
            },
        };
        return new AwsCustomResource(this, "ListenerForward", new AwsCustomResourceProps
        {
            ResourceType = "Custom::PhoenixAdoptListener",
            InstallLatestAwsSdk = false,
            OnCreate = new AwsSdkCall
            {
                Service = LoadBalancingClient,
                Action = "ModifyListener",
                Parameters = new Dictionary<string, object> { ["ListenerArn"] = props.ListenerArn, ["DefaultActions"] = new object[] { weighted } },
                PhysicalResourceId = PhysicalResourceId.Of(props.ListenerArn),
            },
            // What the listener did before: forward to the existing target group only. Runs before the twin target group
            // is deleted (it depends on this resource's reference to it), which ELBv2 refuses while a listener uses it.
            OnDelete = new AwsSdkCall
            {
                Service = LoadBalancingClient,
                Action = "ModifyListener",
                Parameters = new Dictionary<string, object>
                {
                    ["ListenerArn"] = props.ListenerArn,
                    ["DefaultActions"] = new object[] { new Dictionary<string, object> { ["Type"] = "forward", ["TargetGroupArn"] = props.TargetGroupArn } },
                },
            },
            Policy = AwsCustomResourcePolicy.FromStatements(
            [
                new PolicyStatement(new PolicyStatementProps { Actions = ["elasticloadbalancing:ModifyListener"], Resources = [props.ListenerArn] }),
            ]),
        });
    }

    // Both colours share the existing launch template, as phoenix adopt writes them.
    private FleetTopology Topology(AdoptedFleetProps props) => new(
        props.ApplicationName,
        new ColourResources(props.AutoScalingGroupName, props.TargetGroupArn, props.LaunchTemplateId),
        new ColourResources(FleetAdoption.TwinGroupName(props.ApplicationName), TwinTargetGroup.TargetGroupArn, props.LaunchTemplateId),
        props.ListenerArn,
        props.AlarmNames,
        props.BakeProjectName,
        props.DeploymentTopicArn,
        props.MinHealthyPercentage,
        props.DefaultCapacity);

    private static Dictionary<string, object> GroupTag(string group, string key, string value) => new()
    {
        ["ResourceId"] = group,
        ["ResourceType"] = "auto-scaling-group",
        ["Key"] = key,
        ["Value"] = value,
        ["PropagateAtLaunch"] = true,
    };

    // Runs before the base constructor, so invalid props leave the construct tree untouched. Values that are tokens
    // (resolved only at deployment) are left to the deployment, which fails naming the resource.
    private static string Validated(Construct scope, AdoptedFleetProps props, string id)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(props);
        if (!ApplicationNamePattern().IsMatch(props.ApplicationName))
        {
            throw Bad(nameof(props.ApplicationName), props.ApplicationName, "lower-case letters, digits and dashes, starting with a letter, at most 24 characters");
        }

        CheckListener(props.ListenerArn);
        if (Known(props.TargetGroupArn) && !TargetGroupArnPattern().IsMatch(props.TargetGroupArn))
        {
            throw Bad(nameof(props.TargetGroupArn), props.TargetGroupArn, "a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)");
        }

        CheckSameAccountAndRegion(Stack.Of(scope), props);
        if (Known(props.LaunchTemplateId) && !LaunchTemplateIdPattern().IsMatch(props.LaunchTemplateId))
        {
            throw Bad(nameof(props.LaunchTemplateId), props.LaunchTemplateId, "a launch template id such as lt-0123456789abcdef0");
        }

        if (Known(props.LaunchTemplateVersion) && !VersionPattern().IsMatch(props.LaunchTemplateVersion))
        {
            throw Bad(nameof(props.LaunchTemplateVersion), props.LaunchTemplateVersion,
                "a version number such as 3 (CloudFormation takes no $Default or $Latest for an Auto Scaling group: give the number the group runs)");
        }

        var twin = FleetAdoption.TwinGroupName(props.ApplicationName);
        if (Known(props.AutoScalingGroupName)
            && (string.IsNullOrWhiteSpace(props.AutoScalingGroupName) || props.AutoScalingGroupName.Trim() != props.AutoScalingGroupName
                || props.AutoScalingGroupName.Length > 255 || props.AutoScalingGroupName == twin))
        {
            throw Bad(nameof(props.AutoScalingGroupName), props.AutoScalingGroupName,
                $"the existing group's name (1 to 255 characters, no surrounding spaces, not {twin}, the name of the twin adopt creates)");
        }

        if (props.ApplicationPort is < 1 or > 65535)
        {
            throw Bad(nameof(props.ApplicationPort), props.ApplicationPort.ToString(CultureInfo.InvariantCulture), "a TCP port, 1 to 65535");
        }

        if (props.DefaultCapacity < 1)
        {
            throw Bad(nameof(props.DefaultCapacity), props.DefaultCapacity.ToString(CultureInfo.InvariantCulture), "at least 1");
        }

        if (props.MinHealthyPercentage is < 0 or > 100)
        {
            throw Bad(nameof(props.MinHealthyPercentage), props.MinHealthyPercentage.ToString(CultureInfo.InvariantCulture), "0 to 100");
        }

        if (!props.TopologyParameterPrefix.StartsWith('/') || !props.TopologyParameterPrefix.EndsWith('/'))
        {
            throw Bad(nameof(props.TopologyParameterPrefix), props.TopologyParameterPrefix, "a parameter path that starts and ends with /");
        }

        RequireUnique(scope, props);
        return id;
    }

    // arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID. Other load balancers' forwards take one
    // target group (Network, Gateway) or have no listener ARN at all (Classic), so traffic cannot be split by weight.
    private static void CheckListener(string arn)
    {
        if (!Known(arn) || ListenerArnPattern().IsMatch(arn))
        {
            return;
        }

        var expected = "an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)";
        var why = arn switch
        {
            _ when arn.Contains(":listener/net/", StringComparison.Ordinal) => "; this is a Network Load Balancer's listener, whose forward cannot split traffic by weight",
            _ when arn.Contains(":listener/gwy/", StringComparison.Ordinal) => "; this is a Gateway Load Balancer's listener, whose forward cannot split traffic by weight",
            _ when arn.Contains(":loadbalancer/", StringComparison.Ordinal) => "; this is a load balancer's ARN, not one of its listeners'",
            _ when arn.Contains(":targetgroup/", StringComparison.Ordinal) => "; this is a target group's ARN, not a listener's",
            _ when arn.Contains(":listener-rule/", StringComparison.Ordinal) => "; this is a listener rule's ARN: give the listener's",
            _ when !arn.StartsWith("arn:", StringComparison.Ordinal) => "; a Classic Load Balancer has no listener ARN and cannot split traffic by weight",
            _ => string.Empty,
        };
        throw Bad(nameof(AdoptedFleetProps.ListenerArn), arn, expected + why);
    }

    // The listener, the target group and the stack must be in one account and region: the twin target group is created
    // in the stack's, and a listener forwards only to target groups of its own.
    private static void CheckSameAccountAndRegion(Stack stack, AdoptedFleetProps props)
    {
        if (!Known(props.ListenerArn) || !Known(props.TargetGroupArn))
        {
            return;
        }

        var listener = props.ListenerArn.Split(':');
        var targetGroup = props.TargetGroupArn.Split(':');
        if (!Token.IsUnresolved(stack.Region) && stack.Region != listener[3])
        {
            throw Bad(nameof(props.ListenerArn), props.ListenerArn, $"a listener in the stack's region {stack.Region}, where the twin target group is created");
        }

        if (!Token.IsUnresolved(stack.Account) && stack.Account != listener[4])
        {
            throw Bad(nameof(props.ListenerArn), props.ListenerArn, $"a listener in the stack's account {stack.Account}, where the twin target group is created");
        }

        if ((listener[3], listener[4]) != (targetGroup[3], targetGroup[4]))
        {
            throw Bad(nameof(props.TargetGroupArn), props.TargetGroupArn,
                $"a target group in the listener's region {listener[3]} and account {listener[4]} (a listener forwards only to its own region's target groups)");
        }
    }

    // Two adoptions of one name (or one group twice) in one app would write one topology and tag one group twice; a
    // BlueGreenFleet of the same name would write the same topology parameter.
    private static void RequireUnique(Construct scope, AdoptedFleetProps props)
    {
        foreach (var node in scope.Node.Root.Node.FindAll())
        {
            var clash = node switch
            {
                AdoptedFleet other when other.ApplicationName == props.ApplicationName && other.ParameterPrefix == props.TopologyParameterPrefix =>
                    Bad(nameof(props.ApplicationName), props.ApplicationName, $"a name unique in the account and region; the adopted fleet at '{other.Node.Path}' already uses it"),
                AdoptedFleet other when other.ExistingGroupName == props.AutoScalingGroupName =>
                    Bad(nameof(props.AutoScalingGroupName), props.AutoScalingGroupName, $"a group not adopted already; the adopted fleet at '{other.Node.Path}' adopts it"),
                BlueGreenFleet fleet when fleet.ApplicationName == props.ApplicationName && fleet.ParameterPrefix == props.TopologyParameterPrefix =>
                    Bad(nameof(props.ApplicationName), props.ApplicationName, $"a name unique in the account and region; the fleet at '{fleet.Node.Path}' already uses it"),
                _ => null,
            };
            if (clash is not null)
            {
                throw clash;
            }
        }
    }

    private static bool Known(string value) => !Token.IsUnresolved(value);

    private static ArgumentException Bad(string property, string value, string expected) =>
        new($"AdoptedFleetProps.{property} is '{value}': expected {expected}.", property);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,23}$")]
    private static partial Regex ApplicationNamePattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$")]
    private static partial Regex ListenerArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$")]
    private static partial Regex TargetGroupArnPattern();

    [GeneratedRegex("^lt-(?:[0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex LaunchTemplateIdPattern();

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex VersionPattern();
}
