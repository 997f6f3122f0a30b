using System.Globalization;
using System.Text.Json.Nodes;
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
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;
using static Phoenix.Cdk.Fleet.Suppressions;

namespace Phoenix.Cdk.Fleet;

/// <summary>
/// An existing fleet to put under Phoenix from CDK, as <c>phoenix adopt</c> does from the command line: one Auto Scaling
/// group (it becomes blue) whose listener's default action is a plain forward to its target group. A synth cannot look
/// these up offline, so their attributes are given here; the stack's deployment checks them (each call names the
/// resource and fails the deployment when it does not exist).
/// </summary>
public sealed class AdoptedFleetProps
{
    /// <summary>Lower-case letters, digits and dashes, at most 24 characters; unique in the account and region.</summary>
    public required string ApplicationName { get; init; }

    public required IVpc Vpc { get; init; }

    /// <summary>The existing group; it keeps running untouched and becomes blue.</summary>
    public required string AutoScalingGroupName { get; init; }

    /// <summary>The existing group's target group, the one the listener's default action forwards to.</summary>
    public required string TargetGroupArn { get; init; }

    /// <summary>An Application Load Balancer listener (only their forwards split by weight).</summary>
    public required string ListenerArn { get; init; }

    /// <summary>The existing group's launch template; the idle twin launches from the same one.</summary>
    public required string LaunchTemplateId { get; init; }

    public string LaunchTemplateVersion { get; init; } = "$Default";

    /// <summary>Where the twin's instances run (the existing group's subnets). Default: the VPC's private subnets with egress.</summary>
    public SubnetSelection? Subnets { get; init; }

    /// <summary>The twin target group copies the existing one's port and health check: give the same values.</summary>
    public int ApplicationPort { get; init; } = 80;

    public string HealthCheckPath { get; init; } = "/health";

    public int MaxCapacity { get; init; } = 4;

    public int MinHealthyPercentage { get; init; } = 90;

    /// <summary>Alarms the workflow's CheckAlarms step watches during deployments.</summary>
    public IReadOnlyList<string> AlarmNames { get; init; } = [];

    public string? BakeProjectName { get; init; }

    public string? DeploymentTopicArn { get; init; }
}

/// <summary>
/// Brings an existing group and listener under Phoenix, changing no running instance and no traffic: creates the idle
/// twin (a group from the same launch template at zero, a target group with the same port and health check), tags the
/// existing group as blue, turns the listener's default action into a weighted forward blue 100 / green 0, and writes
/// the topology. From then on Phoenix owns the same things as on a <see cref="BlueGreenFleet"/>, and nothing here
/// re-asserts them: the listener and the tags are set by create-only calls, the twin has no desired capacity and ignores
/// unmodified sizes on update. Deleting the stack puts the listener back to a plain forward to the existing target group.
/// <para>
/// Unlike <c>phoenix adopt</c>, which reads the listener and keeps its other actions and stickiness, CloudFormation
/// cannot read before it writes: the listener's default actions become exactly the weighted forward, so adopt a listener
/// whose default action is a plain forward (authentication or other actions in front of it: use <c>phoenix adopt</c>).
/// </para>
/// </summary>
public sealed partial class AdoptedFleet : Construct
{
    public AdoptedFleet(Construct scope, string id, AdoptedFleetProps props)
        : base(scope, Validated(props, id))
    {
        var app = props.ApplicationName;
        var stack = Stack.Of(this);
        Subnets = props.Subnets ?? new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS };

        TwinTargetGroup = new ApplicationTargetGroup(this, "GreenTargetGroup", new ApplicationTargetGroupProps
        {
            TargetGroupName = FleetAdoption.TwinTargetGroupName(app),
            Vpc = props.Vpc,
            Port = props.ApplicationPort,
            Protocol = ApplicationProtocol.HTTP,
            TargetType = TargetType.INSTANCE,
            HealthCheck = new HealthCheck { Path = props.HealthCheckPath, HealthyHttpCodes = "200" },
        });

        var template = Amazon.CDK.AWS.EC2.LaunchTemplate.FromLaunchTemplateAttributes(this, "LaunchTemplate", new LaunchTemplateAttributes
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
            MinCapacity = 0,
            MaxCapacity = props.MaxCapacity,
            HealthCheck = Amazon.CDK.AWS.AutoScaling.HealthCheck.Elb(new ElbHealthCheckOptions { Grace = Duration.Minutes(5) }),
            MinHealthyPercentage = props.MinHealthyPercentage,
            MaxHealthyPercentage = props.MinHealthyPercentage + 100,
        });
        ((CfnAutoScalingGroup)TwinGroup.Node.DefaultChild!).CfnOptions.UpdatePolicy = new CfnUpdatePolicy
        {
            AutoScalingScheduledAction = new CfnAutoScalingScheduledAction { IgnoreUnmodifiedGroupSizeProperties = true },
        };
        TwinGroup.AttachToApplicationTargetGroup(TwinTargetGroup);
        Tags.Of(TwinGroup).Add(FleetConventions.ApplicationTag, app);
        Tags.Of(TwinGroup).Add(FleetConventions.ColourTag, Colour.Green.ToWire());
        SuppressNag(TwinGroup, ("AwsSolutions-AS3", "Deployment and drift events reach chat through Phoenix's own topics; per-group notifications would repeat them."));
        SuppressGuard(TwinGroup,
            ("autoscaling_multiple_az_check", "The twin spans the subnets given (one per Availability Zone) through VPCZoneIdentifier; the rule reads only AvailabilityZones."),
            ("autoscaling_mixed_instances_policy_multiple_instance_types_check", "The twin launches from the existing group's launch template, as the existing group does."));

        var groupArn = stack.FormatArn(new ArnComponents
        {
            Service = "autoscaling",
            Resource = "autoScalingGroup",
            ResourceName = "*:autoScalingGroupName/" + props.AutoScalingGroupName,
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });
        // The IAM conditions and the drift rule know a Phoenix group by its application tag; running instances keep theirs.
        BlueTags = new AwsCustomResource(this, "BlueTags", new AwsCustomResourceProps
        {
            ResourceType = "Custom::PhoenixAdoptTags",
            InstallLatestAwsSdk = false,
            OnCreate = new AwsSdkCall
            {
                Service = "AutoScaling",
                Action = "createOrUpdateTags",
                Parameters = new Dictionary<string, object>
                {
                    ["Tags"] = new object[] { Tag(props.AutoScalingGroupName, FleetConventions.ApplicationTag, app), Tag(props.AutoScalingGroupName, FleetConventions.ColourTag, Colour.Blue.ToWire()) },
                },
                PhysicalResourceId = PhysicalResourceId.Of(props.AutoScalingGroupName),
            },
            Policy = AwsCustomResourcePolicy.FromStatements([new PolicyStatement(new PolicyStatementProps { Actions = ["autoscaling:CreateOrUpdateTags"], Resources = [groupArn] })]),
        });

        // Blue 100 / green 0 once, at creation; no update call, so a later stack update never moves the weights back.
        ListenerForward = new AwsCustomResource(this, "ListenerForward", new AwsCustomResourceProps
        {
            ResourceType = "Custom::PhoenixAdoptListener",
            InstallLatestAwsSdk = false,
            OnCreate = new AwsSdkCall
            {
                Service = "ElasticLoadBalancingV2",
                Action = "modifyListener",
                Parameters = new Dictionary<string, object>
                {
                    ["ListenerArn"] = props.ListenerArn,
                    ["DefaultActions"] = new object[]
                    {
                        new Dictionary<string, object>
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
                        },
                    },
                },
                PhysicalResourceId = PhysicalResourceId.Of(props.ListenerArn),
            },
            // What the listener did before: forward to the existing target group only.
            OnDelete = new AwsSdkCall
            {
                Service = "ElasticLoadBalancingV2",
                Action = "modifyListener",
                Parameters = new Dictionary<string, object>
                {
                    ["ListenerArn"] = props.ListenerArn,
                    ["DefaultActions"] = new object[] { new Dictionary<string, object> { ["Type"] = "forward", ["TargetGroupArn"] = props.TargetGroupArn } },
                },
            },
            Policy = AwsCustomResourcePolicy.FromStatements([new PolicyStatement(new PolicyStatementProps { Actions = ["elasticloadbalancing:ModifyListener"], Resources = [props.ListenerArn] })]),
        });
        // The twin must be able to receive the 0-weight forward, and the group must exist before its topology does.
        ListenerForward.Node.AddDependency(TwinGroup);

        var topology = new JsonObject
        {
            ["application"] = app,
            ["blue"] = new JsonObject
            {
                ["autoScalingGroupName"] = props.AutoScalingGroupName,
                ["targetGroupArn"] = props.TargetGroupArn,
                ["launchTemplateId"] = props.LaunchTemplateId,
            },
            ["green"] = new JsonObject
            {
                ["autoScalingGroupName"] = TwinGroup.AutoScalingGroupName,
                ["targetGroupArn"] = TwinTargetGroup.TargetGroupArn,
                ["launchTemplateId"] = props.LaunchTemplateId,
            },
            ["listenerArn"] = props.ListenerArn,
            ["alarmNames"] = new JsonArray(props.AlarmNames.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
            ["minHealthyPercentage"] = props.MinHealthyPercentage,
        };
        if (props.BakeProjectName is not null)
        {
            topology["bakeProject"] = props.BakeProjectName;
        }

        if (props.DeploymentTopicArn is not null)
        {
            topology["deploymentTopicArn"] = props.DeploymentTopicArn;
        }

        TopologyParameter = new StringParameter(this, "Topology", new StringParameterProps
        {
            ParameterName = FleetConventions.TopologyParameter(app),
            Description = $"Phoenix topology of {app} (adopted fleet; FleetTopology, read by ResolveFleet).",
            StringValue = topology.ToJsonString(),
        });
        // Written last, as phoenix adopt does: the topology is what makes the application deployable.
        TopologyParameter.Node.AddDependency(ListenerForward, BlueTags);
        SuppressNag(BlueTags.Node.FindChild("CustomResourcePolicy"), ("AwsSolutions-IAM5", "The group ARN's middle part is the group's id, unknown before deployment; the name is exact."));
        SuppressProvider(stack);
    }

    public AutoScalingGroup TwinGroup { get; }

    public ApplicationTargetGroup TwinTargetGroup { get; }

    public SubnetSelection Subnets { get; }

    public AwsCustomResource BlueTags { get; }

    public AwsCustomResource ListenerForward { get; }

    public StringParameter TopologyParameter { get; }

    private static Dictionary<string, object> Tag(string group, string key, string value) => new()
    {
        ["ResourceId"] = group,
        ["ResourceType"] = "auto-scaling-group",
        ["Key"] = key,
        ["Value"] = value,
        ["PropagateAtLaunch"] = true,
    };

    private static void SuppressProvider(Stack stack) => BlueGreenFleet.SuppressProvider(stack);

    private static string Validated(AdoptedFleetProps props, string id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!ApplicationNamePattern().IsMatch(props.ApplicationName))
        {
            throw Bad(nameof(props.ApplicationName), props.ApplicationName, "lower-case letters, digits and dashes, starting with a letter, at most 24 characters");
        }

        // arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID — "net/" is a Network Load Balancer (no
        // weighted forward), and a Classic Load Balancer has no listener ARN at all.
        if (!ListenerArnPattern().IsMatch(props.ListenerArn))
        {
            throw Bad(nameof(props.ListenerArn), props.ListenerArn, "an Application Load Balancer listener ARN (…:listener/app/NAME/ID/ID); Network and Classic Load Balancers cannot split traffic by weight");
        }

        if (!TargetGroupArnPattern().IsMatch(props.TargetGroupArn))
        {
            throw Bad(nameof(props.TargetGroupArn), props.TargetGroupArn, "a target group ARN (…:targetgroup/NAME/ID)");
        }

        if (!LaunchTemplateIdPattern().IsMatch(props.LaunchTemplateId))
        {
            throw Bad(nameof(props.LaunchTemplateId), props.LaunchTemplateId, "a launch template id such as lt-0123456789abcdef0");
        }

        if (string.IsNullOrWhiteSpace(props.AutoScalingGroupName) || props.AutoScalingGroupName == FleetAdoption.TwinGroupName(props.ApplicationName))
        {
            throw Bad(nameof(props.AutoScalingGroupName), props.AutoScalingGroupName, $"the existing group's name (not empty, not the twin's name {FleetAdoption.TwinGroupName(props.ApplicationName)})");
        }

        if (props.MaxCapacity < 1)
        {
            throw Bad(nameof(props.MaxCapacity), props.MaxCapacity.ToString(CultureInfo.InvariantCulture), "at least 1");
        }

        return id;
    }

    private static ArgumentException Bad(string property, string value, string expected) =>
        new($"AdoptedFleetProps.{property} is '{value}': expected {expected}.", property);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,23}$")]
    private static partial Regex ApplicationNamePattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener/app/[^/]+/[0-9a-f]+/[0-9a-f]+$")]
    private static partial Regex ListenerArnPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup/[^/]+/[0-9a-f]+$")]
    private static partial Regex TargetGroupArnPattern();

    [GeneratedRegex("^lt-[0-9a-f]{8,17}$")]
    private static partial Regex LaunchTemplateIdPattern();
}
